import { z } from 'zod'
import { rendererFor } from '#app/i18next.server.ts'
import { supportedLanguages } from '#app/i18n.ts'
import type { Actor } from '#app/models/audit.server.ts'
import { getRoundSlug } from '#app/models/consultations.server.ts'
import { countExportRows, exportCsv, exportJson } from '#app/reports/exports.server.ts'
import {
  PUBLIC_REPORT_KIND,
  deleteReplacedCopies,
  publicReportPayload,
  reportsCurrentSince,
} from '#app/reports/public-report.server.ts'
import { buildReportModel } from '#app/reports/report-model.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { isValidTimeZone } from '#app/utils/format.ts'
import {
  type JobOutput,
  OUTPUT_LIFETIME_MS,
  deleteExpiredOutputs,
  getJobOutput,
  pacedChunks,
  piecesOf,
  storeJobOutput,
} from './job-outputs.server.ts'
import { type JobKind, enqueueJob, waitForJob } from './jobs.server.ts'
import { renderInThread } from './report-thread.server.ts'
import type { JobContext, JobHandler } from './runner.server.ts'

// The report and the exports as jobs: made beside the requests, never in one. The report is
// gathered from the database on the server's thread, laid out in a thread of its own
// (report-thread.server.ts) and stored in the blob store; an export is streamed into the blob
// store a batch at a time, with a turn for requests between batches.

const TimeZone = z.string().refine((zone) => isValidTimeZone(zone))
const Locale = z.enum(supportedLanguages)

/** What a report job is asked for. */
export const ReportPayload = z.object({
  format: z.enum(['pdf', 'docx']),
  locale: Locale,
  timeZone: TimeZone,
})
/** What an export job is asked for: `full` adds contact details and confidential text. */
export const ExportPayload = z.object({ format: z.enum(['csv', 'json']), full: z.boolean() })
/** What the public report's job is asked for (see publicReportPayload). */
export const PublicReportPayload = z.object({ locale: Locale, timeZone: TimeZone })

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const

/** The kinds whose files are officials' downloads, removed after OUTPUT_LIFETIME_MS. */
const DOWNLOAD_KINDS = ['report.make', 'responses.export'] as const satisfies JobKind[]

type Progress = JobContext['progress']

function roundOf(job: JobContext['job']): number {
  if (job.consultationId === null) throw new Error('a report or an export needs a round')
  return job.consultationId
}

async function slugOf(db: DB, consultationId: number): Promise<string> {
  const round = await getRoundSlug(db, { id: consultationId })
  if (!round) throw new Error('the round no longer exists')
  return round.slug
}

/** The report laid out: gathered here, laid out in its own thread. */
async function layOutReport(
  db: DB,
  {
    consultationId,
    format,
    locale,
    timeZone,
    progress,
  }: {
    consultationId: number
    format: 'pdf' | 'docx'
    locale: string
    timeZone: string
    progress: Progress
  },
): Promise<Uint8Array> {
  await progress({ phase: 'gathering', done: 0, total: 1 })
  const t = (await rendererFor(locale)).getFixedT(locale)
  const model = await buildReportModel(db, { consultationId, t, locale, timeZone })
  await progress({ phase: 'gathering', done: 1, total: 1 })
  return renderInThread(format, model, (done, total) =>
    progress({ phase: 'layingOut', done, total }),
  )
}

const storing = (progress: Progress) => (done: number, total: number) =>
  progress({ phase: 'storing', done, total })

const resultOf = (output: JobOutput) => ({
  filename: output.filename,
  sizeBytes: output.sizeBytes,
})

/** Removes officials' files past their lifetime: each new one is a moment to. */
async function expireDownloads(db: DB) {
  const before = new Date(Date.now() - OUTPUT_LIFETIME_MS).toISOString()
  await deleteExpiredOutputs(db, { kinds: DOWNLOAD_KINDS, before })
}

