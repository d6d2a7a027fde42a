import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { listPublishedResponses } from '#app/models/public-responses.server.ts'
import { exportCsv } from '#app/reports/exports.server.ts'
import { apiBase, apiError, apiGuard, apiJson, apiPreflight } from '#app/utils/api.server.ts'
import { getDb } from '#app/utils/db.server.ts'

/** The parameters this address takes; any other is ignored, a bad value is a 400 that says so. */
const Query = z.object({
  format: z.enum(['json', 'csv'], { error: 'format: json or csv' }).optional(),
  limit: z.coerce
    .number({ error: 'limit: a whole number from 1 to 100' })
    .int('limit: a whole number from 1 to 100')
    .min(1, 'limit: a whole number from 1 to 100')
    .max(100, 'limit: a whole number from 1 to 100')
    .optional(),
  cursor: z
    .string()
    .max(200, 'cursor: not one this API gave')
    .regex(/^[A-Za-z0-9_-]*$/, 'cursor: not one this API gave')
    .optional(),
})

// Published responses only, each as its author chose (no name when anonymous,
// only the public version when confidential); never contact details.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await apiGuard(context)
  const url = new URL(request.url)
  const query = Query.safeParse({
    format: url.searchParams.get('format') ?? undefined,
    limit: url.searchParams.get('limit') || undefined,
    cursor: url.searchParams.get('cursor') || undefined,
  })
  if (!query.success) {
    return apiError(400, `Bad parameter: ${query.error.issues.map((i) => i.message).join('; ')}.`)
  }
  const db = getDb()
  const round = await getPublicConsultation(db, {
    slug: String(params.slug),
    now: new Date().toISOString(),
  })
  if (!round) return apiError(404, 'No published consultation has that slug.')
  if (query.data.format === 'csv') {
    return new Response(exportCsv(db, { consultationId: round.id, full: false }), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${round.slug}-comments.csv"`,
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      },
    })
  }
  const limit = query.data.limit ?? 20
  const page = await listPublishedResponses(db, {
    consultationId: round.id,
    cursor: query.data.cursor,
    limit,
  })
  const base = apiBase(request)
  return apiJson({
    data: page.responses.map((r) => ({
      id: r.id,
      submitted_at: r.submittedAt,
      respondent_type: r.respondentType,
      country: r.country,
      author: r.author,
      public_version: r.publicVersion,
      items: r.items.map((i) => ({
        control: i.controlReference,
        position: i.position,
        text: i.body,
        answers: i.answers,
      })),
    })),
    next_cursor: page.nextCursor,
    links: {
      next: page.nextCursor
        ? `${base}/api/v1/consultations/${round.slug}/comments?${new URLSearchParams({ cursor: page.nextCursor, limit: String(limit) })}`
        : null,
      csv: `${base}/api/v1/consultations/${round.slug}/comments?format=csv`,
    },
  })
}

export function action({ request }: ActionFunctionArgs) {
  return apiPreflight(request)
}
