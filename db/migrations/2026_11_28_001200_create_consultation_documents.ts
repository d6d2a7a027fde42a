import type { Kysely } from 'kysely'

// Supporting documents of a round (PDF), bytes in the database like response
// attachments: one file to back up.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consultation_documents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'blob', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('consultation_documents_consultation_id')
    .on('consultation_documents')
    .column('consultation_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consultation_documents').execute()
}
