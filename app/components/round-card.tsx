import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { PublicRoundSummary } from '#app/models/consultations.server.ts'
import { DateSentence } from './date-time.tsx'
import { StatusTag } from './status-tag.tsx'

/** One round in a list: its title, summary, deadline and size. */
export function RoundCard({ round, now }: { round: PublicRoundSummary; now: string }) {
  const { t } = useTranslation()
  const ended = round.status === 'closed' || round.status === 'archived'
  return (
    <li className="round-card">
      <h3>
        <Link to={`/consultations/${round.slug}`}>{round.title}</Link>
      </h3>
      <p>{round.summary}</p>
      <ul className="round-card__meta">
        <li>
          <StatusTag status={round.status} />
        </li>
        {round.status === 'open' && round.closesAt ? (
          <li>
            <DateSentence i18nKey="home.closes" iso={round.closesAt} now={now} />
          </li>
        ) : null}
        {round.status === 'upcoming' && round.opensAt ? (
          <li>
            <DateSentence i18nKey="home.opens" iso={round.opensAt} />
          </li>
        ) : null}
        {ended && round.closesAt ? (
          <li>
            <DateSentence i18nKey="home.closed" iso={round.closesAt} dateOnly />
          </li>
        ) : null}
        <li>{t('home.controlCount', { count: round.controlCount })}</li>
        {round.publishedResponseCount > 0 ? (
          <li>{t('home.responseCount', { count: round.publishedResponseCount })}</li>
        ) : null}
      </ul>
    </li>
  )
}
