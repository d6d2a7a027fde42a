import type { Kysely } from 'kysely'

// The name shown with a response published "with my name": an individual's
// chosen name (an organisation's name is `organisation`). Distinct from the
// contact name, which is never published.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('author_name', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('author_name').execute()
}
