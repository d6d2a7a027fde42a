import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { RespondentType } from '#db/schema.ts'
import { formatBytes } from '#app/utils/display-names.ts'
import { formatNumber } from '#app/utils/format.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { DateTime } from './date-time.tsx'

export interface ControlView {
  id: number
  reference: string
  title: string
  bodyHtml: string
  amendedAt: string | null
  questions: { id: number; prompt: string }[]
}

/** One proposed control: reference, title, text (sanitised HTML) and questions. */
export function ControlSection({ control }: { control: ControlView }) {
  const { t } = useTranslation()
  return (
    <section
      id={`control-${control.id}`}
      className="control"
      aria-labelledby={`control-${control.id}-title`}
    >
      <p className="control__reference">
        {t('round.controlReference', { reference: control.reference })}
      </p>
      <h3 id={`control-${control.id}-title`}>{control.title}</h3>
      {control.amendedAt ? (
        <p className="amended">
          {t('round.amendedOn')} <DateTime iso={control.amendedAt} />
        </p>
      ) : null}
      <div className="prose" dangerouslySetInnerHTML={{ __html: control.bodyHtml }} />
      {control.questions.length ? (
        <>
          <h4>{t('round.questionsHeading')}</h4>
          <ol>
            {control.questions.map((q) => (
              <li key={q.id}>{q.prompt}</li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  )
}

/** The round's supporting documents, as downloads with their size. */
export function DocumentList({
  slug,
  documents,
}: {
  slug: string
  documents: { id: number; title: string; filename: string; sizeBytes: number }[]
}) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  if (!documents.length) return null
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('round.documentsHeading')}</h2>
      <ul className="documents">
        {documents.map((d) => (
          <li key={d.id}>
            <a href={`/consultations/${slug}/documents/${d.id}`} download={d.filename}>
              {d.title}
            </a>{' '}
            <span className="hint">
              ({t('round.documentMeta', { size: formatBytes(d.sizeBytes, locale) })})
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Published responses counted by respondent type and by country, as tables. */
export function ResponseCounts({
  slug,
  counts,
}: {
  slug: string
  counts: {
    total: number
    byType: { key: RespondentType; count: number }[]
    byCountry: { key: string; name: string; count: number }[]
  }
}) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  return (
    <section aria-labelledby="responses-heading">
      <h2 id="responses-heading">{t('round.responsesHeading')}</h2>
      {counts.total === 0 ? (
        <p>{t('round.noPublishedResponses')}</p>
      ) : (
        <>
          <p>
            <Link to={`/consultations/${slug}/responses`}>
              {t('round.readResponses', {
                count: counts.total,
                formatted: formatNumber(counts.total, locale),
              })}
            </Link>
          </p>
          <div className="count-tables">
            <table className="table">
              <caption>{t('round.byType')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('round.respondentType')}</th>
                  <th scope="col" className="numeric">
                    {t('round.responses')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {counts.byType.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{t(`respondentTypes.${row.key}`)}</th>
                    <td className="numeric">{formatNumber(row.count, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="table">
              <caption>{t('round.byCountry')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('round.country')}</th>
                  <th scope="col" className="numeric">
                    {t('round.responses')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {counts.byCountry.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{row.name}</th>
                    <td className="numeric">{formatNumber(row.count, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
