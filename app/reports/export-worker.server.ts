// An export worker (see export-pool.server.ts): reads and writes the batches it is sent, on a
// connection of its own, and hands the bytes back without copying them.
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#db/connection.ts'
import type { ExportJob } from './export-pool.server.ts'
import { exportRows, formatBatch } from './exports.server.ts'

const { database } = workerData as { database: string }
// An export reads each page once: a small page cache does as well as a large one.
const db = openDatabase(database, { cacheKib: 2048 })

parentPort!.on('message', async ({ id, job }: { id: number; job: ExportJob }) => {
  try {
    const rows = await exportRows(db, job.layout, job.after, job.last)
    const blocks = formatBatch(job.format, job.layout.columns, rows, job.first)
    // Each block has a memory of its own (see ByteBlocks), moved to the server, not copied.
    parentPort!.postMessage(
      { id, blocks },
      blocks.map((b) => b.buffer as ArrayBuffer),
    )
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
