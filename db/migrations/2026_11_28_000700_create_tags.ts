import type { Kysely } from 'kysely'

// A tag applies to a whole response, or to an excerpt of one of its items
// (offsets into the item's body, with the quote kept as it was).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('parent_id', 'integer', (c) => c.references('tags.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('colour', 'text', (c) => c.notNull().defaultTo('#1d70b8'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tags_consultation_name', ['consultation_id', 'name'])
    .execute()

  await db.schema
    .createTable('response_tags')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('response_id', 'integer', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('item_id', 'integer', (c) => c.references('response_items.id').onDelete('cascade'))
    .addColumn('excerpt_start', 'integer')
    .addColumn('excerpt_end', 'integer')
    .addColumn('quote', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('response_tags_tag_response')
    .on('response_tags')
    .columns(['tag_id', 'response_id'])
    .execute()
  await db.schema
    .createIndex('response_tags_response_id')
    .on('response_tags')
    .column('response_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_tags').execute()
  await db.schema.dropTable('tags').execute()
}
