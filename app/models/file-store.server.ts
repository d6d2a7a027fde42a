import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Database } from '#db/schema.ts'

// Uploaded files in the database, in pieces (see migration 2026_12_01_000100): written as they
// arrive, one piece per statement, so no request holds a whole file and no transaction writes
// megabytes. A file is staged while its request is read; the transaction that stores its
// response or document claims it; the sweep removes what no request claimed.

type Tx = Kysely<Database>

/** The size of one stored piece. */
export const CHUNK_BYTES = 512 * 1024
/** A staged file not claimed within this time belonged to a request that failed. */
export const STAGED_LIFETIME_MS = 60 * 60_000

export interface StoredBlob {
  id: number
  size: number
  sha256: string
}

export type StageResult = { blob: StoredBlob } | { oversize: true }

/**
 * Writes a stream of bytes into a new staged file, a piece at a time. Past `maxBytes` it stops
 * writing, reads the rest of the stream to its end (so the form's other fields still arrive),
 * removes what it wrote and says the file was too large.
 */
export async function stageBlob(
  db: Tx,
  {
    source,
    consultationId,
    maxBytes,
    now = new Date().toISOString(),
  }: {
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
    consultationId: number | null
    maxBytes: number
    now?: string
  },
): Promise<StageResult> {
  const { id } = await db
    .insertInto('file_blobs')
    .values({ state: 'staged', consultation_id: consultationId, size_bytes: 0, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const hash = createHash('sha256')
  const piece = Buffer.allocUnsafe(CHUNK_BYTES)
  let filled = 0
  let size = 0
  let seq = 0
  let over = false
  const flush = async () => {
    if (filled === 0 && seq > 0) return
    // better-sqlite3 copies the bytes it binds, so the piece can be filled again at once.
    await db
      .insertInto('file_chunks')
      .values({ blob_id: id, seq, data: piece.subarray(0, filled) })
      .execute()
    await db.updateTable('file_blobs').set({ size_bytes: size }).where('id', '=', id).execute()
    seq++
    filled = 0
  }
  try {
    for await (const chunk of source) {
      if (over) continue
      size += chunk.byteLength
      if (size > maxBytes) {
        over = true
        continue
      }
      hash.update(chunk)
      let offset = 0
      while (offset < chunk.byteLength) {
        const n = Math.min(CHUNK_BYTES - filled, chunk.byteLength - offset)
        piece.set(chunk.subarray(offset, offset + n), filled)
        filled += n
        offset += n
        if (filled === CHUNK_BYTES) await flush()
      }
    }
    if (over) {
      await deleteBlobs(db, [id])
      return { oversize: true }
    }
    await flush()
    const sha256 = hash.digest('hex')
    await db
      .updateTable('file_blobs')
      .set({ size_bytes: size, sha256 })
      .where('id', '=', id)
      .execute()
    return { blob: { id, size, sha256 } }
  } catch (error) {
    await deleteBlobs(db, [id]).catch(() => {})
    throw error
  }
}

/**
 * Stages bytes already in memory (seeds, tests) as one file, for the caller's transaction to claim.
 */
export async function stageBytes(
  db: Tx,
  { bytes, consultationId = null }: { bytes: Uint8Array; consultationId?: number | null },
): Promise<StoredBlob> {
  const staged = await stageBlob(db, {
    source: [bytes],
    consultationId,
    maxBytes: Number.MAX_SAFE_INTEGER,
  })
  if (!('blob' in staged)) throw new Error('unreachable: no size limit')
  return staged.blob
}

/**
 * Marks staged files as stored, inside the transaction that stores what they belong to. Throws if
 * one is no longer staged (swept after its request took too long), so that transaction fails whole.
 */
export async function claimBlobs(trx: Tx, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  const result = await trx
    .updateTable('file_blobs')
    .set({ state: 'stored' })
    .where('id', 'in', ids)
    .where('state', '=', 'staged')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== new Set(ids).size) {
    throw new Error('An uploaded file is no longer staged: the request took too long.')
  }
}

/** Removes files and their pieces. */
export async function deleteBlobs(db: Tx, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500)
    await db.deleteFrom('file_chunks').where('blob_id', 'in', batch).execute()
    await db.deleteFrom('file_blobs').where('id', 'in', batch).execute()
  }
}