/** The officials' summary report, as PDF or DOCX in their language and zone. */
export const makeReport: JobHandler = async ({ db, job, progress }) => {
  const consultationId = roundOf(job)
  const { format, locale, timeZone } = ReportPayload.parse(job.payload)
  await expireDownloads(db)
  const slug = await slugOf(db, consultationId)
  const createdAt = new Date().toISOString()
  const bytes = await layOutReport(db, { consultationId, format, locale, timeZone, progress })
  const output = await storeJobOutput(db, {
    job,
    source: piecesOf(bytes, storing(progress)),
    filename: `${slug}-report.${format}`,
    mediaType: MEDIA_TYPES[format],
    createdAt,
  })
  return resultOf(output)
}

/** An export of the round's responses as CSV or JSON, written into the blob store as it is read. */
export const exportResponses: JobHandler = async ({ db, job, progress }) => {
  const consultationId = roundOf(job)
  const { format, full } = ExportPayload.parse(job.payload)
  await expireDownloads(db)
  const slug = await slugOf(db, consultationId)
  const createdAt = new Date().toISOString()
  await progress({ phase: 'counting', done: 0, total: 1 })
  const total = await countExportRows(db, { consultationId, full })
  await progress({ phase: 'counting', done: 1, total: 1 })
  let rows = 0
  const options = { consultationId, full, onRows: (count: number) => void (rows += count) }
  const stream = format === 'csv' ? exportCsv(db, options) : exportJson(db, options)
  // Responses that arrive meanwhile may take the count past the one made first.
  const step = () => progress({ phase: 'exporting', done: rows, total: Math.max(total, rows) })
  const output = await storeJobOutput(db, {
    job,
    source: pacedChunks(stream, step),
    filename: `${slug}-${full ? 'responses-full' : 'responses'}.${format}`,
    mediaType: MEDIA_TYPES[format],
    createdAt,
  })
  return { ...resultOf(output), rows }
}

/** The public report's copy for one language and zone; the copies it replaces are removed. */
export const makePublicReport: JobHandler = async ({ db, job, progress }) => {
  const consultationId = roundOf(job)
  const payload = PublicReportPayload.parse(job.payload)
  const slug = await slugOf(db, consultationId)
  // Taken before the data is read, so that this server counts the copy as current.
  await reportsCurrentSince()
  const createdAt = new Date().toISOString()
  const bytes = await layOutReport(db, { consultationId, format: 'pdf', ...payload, progress })
  const output = await storeJobOutput(db, {
    job,
    source: piecesOf(bytes, storing(progress)),
    filename: `${slug}-report.pdf`,
    mediaType: MEDIA_TYPES.pdf,
    createdAt,
  })
  await deleteReplacedCopies(db, {
    consultationId,
    payload: publicReportPayload(payload),
    output,
  })
  return resultOf(output)
}

/** What an official asks to download from a round. */
export type DownloadRequest =
  | { kind: 'report.make'; payload: z.infer<typeof ReportPayload> }
  | { kind: 'responses.export'; payload: z.infer<typeof ExportPayload> }

/**
 * Queues the job that makes an official's download and waits for it up to `budgetMs`: its file
 * when it is done in time, else the job, whose page the official is sent to.
 */
export async function requestDownload(
  db: DB,
  {
    consultationId,
    actor,
    download,
    budgetMs,
  }: { consultationId: number; actor: Actor; download: DownloadRequest; budgetMs: number },
): Promise<{ output: JobOutput } | { jobId: number }> {
  const { job } = await enqueueJob(db, {
    kind: download.kind,
    consultationId,
    actor,
    payload: download.payload,
  })
  const ended = await waitForJob(db, { id: job.id, budgetMs })
  const output = ended?.state === 'succeeded' ? await getJobOutput(db, { jobId: job.id }) : null
  return output ? { output } : { jobId: job.id }
}

/** The report and export jobs' handlers, by kind. */
export const reportHandlers = {
  'report.make': makeReport,
  'responses.export': exportResponses,
  [PUBLIC_REPORT_KIND]: makePublicReport,
} satisfies Partial<Record<JobKind, JobHandler>>
