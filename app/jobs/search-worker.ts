// The search indexer's thread (app/jobs/search-thread.server.ts starts it): it takes the notes
// of search_queue in order and writes the words of the responses they name to the search file
// (db/search-file.ts), and builds that file from the responses when it is new. FTS5's merges run
// here, on a connection and a file of their own: they hold neither the server's thread nor the
// portal's write lock. Its CPU priority is lowered, as the campaign worker's.
import { parentPort, workerData } from 'node:worker_threads'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '#db/schema.ts'
import { openSearchWriter } from '#db/search-file.ts'
import { indexSome } from '#app/models/search-index.server.ts'
import { yieldCpuToServer } from '../utils/thread-priority.server.ts'

export interface SearchWorkerData {
  portalPath: string
  /** How long to wait before looking again when nothing was left to index. */
  idleMs: number
  /**
   * How often the portal's WAL is checkpointed from this thread (passively: never waiting for
   * the server's writes), so that the server's commits need not (db/connection.ts,
   * checkpointHere). Null: the server's commits checkpoint it themselves.
   */
  checkpointMs: number | null
}

export type SearchWorkerMessage =
  { op: 'indexed'; count: number } | { op: 'failed'; message: string } | { op: 'stopped' }

const { portalPath, idleMs, checkpointMs } = workerData as SearchWorkerData
const post = (message: SearchWorkerMessage) => parentPort?.postMessage(message)

let stopping = false
let wake: (() => void) | null = null
parentPort?.on('message', (message: { op: 'stop' }) => {
  if (message.op === 'stop') stopping = true
  wake?.()
})

const pause = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      wake = null
      resolve()
    }
    wake = done
  })

async function run(): Promise<void> {
  yieldCpuToServer()
  const sqlite = openSearchWriter(portalPath)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  let checkpointed = performance.now()
  try {
    while (!stopping) {
      try {
        if (checkpointMs !== null && performance.now() - checkpointed >= checkpointMs) {
          checkpointed = performance.now()
          sqlite.pragma('portal.wal_checkpoint(PASSIVE)')
        }
        const count = await indexSome(db)
        if (count > 0) post({ op: 'indexed', count })
        else await pause(idleMs)
      } catch (error) {
        // A busy file or a damaged one: said, and tried again after a second; nothing is lost,
        // the notes stay queued.
        post({ op: 'failed', message: error instanceof Error ? error.message : String(error) })
        await pause(1000)
      }
    }
  } finally {
    await db.destroy()
    post({ op: 'stopped' })
    parentPort?.close()
  }
}

void run()
