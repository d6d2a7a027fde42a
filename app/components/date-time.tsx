import { Trans } from 'react-i18next'
import { formatDate, formatDateTime, formatRelative } from '#app/utils/format.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

/** A machine-readable <time> showing the instant in the reader's zone, zone named. */
export function DateTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const { locale, timeZone } = useLocaleAndZone()
  return (
    <time dateTime={iso}>
      {dateOnly ? formatDate(iso, locale, timeZone) : formatDateTime(iso, locale, timeZone)}
    </time>
  )
}

type DateSentenceKey = 'home.closes' | 'home.opens' | 'home.closed'

/**
 * A translated sentence around a date ("Closes <time>…</time> (in 3 days)"),
 * keeping the <time> element whatever the language's word order.
 */
export function DateSentence({
  i18nKey,
  iso,
  now,
  dateOnly = false,
}: {
  i18nKey: DateSentenceKey
  iso: string
  now?: string
  dateOnly?: boolean
}) {
  const { locale, timeZone } = useLocaleAndZone()
  const date = dateOnly ? formatDate(iso, locale, timeZone) : formatDateTime(iso, locale, timeZone)
  const relative = now ? formatRelative(iso, now, locale) : ''
  return (
    <Trans
      i18nKey={i18nKey}
      values={{ date, relative }}
      components={{ time: <time dateTime={iso} /> }}
    />
  )
}
