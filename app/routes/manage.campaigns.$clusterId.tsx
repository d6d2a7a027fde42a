import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { CampaignMemberTable, TemplateReuseList } from '#app/components/campaign-members.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { PageLinks } from '#app/components/page-links.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { clusterMemberIds, getCluster, getClusterRound } from '#app/models/campaigns.server.ts'
import { moderate } from '#app/models/moderation.server.ts'
import { applyTag, listTags } from '#app/models/tags.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { pageParam } from '#app/utils/paging.ts'
import { countryName } from '#app/utils/display-names.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ clusterId: z.coerce.number().int().positive() })
const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.enum(['publish', 'spam']) }),
  z.object({ intent: z.literal('withhold'), reason: z.string().trim().min(1).max(1000) }),
  z.object({ intent: z.literal('tag'), tagId: z.coerce.number().int().positive() }),
])

function clusterIdOf(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.clusterId
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const page = pageParam(new URL(request.url))
  const cluster = await getCluster(getDb(), { clusterId: clusterIdOf(params), page })
  if (!cluster) throw new Response('Not found', { status: 404 })
  const locale = await i18next.getLocale(request)
  const t = await translatorFor(request)
  return {
    cluster: {
      ...cluster,
      members: cluster.members.map((m) => ({ ...m, countryName: countryName(m.country, locale) })),
    },
    tags: await listTags(getDb(), { consultationId: cluster.consultationId }),
    notice: new URL(request.url).searchParams.get('done'),
    title: `${t('campaigns.clusterTitle', { count: cluster.size })} – ${t('campaigns.title')}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(Intent))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const db = getDb()
  const clusterId = clusterIdOf(params)
  const cluster = await getClusterRound(db, { clusterId })
  if (!cluster) throw new Response('Not found', { status: 404 })
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return data({ error: 'review.reasonRequired' }, { status: 400 })
  const ids = await clusterMemberIds(db, { clusterId })
  if (parsed.data.intent === 'tag') {
    await applyTag(db, {
      actor: user,
      consultationId: cluster.consultationId,
      tagId: parsed.data.tagId,
      responseIds: ids,
    })
  } else {
    await moderate(db, {
      actor: user,
      consultationId: cluster.consultationId,
      ids,
      action: parsed.data.intent,
      reason: parsed.data.intent === 'withhold' ? parsed.data.reason : null,
    })
  }
  return redirect(`/manage/campaigns/${cluster.id}?done=${parsed.data.intent}`)
}

export default function Campaign() {
  const { cluster, tags, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${cluster.consultationId}/campaigns`}>{t('campaigns.back')}</Link>
      </p>
      {notice ? <Notice>{t('review.saved')}</Notice> : null}
      {actionData?.error ? (
        <ErrorSummary
          errors={[{ fieldId: null, message: t(actionData.error as 'review.reasonRequired') }]}
        />
      ) : null}
      <h1>{t('campaigns.clusterTitle', { count: cluster.size })}</h1>
      <h2>{t('campaigns.representative')}</h2>
      <p className="response__body inset">{cluster.representativeText}</p>

      <section aria-labelledby="cluster-actions" className="panel">
        <h2 id="cluster-actions">{t('campaigns.actOnAll', { count: cluster.size })}</h2>
        <div className="button-group">
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button--secondary">
              {t('campaigns.publishAll')}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="spam" />
            <button type="submit" className="button button--secondary">
              {t('campaigns.spamAll')}
            </button>
          </Form>
        </div>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="withhold" />
          <label htmlFor="cluster-reason">{t('review.reasonForRespondent')}</label>
          <input className="input input--medium" id="cluster-reason" name="reason" required />
          <button type="submit" className="button button--secondary">
            {t('campaigns.withholdAll')}
          </button>
        </Form>
        {tags.length ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="tag" />
            <label htmlFor="cluster-tag">{t('review.tagWith')}</label>
            <select className="select" id="cluster-tag" name="tagId">
              {tags.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.parentId ? `— ${tag.name}` : tag.name}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--secondary">
              {t('campaigns.tagAll')}
            </button>
          </Form>
        ) : null}
      </section>

      <h2 id="cluster-members">{t('campaigns.members')}</h2>
      {cluster.pageCount > 1 ? (
        <p>
          {t('campaigns.membersShown', {
            from: cluster.firstNumber,
            to: cluster.firstNumber + cluster.members.length - 1,
            count: cluster.size,
          })}
        </p>
      ) : null}
      <CampaignMemberTable members={cluster.members} representativeId={cluster.representativeId} />
      <TemplateReuseList members={cluster.members} />
      <PageLinks
        page={cluster.page}
        pageCount={cluster.pageCount}
        label={t('campaigns.memberPages')}
        previous={t('campaigns.previousMembers')}
        next={t('campaigns.nextMembers')}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
