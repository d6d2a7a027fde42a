import type { Kysely } from 'kysely'

// The public round page counts published responses by respondent type and country. Through the
// (consultation_id, status, submitted_at) index that meant a table lookup per response: over a
// second at a million, with the whole server waiting, since SQLite calls are synchronous. With
// every column the count needs in one index, it reads the index alone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('responses_public_counts')
    .on('responses')
    .columns(['consultation_id', 'status', 'publication', 'respondent_type', 'country'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_public_counts').execute()
}
