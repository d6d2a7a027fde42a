// The layout of the summary report, in a worker thread (app/jobs/report-thread.server.ts): pdfkit
// lays a million-response round's report out in about 8 s of one unbroken run, which on the
// server's own thread would hold every request for as long. The model is plain data, posted to
// the thread; the file's bytes come back transferred, not copied. The thread tells each step it
// finishes, so the job's progress bar moves and a cancellation stops it between steps.
import { parentPort } from 'node:worker_threads'
import { renderReportDocx } from './report-docx.server.ts'
import type { ReportModel } from './report-model.ts'
import { renderReportPdf } from './report-pdf.server.ts'
import { yieldCpuToServer } from '../utils/thread-priority.server.ts'

export type ReportRequest = { op: 'render'; format: 'pdf' | 'docx'; model: ReportModel }

export type ReportReply =
  | { op: 'step'; done: number; total: number }
  | { op: 'done'; bytes: Uint8Array }
  | { op: 'error'; message: string }

const post = (reply: ReportReply, transfer: ArrayBuffer[] = []) =>
  parentPort!.postMessage(reply, transfer)

async function render({ format, model }: ReportRequest): Promise<void> {
  const onStep = (done: number, total: number) => post({ op: 'step', done, total })
  const buffer =
    format === 'pdf'
      ? await renderReportPdf(model, { onStep })
      : await renderReportDocx(model, { onStep })
  // A small Buffer is a view of a shared pool, which cannot be transferred: copied first.
  const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength
  const bytes = whole
    ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
    : Uint8Array.from(buffer)
  post({ op: 'done', bytes }, [bytes.buffer as ArrayBuffer])
}

// The server's own thread comes first: it answers the requests meanwhile.
yieldCpuToServer()
parentPort?.on('message', (request: ReportRequest) => {
  render(request).catch((error: unknown) =>
    post({ op: 'error', message: error instanceof Error ? error.message : String(error) }),
  )
})
