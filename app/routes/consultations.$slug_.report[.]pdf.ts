import type { LoaderFunctionArgs } from '@remix-run/node'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getRoundWithPublishedReport } from '#app/models/consultations.server.ts'
import { publicReportPdf } from '#app/reports/public-report.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getTimeZone } from '#app/utils/time-zone.server.ts'

// The published summary report. It holds statistics, approved summaries, the
// campaign annex and the names of respondents who agreed to be named: nothing
// a published page would not show.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const round = await getRoundWithPublishedReport(db, { slug: String(params.slug) })
  if (!round) throw new Response('Not found', { status: 404 })
  const pdf = await publicReportPdf(db, {
    consultationId: round.id,
    t: await translatorFor(request),
    locale: await i18next.getLocale(request),
    timeZone: getTimeZone(request),
  })
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${round.slug}-report.pdf"`,
      'Cache-Control': 'public, max-age=300',
    },
  })
}
