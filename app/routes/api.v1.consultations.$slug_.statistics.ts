import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { publicStatistics } from '#app/models/statistics.server.ts'
import { apiError, apiGuard, apiJson, apiPreflight } from '#app/utils/api.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// Counts over published responses: nothing here describes a response the public cannot read.
export async function loader({ params, context }: LoaderFunctionArgs) {
  await apiGuard(context)
  const db = getDb()
  const round = await getPublicConsultation(db, {
    slug: String(params.slug),
    now: new Date().toISOString(),
  })
  if (!round) return apiError(404, 'No published consultation has that slug.')
  const stats = await publicStatistics(db, { consultationId: round.id })
  return apiJson({
    data: {
      published_responses: stats.total,
      unique_texts: stats.uniqueTexts,
      by_respondent_type: stats.byType,
      by_stakeholder_group: stats.byStakeholder.map(({ key, count, unique }) => ({
        key,
        count,
        unique,
      })),
      by_country: stats.byCountry,
      by_control: stats.byControl.map((c) => ({
        control: c.reference,
        total: c.total,
        positions: c.positions,
      })),
      by_day: stats.overTime,
    },
  })
}

export function action({ request }: ActionFunctionArgs) {
  return apiPreflight(request)
}
