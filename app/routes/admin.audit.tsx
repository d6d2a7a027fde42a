import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { listAudit } from '#app/models/audit.server.ts'
import { getDb } from '#app/utils/db.server.ts'

const Filters = z.object({
  action: z.string().max(80).optional().catch(undefined),
  entity: z.string().max(40).optional().catch(undefined),
  actor: z.coerce.number().int().positive().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const url = new URL(request.url)
  const filters = Filters.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v)))
  const t = await translatorFor(request)
  return {
    filters,
    ...(await listAudit(getDb(), filters)),
    title: `${t('audit.title')} – ${t('meta.siteName')}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function AuditLog() {
  const { entries, nextBefore, filters, actions } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const location = useLocation()
  const next = new URLSearchParams(location.search)
  if (nextBefore) next.set('before', String(nextBefore))
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <Form method="get" className="queue-filters" role="search" aria-label={t('audit.filters')}>
        <div className="form-group">
          <label className="label" htmlFor="a-action">
            {t('audit.action')}
          </label>
          <select
            className="select"
            id="a-action"
            name="action"
            defaultValue={filters.action ?? ''}
          >
            <option value="">{t('review.any')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="label" htmlFor="a-entity">
            {t('audit.entity')}
          </label>
          <select
            className="select"
            id="a-entity"
            name="entity"
            defaultValue={filters.entity ?? ''}
          >
            <option value="">{t('review.any')}</option>
            {['consultation', 'control', 'consultation_document', 'response', 'tag', 'user'].map(
              (e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ),
            )}
          </select>
        </div>
        <button type="submit" className="button">
          {t('review.apply')}
        </button>
      </Form>
      <table className="table table--dense">
        <caption className="visually-hidden">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.entity')}</th>
            <th scope="col">{t('audit.change')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <DateTime iso={e.createdAt} />
              </td>
              <td>
                {e.actorName ?? (e.actorId ? `#${e.actorId}` : '—')}{' '}
                {e.actorRole ? `(${e.actorRole})` : ''}
              </td>
              <td>{e.action}</td>
              <td>
                {e.entityType === 'response' && e.entityId ? (
                  <Link to={`/manage/responses/${e.entityId}`}>
                    {e.entityType} {e.entityId}
                  </Link>
                ) : (
                  `${e.entityType} ${e.entityId ?? ''}`
                )}
              </td>
              <td className="audit-change">
                {e.before ? (
                  <div>
                    {t('audit.before')} <code>{e.before}</code>
                  </div>
                ) : null}
                {e.after ? (
                  <div>
                    {t('audit.after')} <code>{e.after}</code>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextBefore ? <Link to={`?${next}`}>{t('audit.older')}</Link> : null}
    </>
  )
}
