import {
  type JobOutput,
  deleteOlderOutputs,
  findLatestOutput,
} from '#app/jobs/job-outputs.server.ts'
import {
  ACTIVE_STATES,
  type Job,
  type JobKind,
  enqueueJob,
  getJob,
  waitForJob,
} from '#app/jobs/jobs.server.ts'
import { readBlob } from '#app/models/file-store.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { cachedAdaptive, cachedAlways } from '#app/utils/ttl-cache.server.ts'

// The published report of a round as PDF. Laying it out takes 8 s at a million responses and
// anyone may ask for it, so no request ever lays it out: a job ('publicReport.make') stores a
// copy per language, and the route serves the copy while it is current. Whatever clears the
// kept copies of public data (clearCache: an official's change to what the public sees) makes
// it stale, on every server; a stale copy is never served, since the change may have taken
// something out of public view (a withdrawn response, a name).

/** How long a published report may be kept by a reader's browser (its Cache-Control says as much). */
export const PUBLIC_REPORT_TTL_MS = 300_000

/** The job kind that makes the public copy. */
export const PUBLIC_REPORT_KIND = 'publicReport.make' satisfies JobKind

/** What the public copy's job is asked for: one copy per language and zone. */
export function publicReportPayload({ locale, timeZone }: { locale: string; timeZone: string }) {
  // In this order always: the payload's text is how a copy is found.
  return { locale, timeZone }
}

/**
 * The time since which a stored copy is current on this server: when this server last forgot
 * its kept copies. It is kept as one of them, so it goes with every clearCache(), with the
 * clears other servers send over PostgreSQL (app/server/cache-signal.server.ts), and when this
 * server starts (a change made while it was down cleared nothing here); the next call takes the
 * time afresh. A copy whose job read the data at that time or later is current. Copies made on
 * other servers are compared by their clocks, which agree closely enough on one database.
 */
export function reportsCurrentSince(): Promise<string> {
  return cachedAlways('report-current-since', Number.POSITIVE_INFINITY, async () =>
    new Date().toISOString(),
  )
}

/** A round's time zone: the public copy shows the round's dates as the round gives them. */
export async function roundTimeZone(db: DB, { consultationId }: { consultationId: number }) {
  const row = await db
    .selectFrom('consultations')
    .where('id', '=', consultationId)
    .select('time_zone')
    .executeTakeFirstOrThrow()
  return row.time_zone
}

/** A stored copy's bytes, kept in memory (one array for every reader); null when it has just gone. */
async function copyBytes(db: DB, copy: JobOutput): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await cachedAdaptive(
      `report-copy:${copy.blobId}`,
      PUBLIC_REPORT_TTL_MS,
      async () => {
        // One statement reads every piece: a copy replaced meanwhile reads as nothing, never
        // as half a file.
        const bytes = await readBlob(db, copy.blobId)
        if (bytes.byteLength !== copy.sizeBytes) throw new Error('the copy is gone')
        // readBlob copies the pieces into an array of its own, never a shared one.
        return bytes as Uint8Array<ArrayBuffer>
      },
      { limit: 16, always: true },
    )
  } catch {
    return null
  }
}

const waits = new Map<number, Promise<Job | undefined>>()

/**
 * Waits up to `budgetMs` for the copy's job, in one wait per job however many readers wait: after
 * a change, every reader of a popular round asks within the same second, and each looking at the
 * job every 50 ms would be thousands of queries.
 */
async function waitForCopy(db: DB, { id, budgetMs }: { id: number; budgetMs: number }) {
  let shared = waits.get(id)
  if (!shared) {
    shared = waitForJob(db, { id, budgetMs }).finally(() => waits.delete(id))
    waits.set(id, shared)
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, budgetMs, null)))
  const ended = await Promise.race([shared, timeout]).finally(() => clearTimeout(timer))
  // A wait begun by another reader may end before this one's budget does, or after it.
  return ended && !ACTIVE_STATES.includes(ended.state) ? ended : getJob(db, { id })
}

export type PublicReport =
  { copy: JobOutput; bytes: Uint8Array<ArrayBuffer> } | { preparing: number }

/**
 * The round's published report for one language and zone: the current stored copy, or, when
 * there is none, the job that makes one, waited for up to `budgetMs` (a small round's copy is
 * made in well under that). `preparing` names the job when the copy is not ready in time. The
 * caller checks that the report is published.
 */
export async function publicReport(
  db: DB,
  {
    consultationId,
    locale,
    timeZone,
    budgetMs,
  }: { consultationId: number; locale: string; timeZone: string; budgetMs: number },
): Promise<PublicReport> {
  const payload = publicReportPayload({ locale, timeZone })
  const until = Date.now() + budgetMs
  let jobId: number | null = null
  // Two jobs at most: one already running when the data changed makes a copy that is stale at
  // once, and the next is asked for.
  for (let attempt = 0; ; attempt++) {
    const since = await reportsCurrentSince()
    const copy = await findLatestOutput(db, {
      kind: PUBLIC_REPORT_KIND,
      consultationId,
      payload,
      since,
    })
    if (copy) {
      const bytes = await copyBytes(db, copy)
      if (bytes) return { copy, bytes }
      // Replaced while it was read: the copy that replaced it is current.
      if (attempt < 2) continue
    }
    if (attempt === 2) break
    const { job } = await enqueueJob(db, {
      kind: PUBLIC_REPORT_KIND,
      consultationId,
      actor: null,
      payload,
    })
    jobId = job.id
    const left = until - Date.now()
    if (left <= 0) break
    const ended = await waitForCopy(db, { id: job.id, budgetMs: left })
    if (!ended || ACTIVE_STATES.includes(ended.state)) break
  }
  return { preparing: jobId! }
}

/** Removes the copies a new copy replaces (same round, language and zone). */
export function deleteReplacedCopies(
  db: DB,
  {
    consultationId,
    payload,
    output,
  }: { consultationId: number; payload: Record<string, unknown>; output: JobOutput },
): Promise<number> {
  return deleteOlderOutputs(db, { kind: PUBLIC_REPORT_KIND, consultationId, payload, output })
}
