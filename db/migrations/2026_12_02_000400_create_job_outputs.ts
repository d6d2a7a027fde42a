import type { Kysely } from 'kysely'

// The files jobs make (a report, an export, the public report's copy), kept in file_blobs for
// their page's download link and for the public report route, which serves the copy instead of
// laying out a PDF in the request. A row goes with its job, and with its blob: a blob removed by
// the file sweep takes its row along, so no row ever names bytes that are gone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_outputs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('blob_id', 'integer', (c) =>
      c.notNull().references('file_blobs.id').onDelete('cascade'),
    )
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    // When the job read the data the file holds (not when it finished writing it): a copy is
    // current only if nothing changed since then.
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_outputs_job').on('job_outputs').columns(['job_id']).execute()
  await db.schema.createIndex('job_outputs_blob').on('job_outputs').columns(['blob_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_outputs').execute()
}
