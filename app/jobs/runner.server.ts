import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { DB } from '#app/utils/db.server.ts'
import {
  type Job,
  type JobKind,
  claimJob,
  finishJob,
  jobBell,
  listQueuedJobIds,
  releaseJobs,
  reportProgress,
  requeueStaleJobs,
} from './jobs.server.ts'

/** Thrown by a job's progress report when someone asked to cancel it. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}

/** Thrown by a job's progress report when its job was taken back (its server was thought dead). */
export class JobLost extends Error {
  constructor(message = 'the job was taken up by another server') {
    super(message)
    // Known by name where importing this would be a cycle (campaigns.server.ts).
    this.name = 'JobLost'
  }
}

/** What a job's code is given: the database, its row, and a way to report progress. */
export interface JobContext {
  db: DB
  job: Job
  /** Records progress; throws JobCancelled when the job is to stop. */
  progress(step: { phase: string; done: number; total: number | null }): Promise<void>
}

/** A kind of job: does the work, returns what the job's page shows as its result. */
export type JobHandler = (context: JobContext) => Promise<Record<string, unknown>>

export interface JobRunnerOptions {
  db: DB
  handlers: Record<JobKind, JobHandler>
  /** PostgreSQL: the queue (pg-boss) through which the servers share the jobs. */
  postgres?: { url: string; schema: string }
  /** How often the runner looks for jobs it was not told of, and for stalled ones. */
  pollMs?: number
  /** How often a running job says it is alive. */
  heartbeatMs?: number
  /** A running job silent for this long is taken up again (its server is thought dead). */
  staleMs?: number
  /**
   * SQLite: this is the only server, so a job still 'running' when it starts was cut off by a
   * crash or a kill and is taken up again at once.
   */
  soleServer?: boolean
  log?: (line: string) => void
}

export interface JobRunner {
  /** This runner's name in the jobs it claims. */
  readonly worker: string
  /** Resolves when no job is running or waiting for this runner (tests). */
  idle(): Promise<void>
  stop(): Promise<void>
}

/** pg-boss's queue of "job N is waiting" messages. */
const QUEUE = 'portal-jobs'
/** A queued job is told to the queue again after this long without being claimed. */
const RETELL_MS = 10_000
/** Progress is written at most this often (a heartbeat with it); the first and last always. */
const PROGRESS_MS = 250

