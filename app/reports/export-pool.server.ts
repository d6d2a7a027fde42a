import { Worker } from 'node:worker_threads'
import { singleton } from '#app/utils/singleton.server.ts'
import type { ExportFormat, ExportLayout } from './exports.server.ts'

// Export workers: threads that read and write an export's batches, each on a SQLite connection
// of its own (WAL lets them read while the server writes). A million-response CSV kept the
// server's one thread busy for 14 s, and reading and formatting rows was all of it; with two
// workers that work runs beside the server instead of in it, and twice over. See README,
// decisions. The server configures them (start.server.ts); without, exports run in-thread.

/** One batch of an export: the responses with ids after `after` up to `last`. */
export interface ExportJob {
  layout: ExportLayout
  format: ExportFormat
  after: number
  last: number
  /** The export's first batch (a JSON record after it starts with a comma). */
  first: boolean
}

export interface ExportPoolOptions {
  /** The worker's module: build/server/export-worker.server.js (export-worker.server.ts built). */
  file: string | URL
  /** The SQLite file the workers read. */
  database: string
  /** How many workers: each a thread with a connection and a JavaScript heap of its own. */
  size: number
  /** Anything else the worker's module needs (a test's loader). */
  workerData?: Record<string, unknown>
  /** Workers with nothing to do for this long stop, giving their memory back (ms). */
  idleMs?: number
}

type Reply = { id: number; blocks: Uint8Array[] } | { id: number; error: string }

interface Running {
  worker: Worker
  jobs: Map<number, { resolve: (blocks: Uint8Array[]) => void; reject: (error: Error) => void }>
}

export class ExportPool {
  readonly #options: ExportPoolOptions
  #running: Running[] = []
  #nextId = 0
  #idle: NodeJS.Timeout | undefined

  constructor(options: ExportPoolOptions) {
    this.#options = options
  }

  /** Batches worth asking for at once: one being written and one waiting, per worker. */
  get window(): number {
    return this.#options.size * 2
  }

  /** Responses per batch: smaller than in-thread, so that a worker's batch stays young. */
  readonly batchSize = 1000

  /** The batch's bytes, read and written by the least busy worker. */
  run(job: ExportJob): Promise<Uint8Array[]> {
    clearTimeout(this.#idle)
    const running = this.#leastBusy()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      running.jobs.set(id, { resolve, reject })
      running.worker.postMessage({ id, job })
    })
  }

  /** Workers running now (they start with the first batch and stop when idle). */
  get threads(): number {
    return this.#running.length
  }

  /** Stops every worker; their unfinished batches fail. */
  async close(): Promise<void> {
    clearTimeout(this.#idle)
    const running = this.#running.splice(0)
    await Promise.all(running.map(({ worker }) => worker.terminate()))
  }

  #leastBusy(): Running {
    if (this.#running.length < this.#options.size) return this.#start()
    return this.#running.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a))
  }

  #start(): Running {
    const worker = new Worker(this.#options.file, {
      workerData: { ...this.#options.workerData, database: this.#options.database },
      // A batch's rows live while they are written: 16 MB of young objects holds a batch of
      // ordinary responses (smaller slowed the export by a third); the old generation is
      // capped so that two workers stay within the server's memory budget.
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 },
    })
    // An idle worker does not keep the process alive.
    worker.unref()
    const running: Running = { worker, jobs: new Map() }
    this.#running.push(running)
    worker.on('message', (reply: Reply) => {
      const job = running.jobs.get(reply.id)
      if (!job) return
      running.jobs.delete(reply.id)
      if ('error' in reply) job.reject(new Error(`export worker: ${reply.error}`))
      else job.resolve(reply.blocks)
      this.#stopWhenIdle()
    })
    const fail = (error: Error) => {
      this.#running = this.#running.filter((r) => r !== running)
      for (const job of running.jobs.values()) job.reject(error)
      running.jobs.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`export worker stopped (exit code ${code})`)))
    return running
  }

  #stopWhenIdle() {
    if (this.#running.some((r) => r.jobs.size)) return
    clearTimeout(this.#idle)
    this.#idle = setTimeout(() => void this.close(), this.#options.idleMs ?? 10_000)
    this.#idle.unref()
  }
}

const registry = singleton('export-pool', () => ({ pool: null as ExportPool | null }))

/**
 * Sets the process's export workers (null: exports run in-thread). Kept on globalThis, so the
 * Remix build sees what the server set.
 */
export function configureExportPool(options: ExportPoolOptions | null): ExportPool | null {
  void registry.pool?.close()
  registry.pool = options ? new ExportPool(options) : null
  return registry.pool
}

/** The process's export workers, if the server set them. */
export function exportPool(): ExportPool | null {
  return registry.pool
}
