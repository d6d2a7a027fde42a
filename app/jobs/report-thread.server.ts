import type { Worker } from 'node:worker_threads'
import type { ReportModel } from '#app/reports/report-model.ts'
import type { ReportReply, ReportRequest } from '#app/reports/report-worker.ts'
import { startPortalWorker } from './worker-file.server.ts'

const startWorker = () => startPortalWorker('report-worker', 'reports')

/** A thread left idle this long is ended: it holds pdfkit and what the last layout grew. */
const IDLE_MS = 30_000

/**
 * The thread kept after a layout, for the next: starting one costs more than a small round's
 * whole layout (loading pdfkit and its fonts), and reports come in runs (the public copy in each
 * language after a change, a PDF then a DOCX).
 */
let kept: { worker: Worker; timer: NodeJS.Timeout } | null = null

function takeWorker(): Worker {
  if (kept) {
    const { worker, timer } = kept
    kept = null
    clearTimeout(timer)
    worker.ref()
    return worker
  }
  const worker = startWorker()
  worker.on('exit', () => {
    if (kept?.worker === worker) {
      clearTimeout(kept.timer)
      kept = null
    }
  })
  return worker
}

function keepWorker(worker: Worker) {
  if (kept) {
    void worker.terminate()
    return
  }
  // Never what keeps the process alive.
  worker.unref()
  const timer = setTimeout(() => void worker.terminate(), IDLE_MS)
  timer.unref()
  kept = { worker, timer }
}

/**
 * The report laid out as PDF or DOCX in a thread of its own. `onStep` is awaited after each
 * step the thread reports; when it throws (the job was cancelled), the thread is stopped at
 * once and the layout rejects with its error.
 */
export function renderInThread(
  format: 'pdf' | 'docx',
  model: ReportModel,
  onStep: (done: number, total: number) => Promise<void>,
): Promise<Uint8Array> {
  const worker = takeWorker()
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false
    const settle = (error: Error | null, bytes?: Uint8Array) => {
      if (settled) return
      settled = true
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      if (error) {
        void worker.terminate()
        reject(error)
      } else {
        keepWorker(worker)
        resolve(bytes!)
      }
    }
    // Steps are told in order, one at a time: a slow database write never reorders them.
    let told = Promise.resolve()
    const onMessage = (reply: ReportReply) => {
      if (reply.op === 'step') {
        told = told
          .then(() => (settled ? undefined : onStep(reply.done, reply.total)))
          .catch((error: unknown) =>
            settle(error instanceof Error ? error : new Error(String(error))),
          )
      } else if (reply.op === 'done') {
        void told.then(() => settle(null, reply.bytes))
      } else {
        settle(new Error(reply.message))
      }
    }
    const onError = (error: Error) => settle(error)
    const onExit = (code: number) => settle(new Error(`the report worker stopped (${code})`))
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    worker.postMessage({ op: 'render', format, model } satisfies ReportRequest)
  })
}
