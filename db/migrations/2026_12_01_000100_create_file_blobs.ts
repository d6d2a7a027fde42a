import type { Kysely } from 'kysely'

// Uploaded files, stored in pieces as they arrive: a request never holds a whole file in memory,
// and each piece is written by a statement of its own, so no transaction writes megabytes while
// the portal waits. A file is 'staged' while its request is still being read and becomes
// 'stored' in the transaction that stores its response or document; staged files left by a
// request that failed or a crash are swept after an hour. Still one database file to back up.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_blobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('state', 'text', (c) => c.notNull())
    // The round whose respondents sent it (the round's storage cap), null for officials' files.
    .addColumn('consultation_id', 'integer', (c) =>
      c.references('consultations.id').onDelete('cascade'),
    )
    .addColumn('size_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('file_blobs_state_created')
    .on('file_blobs')
    .columns(['state', 'created_at'])
    .execute()
  // Covers the sum of a round's stored bytes without reading a row.
  await db.schema
    .createIndex('file_blobs_consultation_size')
    .on('file_blobs')
    .columns(['consultation_id', 'size_bytes'])
    .execute()
  await db.schema
    .createTable('file_chunks')
    .addColumn('blob_id', 'integer', (c) =>
      c.notNull().references('file_blobs.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['blob_id', 'seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_chunks').execute()
  await db.schema.dropTable('file_blobs').execute()
}