/** A file's bytes, a piece at a time, as the reader asks for them. */
export function blobStream(db: Tx, blobId: number): ReadableStream<Uint8Array> {
  let seq = 0
  return new ReadableStream<Uint8Array>(
    {
      // Each pull must enqueue or close: a pull that does neither stalls the stream for good
      // (an empty file is one empty piece).
      async pull(controller) {
        for (;;) {
          const row = await db
            .selectFrom('file_chunks')
            .where('blob_id', '=', blobId)
            .where('seq', '=', seq)
            .select('data')
            .executeTakeFirst()
          if (!row) {
            controller.close()
            return
          }
          seq++
          if (row.data.byteLength > 0) {
            controller.enqueue(new Uint8Array(row.data))
            return
          }
        }
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * Bytes `start` to `end` of a file (every piece but the last holds CHUNK_BYTES), read from the
 * pieces that hold them: random access for the type check, which reads a few kilobytes.
 */
export async function readBlobRange(
  db: Tx,
  { blobId, start, end }: { blobId: number; start: number; end: number },
): Promise<Uint8Array> {
  if (end <= start) return new Uint8Array(0)
  const first = Math.floor(start / CHUNK_BYTES)
  const last = Math.floor((end - 1) / CHUNK_BYTES)
  const rows = await db
    .selectFrom('file_chunks')
    .where('blob_id', '=', blobId)
    .where('seq', '>=', first)
    .where('seq', '<=', last)
    .orderBy('seq')
    .select('data')
    .execute()
  const joined = Buffer.concat(rows.map((r) => r.data))
  const offset = start - first * CHUNK_BYTES
  return new Uint8Array(joined.subarray(offset, offset + (end - start)))
}

/** A file's bytes as one array: for small files only (type checks of a few kilobytes, tests). */
export async function readBlob(db: Tx, blobId: number): Promise<Uint8Array> {
  const rows = await db
    .selectFrom('file_chunks')
    .where('blob_id', '=', blobId)
    .orderBy('seq')
    .select('data')
    .execute()
  return new Uint8Array(Buffer.concat(rows.map((r) => r.data)))
}

/** The bytes a round's respondents have sent as files, staged ones included. */
export async function roundStorageBytes(db: Tx, consultationId: number): Promise<number> {
  const row = await db
    .selectFrom('file_blobs')
    .where('consultation_id', '=', consultationId)
    .select(sql<number>`coalesce(sum(size_bytes), 0)`.as('bytes'))
    .executeTakeFirstOrThrow()
  return Number(row.bytes)
}

/**
 * Removes staged files older than STAGED_LIFETIME_MS (their request failed or the server stopped
 * while reading it) and stored files that no attachment or document names, a batch at a time.
 * Returns how many it removed.
 */
export async function sweepBlobs(
  db: Tx,
  { now = Date.now(), batch = 200 }: { now?: number; batch?: number } = {},
): Promise<number> {
  const before = new Date(now - STAGED_LIFETIME_MS).toISOString()
  let removed = 0
  for (;;) {
    const stale = await db
      .selectFrom('file_blobs as b')
      .where((eb) =>
        eb.or([
          eb.and([eb('b.state', '=', 'staged'), eb('b.created_at', '<', before)]),
          eb.and([
            eb('b.state', '=', 'stored'),
            eb.not(
              eb.exists(
                eb.selectFrom('attachments as a').select('a.id').whereRef('a.blob_id', '=', 'b.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('consultation_documents as d')
                  .select('d.id')
                  .whereRef('d.blob_id', '=', 'b.id'),
              ),
            ),
            // A job's file (a report, an export) is kept until the job's own clean-up.
            eb.not(
              eb.exists(
                eb.selectFrom('job_outputs as o').select('o.id').whereRef('o.blob_id', '=', 'b.id'),
              ),
            ),
          ]),
        ]),
      )
      .select('b.id')
      .limit(batch)
      .execute()
    if (stale.length === 0) return removed
    await deleteBlobs(
      db,
      stale.map((s) => s.id),
    )
    removed += stale.length
    // Let requests in between batches.
    await new Promise((resolve) => setImmediate(resolve))
  }
}
