import { createHash } from 'node:crypto'
import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Attachments and supporting documents keep their bytes in file_blobs (000100) instead of a
// column of their own: each row's content is copied there in pieces, then the column goes.
// The column carries no REFERENCES: SQLite can add such a column but not drop it again (down).
// The models delete a row's blob with the row, and the sweeper removes any stored blob that no
// row names.
const CHUNK_BYTES = 512 * 1024

async function moveContents(db: Kysely<any>, table: 'attachments' | 'consultation_documents') {
  await db.schema.alterTable(table).addColumn('blob_id', 'integer').execute()
  const rows = await db.selectFrom(table).select('id').orderBy('id').execute()
  for (const { id } of rows) {
    const row = await db
      .selectFrom(table)
      .where('id', '=', id)
      .select(['content', 'created_at'])
      .executeTakeFirstOrThrow()
    const bytes = Buffer.from(row.content as Uint8Array)
    const { id: blobId } = await db
      .insertInto('file_blobs')
      .values({
        state: 'stored',
        consultation_id: null,
        size_bytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        created_at: row.created_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (let seq = 0; seq * CHUNK_BYTES < bytes.byteLength || seq === 0; seq++) {
      await db
        .insertInto('file_chunks')
        .values({
          blob_id: blobId,
          seq,
          data: bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES),
        })
        .execute()
    }
    await db.updateTable(table).set({ blob_id: blobId }).where('id', '=', id).execute()
  }
  await db.schema.alterTable(table).dropColumn('content').execute()
  // The sweep of blobs no row names looks them up here.
  await db.schema.createIndex(`${table}_blob_id`).on(table).column('blob_id').execute()
}

export async function up(db: Kysely<any>): Promise<void> {
  await moveContents(db, 'attachments')
  await moveContents(db, 'consultation_documents')
  // A response's files count against its round's storage cap.
  await sql`update file_blobs set consultation_id = (
      select r.consultation_id from attachments a join responses r on r.id = a.response_id
      where a.blob_id = file_blobs.id)
    where id in (select blob_id from attachments)`.execute(db)
}

async function restoreContents(db: Kysely<any>, table: 'attachments' | 'consultation_documents') {
  await db.schema
    .alterTable(table)
    .addColumn('content', 'blob', (c) =>
      c
        .notNull()
        .defaultTo(db.getExecutor().adapter instanceof PostgresAdapter ? sql`''::bytea` : sql`x''`),
    )
    .execute()
  const rows = await db.selectFrom(table).select(['id', 'blob_id']).execute()
  for (const { id, blob_id } of rows) {
    const chunks = await db
      .selectFrom('file_chunks')
      .where('blob_id', '=', blob_id)
      .orderBy('seq')
      .select('data')
      .execute()
    const content = Buffer.concat(chunks.map((c) => Buffer.from(c.data as Uint8Array)))
    await db.updateTable(table).set({ content }).where('id', '=', id).execute()
  }
  await db.schema.dropIndex(`${table}_blob_id`).execute()
  await db.schema.alterTable(table).dropColumn('blob_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await restoreContents(db, 'attachments')
  await restoreContents(db, 'consultation_documents')
  await db.deleteFrom('file_blobs').execute()
}
