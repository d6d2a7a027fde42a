import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { RoundCard } from '#app/components/round-card.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { searchPublicConsultations } from '#app/models/consultations.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// Filters arrive in the query string; anything unrecognised is ignored, not an error.
const Filters = z.object({
  q: z.string().trim().max(200).catch(''),
  status: z.enum(['open', 'upcoming', 'closed']).optional().catch(undefined),
  commitment: z.coerce.number().int().min(1).max(6).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const filters = Filters.parse({
    q: params.q ?? '',
    status: params.status || undefined,
    commitment: params.commitment || undefined,
  })
  const now = new Date().toISOString()
  const t = await translatorFor(request)
  const rounds = await searchPublicConsultations(getDb(), { now, ...filters })
  return { now, rounds, filters, title: `${t('rounds.title')} – ${t('meta.siteName')}` }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function Rounds() {
  const { now, rounds, filters } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('rounds.title')}</h1>
      <Form method="get" className="filters" role="search" aria-label={t('rounds.searchLabel')}>
        <div className="form-group">
          <label className="label" htmlFor="q">
            {t('rounds.query')}
          </label>
          <input className="input" type="search" id="q" name="q" defaultValue={filters.q} />
        </div>
        <div className="form-group">
          <label className="label" htmlFor="status">
            {t('rounds.status')}
          </label>
          <select className="select" id="status" name="status" defaultValue={filters.status ?? ''}>
            <option value="">{t('rounds.anyStatus')}</option>
            <option value="open">{t('status.open')}</option>
            <option value="upcoming">{t('status.upcoming')}</option>
            <option value="closed">{t('status.closed')}</option>
          </select>
        </div>
        <div className="form-group">
          <label className="label" htmlFor="commitment">
            {t('rounds.commitment')}
          </label>
          <select
            className="select"
            id="commitment"
            name="commitment"
            defaultValue={filters.commitment ?? ''}
          >
            <option value="">{t('rounds.anyCommitment')}</option>
            {[1, 2, 3, 4, 5, 6].map((n) => (
              <option key={n} value={n}>
                {t(`round.commitment_${n}` as 'round.commitment_1')}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('rounds.apply')}
        </button>
      </Form>
      <h2 aria-live="polite">{t('rounds.found', { count: rounds.length })}</h2>
      {rounds.length ? (
        <ul className="round-list">
          {rounds.map((round) => (
            <RoundCard key={round.slug} round={round} now={now} />
          ))}
        </ul>
      ) : (
        <p>{t('rounds.none')}</p>
      )}
    </>
  )
}
