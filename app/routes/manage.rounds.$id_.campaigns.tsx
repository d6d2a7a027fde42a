import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { Notice } from '#app/components/forms.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { listClusters, rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { getDb } from '#app/utils/db.server.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const { round } = await getManagedRound(getDb(), { id, now: new Date().toISOString() })
  const t = await translatorFor(request)
  return {
    round: { id: round.id, title: round.title },
    clusters: (await listClusters(getDb(), { consultationId: id })).map((c) => ({
      ...c,
      representativeText:
        c.representativeText.length > 600
          ? `${c.representativeText.slice(0, 600)}…`
          : c.representativeText,
    })),
    rebuilt: new URL(request.url).searchParams.get('rebuilt'),
    title: `${t('campaigns.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const found = await rebuildCampaigns(getDb(), { consultationId: id })
  await recordAudit(getDb(), {
    actor: user,
    action: 'campaigns.rebuilt',
    entityType: 'consultation',
    entityId: id,
    after: { clusters: found },
  })
  return redirect(`/manage/rounds/${id}/campaigns?rebuilt=${found}`)
}

export default function Campaigns() {
  const { round, clusters, rebuilt } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}/responses`}>
          {t('review.backToQueue', { title: round.title })}
        </Link>
      </p>
      {rebuilt !== null ? (
        <Notice>{t('campaigns.rebuilt', { count: Number(rebuilt) })}</Notice>
      ) : null}
      <h1>{t('campaigns.title')}</h1>
      <p>{t('campaigns.intro')}</p>
      {clusters.length === 0 ? <p>{t('campaigns.none')}</p> : null}
      <ol className="response-list">
        {clusters.map((c) => (
          <li key={c.id} className="response">
            <h2 className="response__title">
              <Link to={`/manage/campaigns/${c.id}`}>
                {t('campaigns.clusterTitle', { count: c.size })}
              </Link>
            </h2>
            <p className="hint">
              {Object.entries(c.statuses)
                .map(([status, n]) => `${t(`responseStatus.${status as 'received'}`)}: ${n}`)
                .join(' · ')}
            </p>
            <p className="response__body">{c.representativeText}</p>
          </li>
        ))}
      </ol>
      <Form method="post">
        <button type="submit" className="button button--secondary">
          {t('campaigns.rebuild')}
        </button>
      </Form>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
