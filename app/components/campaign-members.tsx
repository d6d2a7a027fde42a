import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DateTime } from '#app/components/date-time.tsx'
import type { CampaignMemberKind, RespondentType, ResponseStatus } from '#db/schema.ts'

/** A member of a campaign as its page shows it (getCluster, with its country's name). */
export interface CampaignMemberView {
  id: number
  trackingNumber: string
  status: ResponseStatus
  respondentType: RespondentType
  countryName: string
  submittedAt: string
  kind: CampaignMemberKind
  similarity: number
  additions: string[]
  omissions: string[]
}

const reuseAnchor = (id: number) => `reuse-${id}`

/** One page of a campaign's members: who sent each, how it joined, and what it adds. */
export function CampaignMemberTable({
  members,
  representativeId,
}: {
  members: CampaignMemberView[]
  representativeId: number
}) {
  const { t } = useTranslation()
  return (
    <table className="table table--dense" aria-labelledby="cluster-members">
      <thead>
        <tr>
          <th scope="col">{t('review.response')}</th>
          <th scope="col">{t('review.respondent')}</th>
          <th scope="col">{t('campaigns.kind')}</th>
          <th scope="col">{t('campaigns.similarity')}</th>
          <th scope="col">{t('campaigns.variations')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.id}>
            <td>
              <Link to={`/manage/responses/${m.id}`}>{m.trackingNumber}</Link>
              {m.id === representativeId ? ` (${t('campaigns.representativeShort')})` : ''}
              <br />
              <span className="hint">
                <DateTime iso={m.submittedAt} /> · {t(`responseStatus.${m.status}`)}
              </span>
            </td>
            <td>
              {t(`respondentTypes.${m.respondentType}`)}, {m.countryName}
            </td>
            <td>{m.kind === 'template' ? t('campaigns.kindTemplate') : t('campaigns.kindCopy')}</td>
            <td className="numeric">{m.similarity}</td>
            <td>
              {m.kind === 'template' ? (
                <a href={`#${reuseAnchor(m.id)}`}>{t('campaigns.reuseLink')}</a>
              ) : m.additions.length ? (
                <ul className="plain">
                  {m.additions.map((a, i) => (
                    <li key={i}>{a}</li>
                  ))}
                </ul>
              ) : (
                t('campaigns.identical')
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * For each member of the page that reuses the template with text of its own: what it adds to
 * the representative text and what it leaves out of it, as headed lists.
 */
export function TemplateReuseList({ members }: { members: CampaignMemberView[] }) {
  const { t } = useTranslation()
  const reusing = members.filter((m) => m.kind === 'template')
  if (!reusing.length) return null
  return (
    <section aria-labelledby="cluster-reuse">
      <h2 id="cluster-reuse">{t('campaigns.reuseHeading')}</h2>
      <p>{t('campaigns.reuseIntro')}</p>
      {reusing.map((m) => (
        <article key={m.id} id={reuseAnchor(m.id)} aria-labelledby={`${reuseAnchor(m.id)}-title`}>
          <h3 id={`${reuseAnchor(m.id)}-title`}>
            <Link to={`/manage/responses/${m.id}`}>{m.trackingNumber}</Link>
          </h3>
          <h4>{t('campaigns.adds')}</h4>
          <SentenceList sentences={m.additions} none={t('campaigns.addsNothing')} />
          <h4>{t('campaigns.leavesOut')}</h4>
          <SentenceList sentences={m.omissions} none={t('campaigns.leavesOutNothing')} />
        </article>
      ))}
    </section>
  )
}

function SentenceList({ sentences, none }: { sentences: string[]; none: string }) {
  if (!sentences.length) return <p>{none}</p>
  return (
    <ul className="response__body">
      {sentences.map((s, i) => (
        <li key={i}>{s}</li>
      ))}
    </ul>
  )
}
