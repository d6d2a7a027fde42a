import type { LoaderFunctionArgs } from '@remix-run/node'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { downloadBudget } from '#app/jobs/job-outputs.server.ts'
import { getRoundWithPublishedReport } from '#app/models/consultations.server.ts'
import {
  PUBLIC_REPORT_TTL_MS,
  publicReport,
  roundTimeZone,
} from '#app/reports/public-report.server.ts'
import { getDb } from '#app/utils/db.server.ts'

/** When a reader told the report is being prepared should ask again. */
const RETRY_SECONDS = 10

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// The published summary report. It holds statistics, approved summaries, the
// campaign annex and the names of respondents who agreed to be named: nothing
// a published page would not show. It is never laid out here: the stored copy is
// sent, or, while a job makes it, a short page saying so (503 with Retry-After).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const round = await getRoundWithPublishedReport(db, { slug: String(params.slug) })
  if (!round) throw new Response('Not found', { status: 404 })
  const locale = await i18next.getLocale(request)
  // In the round's own zone, not the reader's: one copy per language, which a reader cycling
  // through time zones cannot multiply into hundreds of jobs.
  const timeZone = await roundTimeZone(db, { consultationId: round.id })
  const report = await publicReport(db, {
    consultationId: round.id,
    locale,
    timeZone,
    budgetMs: downloadBudget(request),
  })
  if ('bytes' in report) {
    return new Response(report.bytes, {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${round.slug}-report.pdf"`,
        'Content-Length': String(report.bytes.byteLength),
        'Cache-Control': `public, max-age=${PUBLIC_REPORT_TTL_MS / 1000}`,
      },
    })
  }
  const t = await translatorFor(request)
  const title = escape(t('jobs.reportPreparing.title'))
  const html = `<!doctype html>
<html lang="${escape(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${escape(t('jobs.reportPreparing.body', { count: RETRY_SECONDS }))}</p>
<p><a href="/consultations/${escape(round.slug)}/report.pdf">${escape(t('jobs.reportPreparing.retry'))}</a></p>
<p><a href="/consultations/${escape(round.slug)}">${escape(t('jobs.reportPreparing.back'))}</a></p>
</main>
</body>
</html>
`
  return new Response(html, {
    status: 503,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(RETRY_SECONDS),
    },
  })
}
