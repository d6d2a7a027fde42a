import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listPublicConsultations } from '#app/models/consultations.server.ts'
import { apiBase, apiGuard, apiJson, apiPreflight } from '#app/utils/api.server.ts'
import { getDb } from '#app/utils/db.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await apiGuard(context)
  const listing = await listPublicConsultations(getDb(), { now: new Date().toISOString() })
  const base = apiBase(request)
  return apiJson({
    data: [...listing.open, ...listing.upcoming, ...listing.closed].map((r) => ({
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      status: r.status,
      opens_at: r.opensAt,
      closes_at: r.closesAt,
      commitments: r.commitments,
      proposed_controls: r.controlCount,
      published_responses: r.publishedResponseCount,
      links: {
        self: `${base}/api/v1/consultations/${r.slug}`,
        html: `${base}/consultations/${r.slug}`,
      },
    })),
  })
}

export function action({ request }: ActionFunctionArgs) {
  return apiPreflight(request)
}
