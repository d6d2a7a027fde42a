import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { sharePercent } from '#app/analysis/theme-draft.ts'
import type { ThemeSummary } from '#app/analysis/themes.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

/** The themes of a round, each with its size both ways, its splits and its quotes. */
export function ThemeList({ themes }: { themes: ThemeSummary[] }) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const percent = (share: number) => sharePercent(share, locale)
  const position = (p: string) =>
    p ? t(`positions.${p as 'support'}`, { defaultValue: p }) : t('themes.noPosition')
  const group = (g: string) => t(`respondentTypes.${g as 'company'}`, { defaultValue: g })
  return (
    <ol className="response-list">
      {themes.map((theme, i) => (
        <li key={theme.key} className="response">
          <h2 className="response__title" dir="auto">
            {t('themes.themeTitle', { number: i + 1, phrases: theme.phrases.join(', ') })}
          </h2>
          <p>
            {t('themes.size', {
              responses: theme.responses,
              share: percent(theme.share),
              units: theme.units,
              unitShare: percent(theme.unitShare),
            })}
            {theme.minority ? (
              <>
                {' '}
                <strong className="tag">{t('themes.minority')}</strong>
              </>
            ) : null}
          </p>
          <h3>{t('themes.positions')}</h3>
          <ul>
            {theme.positions.map(([p, n]) => (
              <li key={p}>
                {position(p)}: {n}
              </li>
            ))}
          </ul>
          <h3>{t('themes.groups')}</h3>
          <ul>
            {theme.groups.map(([g, n]) => (
              <li key={g}>
                {group(g)}: {n}
              </li>
            ))}
          </ul>
          <h3>{t('themes.quotes')}</h3>
          {theme.quotes.map((quote) => (
            <figure key={quote.responseId}>
              <blockquote dir="auto">{quote.text}</blockquote>
              <figcaption>
                {/* The link alone on its line: beside text, only its colour would tell it apart. */}
                {quote.position ? <div>{position(quote.position)}</div> : null}
                <div>
                  <Link to={`/manage/responses/${quote.responseId}`}>
                    {t('themes.quoteSource', { id: quote.responseId })}
                  </Link>
                </div>
              </figcaption>
            </figure>
          ))}
        </li>
      ))}
    </ol>
  )
}
