import {
  CHUNK_BYTES,
  blobStream,
  claimBlobs,
  deleteBlobs,
  stageBlob,
} from '#app/models/file-store.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import type { Job, JobKind } from './jobs.server.ts'
import { JobCancelled } from './runner.server.ts'

// The files jobs make, in the blob store (app/models/file-store.server.ts) with a row in
// job_outputs: a report or an export waits there for the official who asked, and the public
// report's copy for its readers.

/** A file a job made. */
export interface JobOutput {
  id: number
  jobId: number
  blobId: number
  filename: string
  mediaType: string
  sizeBytes: number
  /** When the job read the data the file holds. */
  createdAt: string
}

/** How long a request for a file waits for its job before sending the job's page instead. */
export const DOWNLOAD_BUDGET_MS = 1500

/** Officials' reports and exports are kept this long for their download link, then removed. */
export const OUTPUT_LIFETIME_MS = 24 * 60 * 60_000

/**
 * The wait a request asked for with `?wait=` (milliseconds, at most DOWNLOAD_BUDGET_MS): a
 * client that prefers the job's page at once asks for 0.
 */
export function downloadBudget(request: Request): number {
  const asked = Number(new URL(request.url).searchParams.get('wait') ?? DOWNLOAD_BUDGET_MS)
  return Number.isFinite(asked) ? Math.min(DOWNLOAD_BUDGET_MS, Math.max(0, asked)) : 0
}

const columns = [
  'o.id',
  'o.job_id',
  'o.blob_id',
  'o.filename',
  'o.media_type',
  'o.size_bytes',
  'o.created_at',
] as const

type Row = {
  id: number
  job_id: number
  blob_id: number
  filename: string
  media_type: string
  size_bytes: number
  created_at: string
}

function toOutput(row: Row): JobOutput {
  return {
    id: row.id,
    jobId: row.job_id,
    blobId: row.blob_id,
    filename: row.filename,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
  }
}

/**
 * Writes a job's file into the blob store as `source` gives it, and records it as the job's
 * output. The file is claimed in the same transaction that records it, and only if the job is
 * still running and nobody asked to cancel it: a cancelled job leaves no file behind (a cancel
 * that comes later finds the job already done, with its file).
 */
export async function storeJobOutput(
  db: DB,
  {
    job,
    source,
    filename,
    mediaType,
    createdAt,
  }: {
    job: Pick<Job, 'id'>
    source: AsyncIterable<Uint8Array>
    filename: string
    mediaType: string
    createdAt: string
  },
): Promise<JobOutput> {
  // The round's storage cap counts what respondents sent: officials' files stay outside it.
  const staged = await stageBlob(db, {
    source,
    consultationId: null,
    maxBytes: Number.MAX_SAFE_INTEGER,
  })
  if (!('blob' in staged)) throw new Error('unreachable: no size limit')
  const { blob } = staged
  try {
    return await db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('jobs')
        .where('id', '=', job.id)
        .where('state', '=', 'running')
        .where('cancel_requested', '=', 0)
        .select('id')
        .executeTakeFirst()
      if (!live) throw new JobCancelled()
      await claimBlobs(trx, [blob.id])
      const row = await trx
        .insertInto('job_outputs')
        .values({
          job_id: job.id,
          blob_id: blob.id,
          filename,
          media_type: mediaType,
          size_bytes: blob.size,
          created_at: createdAt,
        })
        .returning([
          'id',
          'job_id',
          'blob_id',
          'filename',
          'media_type',
          'size_bytes',
          'created_at',
        ])
        .executeTakeFirstOrThrow()
      return toOutput(row)
    })
  } catch (error) {
    await deleteBlobs(db, [blob.id]).catch(() => {})
    throw error
  }
}

/**
 * Bytes in memory as the blob store's pieces, awaiting `step(done, total)` before each and
 * letting requests in between: writing a large file must not hold the server's thread.
 */
export async function* piecesOf(
  bytes: Uint8Array,
  step: (done: number, total: number) => Promise<void>,
): AsyncGenerator<Uint8Array> {
  const total = Math.max(1, Math.ceil(bytes.byteLength / CHUNK_BYTES))
  for (let i = 0; i < total; i++) {
    await step(i, total)
    yield bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)
    await new Promise((resolve) => setImmediate(resolve))
  }
  await step(total, total)
}

/**
 * A byte stream's chunks, awaiting `step()` after each and letting requests in between: on
 * SQLite every query resolves at once, so a loop of them never gives the event loop a turn.
 * The stream is cancelled if the reader stops early (a cancelled job).
 */
