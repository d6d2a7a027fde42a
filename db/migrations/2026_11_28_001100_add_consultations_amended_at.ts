import type { Kysely } from 'kysely'

// When an official changed a round after it opened: shown as "amended on".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').addColumn('amended_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').dropColumn('amended_at').execute()
}
