import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { apiBase, apiError, apiGuard, apiJson, apiPreflight } from '#app/utils/api.server.ts'
import { getDb } from '#app/utils/db.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await apiGuard(context)
  const round = await getPublicConsultation(getDb(), {
    slug: String(params.slug),
    now: new Date().toISOString(),
  })
  if (!round) return apiError(404, 'No published consultation has that slug.')
  const base = apiBase(request)
  return apiJson({
    data: {
      slug: round.slug,
      title: round.title,
      summary: round.summary,
      background_markdown: round.background,
      status: round.status,
      opens_at: round.opensAt,
      closes_at: round.closesAt,
      time_zone: round.timeZone,
      late_responses_accepted: round.lateCommentsAllowed,
      commitments: round.commitments,
      contact_point: round.contactPoint,
      amended_at: round.amendedAt,
      proposed_controls: round.controls.map((c) => ({
        reference: c.reference,
        title: c.title,
        text_markdown: c.body,
        amended_at: c.amendedAt,
        questions: c.questions.map((q) => q.prompt),
      })),
      documents: round.documents.map((d) => ({
        title: d.title,
        size_bytes: d.sizeBytes,
        url: `${base}/consultations/${round.slug}/documents/${d.id}`,
      })),
      report_pdf: round.reportPublished ? `${base}/consultations/${round.slug}/report.pdf` : null,
      links: {
        html: `${base}/consultations/${round.slug}`,
        comments: `${base}/api/v1/consultations/${round.slug}/comments`,
        statistics: `${base}/api/v1/consultations/${round.slug}/statistics`,
      },
    },
  })
}

export function action({ request }: ActionFunctionArgs) {
  return apiPreflight(request)
}
