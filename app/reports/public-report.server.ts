import type { TFunction } from 'i18next'
import type { DB } from '#app/utils/db.server.ts'
import { cachedAdaptive } from '#app/utils/ttl-cache.server.ts'
import { buildReportModel } from './report-model.server.ts'
import { renderReportPdf } from './report-pdf.server.ts'

/** How long a published report may be served before it is made again (its Cache-Control says as much). */
export const PUBLIC_REPORT_TTL_MS = 300_000

/**
 * The published report of a round as PDF, for one language and time zone, made at most once
 * per PUBLIC_REPORT_TTL_MS (or 20 times as long as making it took): it costs 7 s at a million
 * responses, and anyone may ask for it. At most 16 versions are kept at once. Officials' changes
 * to what the public sees clear it; whether the report is published at all is checked by the
 * caller at every request.
 */
export function publicReportPdf(
  db: DB,
  {
    consultationId,
    t,
    locale,
    timeZone,
  }: { consultationId: number; t: TFunction; locale: string; timeZone: string },
): Promise<Buffer> {
  return cachedAdaptive(
    `report:${consultationId}:${locale}:${timeZone}`,
    PUBLIC_REPORT_TTL_MS,
    async () =>
      renderReportPdf(await buildReportModel(db, { consultationId, t, locale, timeZone })),
    { limit: 16 },
  )
}
