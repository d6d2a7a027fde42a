import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { Notice } from '#app/components/forms.tsx'
import { RoundCard } from '#app/components/round-card.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { listPublicConsultations } from '#app/models/consultations.server.ts'
import { getDb } from '#app/utils/db.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date().toISOString()
  const t = await translatorFor(request)
  const rounds = await listPublicConsultations(getDb(), { now })
  const notice = new URL(request.url).searchParams.get('notice')
  return {
    now,
    rounds,
    title: t('meta.siteName'),
    notice: (['signed-out', 'deleted'] as const).find((n) => n === notice) ?? null,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function Home() {
  const { now, rounds, notice } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const sections = [
    { id: 'open', heading: t('home.openHeading'), items: rounds.open, empty: t('home.noneOpen') },
    {
      id: 'upcoming',
      heading: t('home.upcomingHeading'),
      items: rounds.upcoming,
      empty: t('home.noneUpcoming'),
    },
    {
      id: 'closed',
      heading: t('home.closedHeading'),
      items: rounds.closed,
      empty: t('home.noneClosed'),
    },
  ]
  return (
    <>
      {notice ? <Notice>{t(`home.notice.${notice}`)}</Notice> : null}
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={`${section.id}-heading`}>
          <h2 id={`${section.id}-heading`}>{section.heading}</h2>
          {section.items.length ? (
            <ul className="round-list">
              {section.items.map((round) => (
                <RoundCard key={round.slug} round={round} now={now} />
              ))}
            </ul>
          ) : (
            <p>{section.empty}</p>
          )}
        </section>
      ))}
    </>
  )
}
