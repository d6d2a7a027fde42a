import type { Kysely } from 'kysely'

// A signed-in participant's unfinished response: the form as they left it
// (JSON, files excepted), kept apart from responses so that nothing
// incomplete reaches officials' queues, statistics or search.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('response_drafts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('response_drafts_user_consultation', ['user_id', 'consultation_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_drafts').execute()
}
