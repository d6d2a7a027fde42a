import type { Kysely } from 'kysely'

// What officials add while reviewing: internal notes, the decision on a
// confidentiality claim, keyboard shortcuts for tags, and the filters' indexes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('response_notes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('response_id', 'integer', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('response_notes_response_id')
    .on('response_notes')
    .column('response_id')
    .execute()
  await db.schema.alterTable('responses').addColumn('confidential_decision', 'text').execute()
  await db.schema.alterTable('tags').addColumn('shortcut', 'integer').execute()
  await db.schema
    .createIndex('responses_consultation_submitted')
    .on('responses')
    .columns(['consultation_id', 'submitted_at', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_consultation_submitted').execute()
  await db.schema.alterTable('tags').dropColumn('shortcut').execute()
  await db.schema.alterTable('responses').dropColumn('confidential_decision').execute()
  await db.schema.dropTable('response_notes').execute()
}
