import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { StatusTag } from '#app/components/status-tag.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { listManagedRounds } from '#app/models/consultation-authoring.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { formatNumber } from '#app/utils/format.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const t = await translatorFor(request)
  const rounds = await listManagedRounds(getDb(), { now: new Date().toISOString() })
  return { rounds, title: `${t('manage.title')} – ${t('meta.siteName')}` }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function Manage() {
  const { rounds } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  return (
    <>
      <h1>{t('manage.title')}</h1>
      <p>
        <Link className="button" to="/manage/rounds/new">
          {t('manage.newRound')}
        </Link>
      </p>
      <table className="table">
        <caption>{t('manage.roundsCaption', { count: rounds.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manage.field.title')}</th>
            <th scope="col">{t('round.statusLabel')}</th>
            <th scope="col">{t('round.opensLabel')}</th>
            <th scope="col">{t('round.closesLabel')}</th>
            <th scope="col" className="numeric">
              {t('round.responses')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rounds.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/manage/rounds/${r.id}`}>{r.title}</Link>
              </td>
              <td>
                <StatusTag status={r.status} />
              </td>
              <td>{r.opensAt ? <DateTime iso={r.opensAt} /> : '—'}</td>
              <td>{r.closesAt ? <DateTime iso={r.closesAt} /> : '—'}</td>
              <td className="numeric">{formatNumber(r.responseCount, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
