import { type Kysely, sql } from 'kysely'

// An official's summary of what was heard on one control or one tag (both
// null: the round as a whole); only approved ones reach a report.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('summaries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('control_id', 'integer', (c) => c.references('controls.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.references('tags.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`state in ('draft', 'approved')`),
    )
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('approved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('approved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('summaries_consultation_id')
    .on('summaries')
    .column('consultation_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('summaries').execute()
}
