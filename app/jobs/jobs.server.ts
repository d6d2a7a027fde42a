import { type Actor, recordAudit } from '#app/models/audit.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { singleton } from '#app/utils/singleton.server.ts'
import type { JobState } from '#db/schema.ts'

/** The kinds of job the portal runs (app/jobs/kinds.server.ts has what each does). */
export const JOB_KINDS = [
  'campaigns.rebuild',
  'report.make',
  'responses.export',
  'publicReport.make',
  'themes.find',
  'themes.tag',
  'themes.merge',
  'themes.split',
] as const
export type JobKind = (typeof JOB_KINDS)[number]

/** A job as its page shows it. */
export interface Job {
  id: number
  kind: JobKind
  consultationId: number | null
  state: JobState
  /** What it was asked for beyond its kind and round. */
  payload: Record<string, unknown> | null
  phase: string | null
  done: number
  total: number | null
  result: Record<string, unknown> | null
  error: string | null
  requestedBy: number | null
  attempts: number
  cancelRequested: boolean
  createdAt: string
  startedAt: string | null
  heartbeatAt: string | null
  finishedAt: string | null
}

/** States a job can still move out of. */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'running']

const columns = [
  'id',
  'kind',
  'consultation_id',
  'state',
  'payload',
  'phase',
  'progress_done',
  'progress_total',
  'result',
  'error',
  'requested_by',
  'attempts',
  'cancel_requested',
  'created_at',
  'started_at',
  'heartbeat_at',
  'finished_at',
] as const

type Row = {
  id: number
  kind: string
  consultation_id: number | null
  state: JobState
  payload: string | null
  phase: string | null
  progress_done: number
  progress_total: number | null
  result: string | null
  error: string | null
  requested_by: number | null
  attempts: number
  cancel_requested: number
  created_at: string
  started_at: string | null
  heartbeat_at: string | null
  finished_at: string | null
}

function toJob(row: Row): Job {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    consultationId: row.consultation_id,
    state: row.state,
    payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : null,
    phase: row.phase,
    done: row.progress_done,
    total: row.progress_total,
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    error: row.error,
    requestedBy: row.requested_by,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at,
  }
}

/**
 * What the server's job runner listens to: told of each job queued by this process, so that it
 * starts at once rather than at the runner's next look (app/jobs/runner.server.ts). A
 * process-wide singleton, because the Remix app and the server are bundled apart.
 */
export const jobBell = singleton('job-bell', () => ({
  ring: (_id: number): void => {},
}))

/**
 * Queues a job, or returns the one of the same kind, round and payload already queued or
 * running: asking twice for a rebuild runs one. Audit-logged.
 */
export async function enqueueJob(
  db: DB,
  {
    kind,
    consultationId,
    actor,
    payload = null,
    now = new Date().toISOString(),
  }: {
    kind: JobKind
    consultationId: number | null
    actor: Actor | null
    payload?: Record<string, unknown> | null
    now?: string
  },
): Promise<{ job: Job; created: boolean }> {
  const payloadText = payload ? JSON.stringify(payload) : null
  const outcome = await db.transaction().execute(async (trx) => {
    let active = trx
      .selectFrom('jobs')
      .where('kind', '=', kind)
      .where('state', 'in', ACTIVE_STATES)
      .where('payload', 'is not distinct from', payloadText)
      .select(columns)
    active =
      consultationId === null
        ? active.where('consultation_id', 'is', null)
        : active.where('consultation_id', '=', consultationId)
    const existing = await active.orderBy('id').executeTakeFirst()
    if (existing) return { job: toJob(existing), created: false }
    const row = await trx
      .insertInto('jobs')
      .values({
        kind,
        consultation_id: consultationId,
        state: 'queued',
        payload: payloadText,
        requested_by: actor?.id ?? null,
        created_at: now,
      })
      .returning(columns)
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor,
      action: 'job.queued',
      entityType: 'job',
      entityId: row.id,
      after: { kind, consultationId, ...(payload ?? {}) },
      now: new Date(now),
    })
    return { job: toJob(row), created: true }
  })
  if (outcome.created) jobBell.ring(outcome.job.id)
  return outcome
}

/** One job, or undefined. */
export async function getJob(db: DB, { id }: { id: number }): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').where('id', '=', id).select(columns).executeTakeFirst()
  return row ? toJob(row) : undefined
}

/**
 * The newest job of a kind that succeeded for a round (its result is what it found), of the
 * payload given if one is (null: none), of any payload if not.
 */
