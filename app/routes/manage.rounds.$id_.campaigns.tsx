import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { Notice } from '#app/components/forms.tsx'
import { PageLinks } from '#app/components/page-links.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { enqueueJob, waitForJob } from '#app/jobs/jobs.server.ts'
import { listClusterPage } from '#app/models/campaigns.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'
import { pageParam } from '#app/utils/paging.ts'

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
  const url = new URL(request.url)
  const { clusters, paging } = await listClusterPage(getDb(), {
    consultationId: id,
    page: pageParam(url),
  })
  return {
    round: { id: round.id, title: round.title },
    paging,
    clusters: clusters.map((c) => ({
      ...c,
      representativeText:
        c.representativeText.length > 600
          ? `${c.representativeText.slice(0, 600)}…`
          : c.representativeText,
    })),
    rebuilt: url.searchParams.get('rebuilt'),
    title: `${t('campaigns.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

/** How long the request that asks for a rebuild waits for it: a small round's answers at once. */
const ANSWER_BUDGET_MS = 1500

/** The rebuild's form has no field: anything else sent with it is refused before it queues. */
const FORM = lazyShape(() => formShape(z.object({})))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  await readForm(request, FORM())
  await getManagedRound(getDb(), { id, now: new Date().toISOString() })
  const { job } = await enqueueJob(getDb(), {
    kind: 'campaigns.rebuild',
    consultationId: id,
    actor: user,
  })
  const settled = await waitForJob(getDb(), { id: job.id, budgetMs: ANSWER_BUDGET_MS })
  if (settled?.state === 'succeeded' && typeof settled.result?.campaigns === 'number') {
    return redirect(`/manage/rounds/${id}/campaigns?rebuilt=${settled.result.campaigns}`)
  }
  return redirect(`/manage/jobs/${job.id}`)
}

export default function Campaigns() {
  const { round, clusters, rebuilt, paging } = useLoaderData<typeof loader>()
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
      {paging.pageCount > 1 ? (
        <p>{t('campaigns.shown', { from: paging.first, to: paging.last, count: paging.total })}</p>
      ) : null}
      <ol className="response-list" start={paging.first}>
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
      <PageLinks
        page={paging.page}
        pageCount={paging.pageCount}
        label={t('campaigns.listPages')}
        previous={t('campaigns.previousCampaigns')}
        next={t('campaigns.nextCampaigns')}
      />
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