export async function* pacedChunks(
  stream: ReadableStream<Uint8Array>,
  step: () => Promise<void>,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  let finished = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      yield value
      await step()
      await new Promise((resolve) => setImmediate(resolve))
    }
    finished = true
  } finally {
    if (!finished) await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}

/** A finished job's file with what the job was asked for. */
export interface JobDownload extends JobOutput {
  kind: JobKind
  consultationId: number | null
  payload: Record<string, unknown>
}

/** A finished job's file, or undefined (none made, or no longer kept). */
export async function getJobOutput(
  db: DB,
  { jobId }: { jobId: number },
): Promise<JobDownload | undefined> {
  const row = await db
    .selectFrom('job_outputs as o')
    .innerJoin('jobs as j', 'j.id', 'o.job_id')
    .where('o.job_id', '=', jobId)
    .where('j.state', '=', 'succeeded')
    .orderBy('o.id', 'desc')
    .select([...columns, 'j.kind', 'j.consultation_id', 'j.payload'])
    .executeTakeFirst()
  if (!row) return undefined
  return {
    ...toOutput(row),
    kind: row.kind as JobKind,
    consultationId: row.consultation_id,
    payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : {},
  }
}

/**
 * The newest file made by a succeeded job of this kind, round and payload whose data was read
 * at `since` or later, or undefined.
 */
export async function findLatestOutput(
  db: DB,
  {
    kind,
    consultationId,
    payload,
    since,
  }: { kind: JobKind; consultationId: number; payload: Record<string, unknown>; since: string },
): Promise<JobOutput | undefined> {
  const row = await db
    .selectFrom('job_outputs as o')
    .innerJoin('jobs as j', 'j.id', 'o.job_id')
    .where('j.kind', '=', kind)
    .where('j.consultation_id', '=', consultationId)
    .where('j.payload', '=', JSON.stringify(payload))
    .where('j.state', '=', 'succeeded')
    .where('o.created_at', '>=', since)
    .orderBy('o.id', 'desc')
    .select(columns)
    .executeTakeFirst()
  return row ? toOutput(row) : undefined
}

/** Removes the files of jobs of this kind, round and payload made before `output`. */
export async function deleteOlderOutputs(
  db: DB,
  {
    kind,
    consultationId,
    payload,
    output,
  }: {
    kind: JobKind
    consultationId: number
    payload: Record<string, unknown>
    output: Pick<JobOutput, 'id'>
  },
): Promise<number> {
  const older = await db
    .selectFrom('job_outputs as o')
    .innerJoin('jobs as j', 'j.id', 'o.job_id')
    .where('j.kind', '=', kind)
    .where('j.consultation_id', '=', consultationId)
    .where('j.payload', '=', JSON.stringify(payload))
    .where('o.id', '<', output.id)
    .select(['o.id', 'o.blob_id'])
    .execute()
  await removeOutputs(db, older)
  return older.length
}

/** Removes the files of jobs of these kinds made before `before`. Returns how many. */
export async function deleteExpiredOutputs(
  db: DB,
  { kinds, before }: { kinds: readonly JobKind[]; before: string },
): Promise<number> {
  const expired = await db
    .selectFrom('job_outputs as o')
    .innerJoin('jobs as j', 'j.id', 'o.job_id')
    .where('j.kind', 'in', kinds)
    .where('o.created_at', '<', before)
    .select(['o.id', 'o.blob_id'])
    .limit(500)
    .execute()
  await removeOutputs(db, expired)
  return expired.length
}

async function removeOutputs(db: DB, outputs: { id: number; blob_id: number }[]) {
  if (outputs.length === 0) return
  await db
    .deleteFrom('job_outputs')
    .where(
      'id',
      'in',
      outputs.map((o) => o.id),
    )
    .execute()
  await deleteBlobs(
    db,
    outputs.map((o) => o.blob_id),
  )
}

/**
 * A job's file as a download: its type, its name, its length (a download cut short shows as
 * such), never kept by a browser or a proxy (officials' exports hold personal data).
 */
export function outputResponse(db: DB, output: JobOutput): Response {
  return new Response(blobStream(db, output.blobId), {
    headers: {
      'Content-Type': output.mediaType,
      'Content-Disposition': `attachment; filename="${output.filename}"`,
      'Content-Length': String(output.sizeBytes),
      'Cache-Control': 'private, no-store',
    },
  })
}