export async function latestSucceededJob(
  db: DB,
  {
    kind,
    consultationId,
    payload,
  }: { kind: JobKind; consultationId: number; payload?: Record<string, unknown> | null },
): Promise<Job | undefined> {
  const row = await db
    .selectFrom('jobs')
    .where('consultation_id', '=', consultationId)
    .where('kind', '=', kind)
    .where('state', '=', 'succeeded')
    .$if(payload !== undefined, (q) =>
      q.where('payload', 'is not distinct from', payload ? JSON.stringify(payload) : null),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .select(columns)
    .executeTakeFirst()
  return row ? toJob(row) : undefined
}

/** A round's latest jobs, newest first. */
export async function listRoundJobs(
  db: DB,
  { consultationId, limit = 10 }: { consultationId: number; limit?: number },
): Promise<Job[]> {
  const rows = await db
    .selectFrom('jobs')
    .where('consultation_id', '=', consultationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .select(columns)
    .execute()
  return rows.map(toJob)
}

/** Ids of queued jobs, oldest first: what a runner starts when it looks. */
export async function listQueuedJobIds(
  db: DB,
  { before, limit = 20 }: { before?: string; limit?: number } = {},
): Promise<number[]> {
  let query = db.selectFrom('jobs').where('state', '=', 'queued')
  if (before) query = query.where('created_at', '<', before)
  const rows = await query.orderBy('id').limit(limit).select('id').execute()
  return rows.map((r) => r.id)
}

/**
 * Claims a queued job for `worker`: true for exactly one of any number of claims at once, since
 * the state changes from 'queued' in one conditional update. A job cancelled before it started
 * is finished here instead.
 */
export async function claimJob(
  db: DB,
  { id, worker, now = new Date().toISOString() }: { id: number; worker: string; now?: string },
): Promise<Job | null> {
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      worker,
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
      heartbeat_at: now,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .where('cancel_requested', '=', 0)
    .returning(columns)
    .executeTakeFirst()
  if (row) return toJob(row)
  const cancelled = await db
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .where('cancel_requested', '=', 1)
    .returning('id')
    .executeTakeFirst()
  if (cancelled) {
    await recordAudit(db, {
      actor: null,
      action: 'job.cancelled',
      entityType: 'job',
      entityId: id,
      now: new Date(now),
    })
  }
  return null
}

/**
 * Records a running job's progress and that its server is alive; says whether someone asked to
 * cancel it. Only the worker that claimed it may write: one whose job was taken back (its
 * server thought dead) learns it is no longer its own.
 */
export async function reportProgress(
  db: DB,
  {
    id,
    worker,
    done,
    total,
    phase,
    now = new Date().toISOString(),
  }: {
    id: number
    worker: string
    done?: number
    total?: number | null
    phase?: string
    now?: string
  },
): Promise<{ cancelRequested: boolean; owned: boolean }> {
  const row = await db
    .updateTable('jobs')
    .set({
      heartbeat_at: now,
      ...(done === undefined ? {} : { progress_done: Math.max(0, Math.round(done)) }),
      ...(total === undefined ? {} : { progress_total: total === null ? null : Math.round(total) }),
      ...(phase === undefined ? {} : { phase }),
    })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .returning('cancel_requested')
    .executeTakeFirst()
  return { cancelRequested: row?.cancel_requested === 1, owned: row !== undefined }
}

/** Ends a running job: succeeded with its result, failed with its error, or cancelled. Audit-logged. */
export async function finishJob(
  db: DB,
  {
    id,
    worker,
    state,
    result,
    error,
    now = new Date().toISOString(),
  }: {
    id: number
    worker: string
    state: 'succeeded' | 'failed' | 'cancelled'
    result?: Record<string, unknown>
    error?: string
    now?: string
  },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('jobs')
      .set({
        state,
        finished_at: now,
        heartbeat_at: now,
        result: result ? JSON.stringify(result) : null,
        error: error ? error.slice(0, 2000) : null,
      })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('worker', '=', worker)
      .returning(['kind', 'consultation_id'])
      .executeTakeFirst()
    if (!row) return false
    await recordAudit(trx, {
      actor: null,
      action: `job.${state}`,
      entityType: 'job',
      entityId: id,
      after: { kind: row.kind, consultationId: row.consultation_id, ...(result ?? {}) },
      now: new Date(now),
    })
    return true
  })
}

/**
 * Asks a job to stop: a queued one never starts, a running one stops at its next step and
 * leaves what it was replacing as it was. Audit-logged; false if the job had already ended.
 */
export async function requestCancel(
  db: DB,
  { id, actor, now = new Date().toISOString() }: { id: number; actor: Actor; now?: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('jobs')
      .set({ cancel_requested: 1 })
      .where('id', '=', id)
      .where('state', 'in', ACTIVE_STATES)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    await recordAudit(trx, {
      actor,
      action: 'job.cancel_requested',
      entityType: 'job',
      entityId: id,
      now: new Date(now),
    })
    return true
  })
}

/**
 * Queues again the running jobs whose server stopped saying it was alive before `staleBefore`
 * (killed, or cut off): a job interrupted by a crash is taken up again. Returns their ids.
 */
export async function requeueStaleJobs(
  db: DB,
  { staleBefore, now = new Date().toISOString() }: { staleBefore: string; now?: string },
): Promise<number[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ state: 'queued', worker: null })
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .returning('id')
    .execute()
  for (const { id } of rows) {
    await recordAudit(db, {
      actor: null,
      action: 'job.resumed',
      entityType: 'job',
      entityId: id,
      now: new Date(now),
    })
  }
  return rows.map((r) => r.id)
}

/** Queues again the jobs `worker` was running: its server is stopping. Returns their ids. */
export async function releaseJobs(db: DB, { worker }: { worker: string }): Promise<number[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ state: 'queued', worker: null })
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** What a job's page shows of it: no worker names, the time it has taken in seconds. */
export function jobView(job: Job, now = Date.now()) {
  const started = job.startedAt ? Date.parse(job.startedAt) : null
  const ended = job.finishedAt ? Date.parse(job.finishedAt) : now
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    phase: job.phase,
    done: job.done,
    total: job.total,
    result: job.result,
    error: job.error,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    createdAt: job.createdAt,
    seconds: started === null ? null : Math.max(0, Math.round((ended - started) / 1000)),
  }
}

/**
 * Waits up to `budgetMs` for a job to end: a request that asked for it answers with the result
 * when it is quick (a small round's rebuild), and with the job's progress page when it is not.
 */
export async function waitForJob(
  db: DB,
  { id, budgetMs }: { id: number; budgetMs: number },
): Promise<Job | undefined> {
  const until = Date.now() + budgetMs
  for (;;) {
    const job = await getJob(db, { id })
    if (!job || !ACTIVE_STATES.includes(job.state) || Date.now() >= until) return job
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
