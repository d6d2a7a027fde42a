import type { Worker } from 'node:worker_threads'
import type { SearchWorkerData, SearchWorkerMessage } from '#app/jobs/search-worker.ts'
import { pruneSearchQueue } from '#app/models/search-index.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { checkpointHere } from '#db/connection.ts'
import { startPortalWorker } from './worker-file.server.ts'

// The server's side of the search indexer (SQLite): starts its thread (search-worker.ts), starts
// it again if it stops, and removes the queue's notes it has indexed, a few thousand at a time,
// in short writes of the server's own connection.

export interface SearchIndexer {
  /** Lets the thread finish its transaction, then ends it. */
  stop(): Promise<void>
}

/** An error as a line of the log (SQLite's errors from a thread may come as `{ code }` only). */
const describe = (error: unknown) =>
  error instanceof Error ? error.message : JSON.stringify(error)

/** How often notes already indexed are removed from search_queue. */
const PRUNE_EVERY_MS = 2000

/** How often the thread checkpoints the portal's WAL (see search-worker.ts). */
const CHECKPOINT_EVERY_MS = 500

export function startSearchIndexer({
  db,
  portalPath,
  idleMs = 100,
  checkpointMs = CHECKPOINT_EVERY_MS,
  log = (line: string) => console.log(line),
}: {
  db: DB
  portalPath: string
  idleMs?: number
  /** Null: the server's own commits checkpoint the WAL, as SQLite does by default. */
  checkpointMs?: number | null
  log?: (line: string) => void
}): SearchIndexer {
  // While the thread runs, it checkpoints; while it is down (restarting), the server's commits do.
  const checkpoints = (here: boolean) => {
    if (checkpointMs === null) return
    checkpointHere(db, here).catch((error: unknown) =>
      log(`Setting who checkpoints the database: ${describe(error)}`),
    )
  }
  let stopping = false
  let worker: Worker
  let restarts = 0
  let lastFailure = ''
  const start = () => {
    const workerData: SearchWorkerData = { portalPath, idleMs, checkpointMs }
    worker = startPortalWorker('search-worker', 'jobs', { workerData })
    worker.once('online', () => {
      if (!stopping) checkpoints(false)
    })
    worker.on('message', (message: SearchWorkerMessage) => {
      if (message.op === 'failed' && message.message !== lastFailure) {
        lastFailure = message.message
        log(`The search indexer failed (it tries again): ${message.message}`)
      } else if (message.op === 'indexed') {
        lastFailure = ''
        restarts = 0
      }
    })
    worker.on('error', (error: unknown) => log(`The search indexer stopped: ${describe(error)}`))
    worker.on('exit', () => {
      checkpoints(true)
      if (stopping) return
      // Its notes are still queued: a new thread takes them up, sooner the first times.
      const delay = Math.min(30_000, 1000 * 2 ** restarts++)
      setTimeout(() => stopping || start(), delay).unref()
    })
  }
  start()
  let pruning = false
  const pruner = setInterval(() => {
    if (pruning) return
    pruning = true
    pruneSearchQueue(db)
      .catch((error: unknown) => {
        // Busy (a backup, a tool writing): the notes wait for the next time.
        log(`Pruning the search queue: ${describe(error)}`)
      })
      .finally(() => {
        pruning = false
      })
  }, PRUNE_EVERY_MS)
  pruner.unref()
  return {
    async stop() {
      stopping = true
      clearInterval(pruner)
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.postMessage({ op: 'stop' })
      const timer = setTimeout(() => void worker.terminate(), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
