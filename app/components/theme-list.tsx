import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { sharePercent } from '#app/analysis/theme-draft.ts'
import type { ThemeView as ListedTheme } from '#app/models/themes.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

/** What the themes page's action refused, for the theme it was asked of. */
export interface ThemeActionError {
  error:
    | 'themes.nameRequired'
    | 'themes.nameTooLong'
    | 'themes.nameTaken'
    | 'themes.splitAccepted'
    | 'themes.mergeBothAccepted'
    | 'themes.mergeOther'
  themeId: number
  /** A rename's name as it was typed, kept when it is refused. */
  name?: string
}

/** The themes of a scope, each with its size both ways, its splits, its quotes and what can be done with it. */
export function ThemeList({
  themes,
  error,
}: {
  themes: ListedTheme[]
  error: ThemeActionError | null
}) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const percent = (share: number) => sharePercent(share, locale)
  const position = (p: string) =>
    p ? t(`positions.${p as 'support'}`, { defaultValue: p }) : t('themes.noPosition')
  const group = (g: string) => t(`respondentTypes.${g as 'company'}`, { defaultValue: g })
  const titleOf = (theme: ListedTheme, i: number) =>
    t('themes.themeTitle', { number: i + 1, phrases: theme.name ?? theme.phrases.join(', ') })
  return (
    <ol className="response-list">
      {themes.map((theme, i) => {
        const headingId = `theme-${theme.id}-heading`
        const mine = error?.themeId === theme.id ? error : null
        const others = themes
          .map((other, j) => ({ other, title: titleOf(other, j) }))
          .filter(
            ({ other }) =>
              other.id !== theme.id &&
              other.language === theme.language &&
              !(other.state === 'accepted' && theme.state === 'accepted'),
          )
        return (
          <li key={theme.id} className="response">
            <section aria-labelledby={headingId}>
              <h2 className="response__title" dir="auto" id={headingId} tabIndex={-1}>
                {titleOf(theme, i)}
              </h2>
              {theme.state === 'accepted' ? (
                <p>
                  <strong className="tag">{t('themes.accepted')}</strong>{' '}
                  {theme.tagId !== null
                    ? t('themes.acceptedAs', { tag: theme.tagName ?? '' })
                    : null}
                  {theme.untagged > 0 ? ` ${t('themes.tagging', { count: theme.untagged })}` : null}
                </p>
              ) : null}
              {theme.name ? (
                <p className="hint" dir="auto">
                  {t('themes.keyPhrases', { phrases: theme.phrases.join(', ') })}
                </p>
              ) : null}
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
              <ThemeActions
                theme={theme}
                number={i + 1}
                error={mine}
                others={others}
                headingId={headingId}
              />
            </section>
          </li>
        )
      })}
    </ol>
  )
}

function ThemeActions({
  theme,
  number,
  error,
  others,
  headingId,
}: {
  theme: ListedTheme
  number: number
  error: ThemeActionError | null
  others: { other: ListedTheme; title: string }[]
  headingId: string
}) {
  const { t } = useTranslation()
  const nameId = `theme-${theme.id}-name`
  const nameError = error && error.name !== undefined ? error : null
  const otherError = error && error.name === undefined ? error : null
  return (
    <div className="theme-actions">
      <h3>{t('themes.actions')}</h3>
      {otherError ? (
        <p className="error-message" id={`theme-${theme.id}-error`}>
          <span className="visually-hidden">{t('forms.errorPrefix')}</span> {t(otherError.error)}
        </p>
      ) : null}
      {theme.state === 'proposed' ? (
        <Form method="post" className="button-group">
          <input type="hidden" name="themeId" value={theme.id} />
          <button
            type="submit"
            name="intent"
            value="accept"
            className="button"
            aria-describedby={headingId}
          >
            {t('themes.accept')}
          </button>
          <button
            type="submit"
            name="intent"
            value="split"
            className="button button--secondary"
            aria-describedby={headingId}
          >
            {t('themes.split')}
          </button>
        </Form>
      ) : null}
      <Form method="post">
        <input type="hidden" name="themeId" value={theme.id} />
        <div className={`form-group${nameError ? ' form-group--error' : ''}`}>
          <label className="label" htmlFor={nameId}>
            {t('themes.renameLabel', { number })}
          </label>
          {nameError ? (
            <p className="error-message" id={`${nameId}-error`}>
              <span className="visually-hidden">{t('forms.errorPrefix')}</span> {t(nameError.error)}
            </p>
          ) : null}
          <input
            className="input"
            id={nameId}
            name="name"
            dir="auto"
            defaultValue={nameError?.name ?? theme.name ?? theme.phrases.join(', ')}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${nameId}-error` : undefined}
          />
        </div>
        <button type="submit" name="intent" value="rename" className="button button--secondary">
          {t('themes.rename')}
        </button>
      </Form>
      {others.length > 0 ? (
        <Form method="post">
          <input type="hidden" name="themeId" value={theme.id} />
          <div className="form-group">
            <label className="label" htmlFor={`theme-${theme.id}-merge`}>
              {t('themes.mergeLabel', { number })}
            </label>
            <select className="select" id={`theme-${theme.id}-merge`} name="otherId">
              {others.map(({ other, title }) => (
                <option key={other.id} value={other.id}>
                  {title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="merge" className="button button--secondary">
            {t('themes.merge')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}