/**
 * Runs the portal's jobs in this server process, one at a time (the machine has two cores, and
 * requests need one). On SQLite it takes them from the jobs table; on PostgreSQL pg-boss hands
 * each server the jobs it is to run, and the conditional claim (claimJob) makes sure that a job
 * runs once even if two servers are told of it. Either way a job whose server dies is queued
 * again once it has been silent for staleMs, and taken up from the start.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const {
    db,
    handlers,
    postgres,
    pollMs = 1000,
    heartbeatMs = 5000,
    staleMs = 30_000,
    soleServer = false,
    log = (line) => console.log(line),
  } = options
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  let stopping = false
  let running: Promise<void> = Promise.resolve()
  /** Jobs in this server's own line, waiting or running. */
  const local = new Set<number>()

  async function run(id: number): Promise<void> {
    const job = await claimJob(db, { id, worker })
    if (!job) return
    const handler = handlers[job.kind]
    let lastWrite = 0
    /** The phase last written: a new one is written at once, or a short one is never seen. */
    let lastPhase: string | undefined
    let stop: Error | null = null
    const beat = async (step: { phase?: string; done?: number; total?: number | null } = {}) => {
      const { cancelRequested, owned } = await reportProgress(db, { id, worker, ...step })
      lastWrite = Date.now()
      if (step.phase !== undefined) lastPhase = step.phase
      if (!owned) stop = new JobLost()
      else if (cancelRequested) stop ??= new JobCancelled()
    }
    const heartbeat = setInterval(() => {
      void beat().catch(() => {})
    }, heartbeatMs)
    heartbeat.unref()
    const context: JobContext = {
      db,
      job,
      async progress(step) {
        if (stopping) stop ??= new JobLost('the server is stopping')
        const due =
          Date.now() - lastWrite >= PROGRESS_MS ||
          step.done === step.total ||
          step.phase !== lastPhase
        if (due) await beat(step)
        if (stop) throw stop
      },
    }
    try {
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`)
      const result = await handler(context)
      await finishJob(db, { id, worker, state: 'succeeded', result })
    } catch (error) {
      if (error instanceof JobLost) {
        log(`Job ${id} (${job.kind}) stopped here: ${error.message}.`)
      } else if (error instanceof JobCancelled || (stop as Error | null) instanceof JobCancelled) {
        await finishJob(db, { id, worker, state: 'cancelled' })
        log(`Job ${id} (${job.kind}) cancelled.`)
      } else {
        const message = error instanceof Error ? error.message : String(error)
        await finishJob(db, { id, worker, state: 'failed', error: message })
        log(`Job ${id} (${job.kind}) failed: ${message}`)
      }
    } finally {
      clearInterval(heartbeat)
    }
  }

  /** Runs a job after those before it: never two at once in this server. */
  function enqueueLocal(id: number): Promise<void> {
    if (local.has(id)) return running
    local.add(id)
    const next = running.then(async () => {
      try {
        if (!stopping) await run(id)
      } catch (error) {
        log(`Job ${id} could not run: ${error instanceof Error ? error.message : String(error)}`)
      } finally {
        local.delete(id)
      }
    })
    running = next
    return next
  }

  // Jobs whose server died: on SQLite (one server) every one still running, on PostgreSQL those
  // silent for staleMs.
  const staleBefore = () => new Date(Date.now() - (soleServer ? -1000 : staleMs)).toISOString()
  const resumed = await requeueStaleJobs(db, { staleBefore: staleBefore() })
  for (const id of resumed) log(`Job ${id} was interrupted: taken up again.`)

  let stopBoss = async () => {}
  let tell: (id: number) => Promise<void>
  if (postgres) {
    const { default: PgBoss } = await import('pg-boss')
    const boss = new PgBoss({
      connectionString: postgres.url,
      schema: postgres.schema,
      max: 2,
      schedule: false,
      application_name: 'portal-jobs',
    })
    boss.on('error', (error) => log(`Job queue: ${error.message}`))
    await boss.start()
    await boss.createQueue(QUEUE)
    const workerId = await boss.work<{ id: number }>(
      QUEUE,
      { pollingIntervalSeconds: Math.max(0.5, pollMs / 1000), batchSize: 1 },
      async ([message]) => {
        if (message) await enqueueLocal(message.data.id)
      },
    )
    // Retries are the jobs table's: a message that fails is not sent again by pg-boss.
    tell = async (id) => {
      await boss.send(QUEUE, { id }, { retryLimit: 0, expireInSeconds: 23 * 3600 })
      // This server looks at once rather than at its next poll: a request waiting for the job
      // it asked for (1.5 s) would otherwise spend most of it waiting for the poll.
      boss.notifyWorker(workerId)
    }
    stopBoss = () => boss.stop({ graceful: false, wait: true, close: true })
  } else {
    tell = async (id) => {
      void enqueueLocal(id)
    }
  }

  // Jobs queued while no runner listened (or by a server that died before telling the queue),
  // and jobs found stalled, are told again, at most every RETELL_MS; a job told twice is claimed
  // once.
  const toldAt = new Map<number, number>()
  async function look() {
    const stale = await requeueStaleJobs(db, {
      staleBefore: new Date(Date.now() - staleMs).toISOString(),
    })
    for (const id of stale) {
      log(`Job ${id} stalled on its server: taken up again.`)
      toldAt.delete(id)
    }
    const queued = await listQueuedJobIds(db)
    for (const id of toldAt.keys()) if (!queued.includes(id)) toldAt.delete(id)
    for (const id of queued) {
      if (Date.now() - (toldAt.get(id) ?? 0) < RETELL_MS) continue
      toldAt.set(id, Date.now())
      await tell(id)
    }
  }
  const poller = setInterval(() => {
    if (!stopping) void look().catch((error: unknown) => log(`Job runner: ${String(error)}`))
  }, pollMs)
  poller.unref()
  const previousRing = jobBell.ring
  jobBell.ring = (id) => {
    toldAt.set(id, Date.now())
    void tell(id).catch((error: unknown) => log(`Job runner: ${String(error)}`))
  }
  await look()

  return {
    worker,
    async idle() {
      for (;;) {
        await running
        const queued = await listQueuedJobIds(db, { limit: 1 })
        if (local.size === 0 && queued.length === 0) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async stop() {
      stopping = true
      clearInterval(poller)
      jobBell.ring = previousRing
      await stopBoss()
      await running
      // What this server was running is queued again for the next to take up at once.
      for (const id of await releaseJobs(db, { worker })) log(`Job ${id} left for the next server.`)
    },
  }
}
