// Date, time and number formatting through Intl, identical on the server and
// in the browser as long as both are given the same locale, zone and "now".
//
// ICU versions disagree on spaces: Node writes "4:00 PM" with a plain space
// where Chromium writes a narrow no-break space (U+202F), and French digit
// groups vary too. Left alone, server and browser text differ and React's
// hydration fails, so every result goes through `uniform`: plain spaces only.
const uniform = (text: string) => text.replace(/[\u00a0\u202f\u2009]/g, ' ')

// Building an Intl formatter costs far more than using one: keep them.
const formatters = new Map<
  string,
  Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat
>()
function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let f = formatters.get(key) as T | undefined
  if (!f) {
    f = make()
    if (formatters.size > 500) formatters.clear()
    formatters.set(key, f)
  }
  return f
}

/** Whether `zone` is an IANA time zone this runtime knows. */
const knownZones = new Set<string>()

export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false
  if (knownZones.has(zone)) return true
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    if (knownZones.size < 1000) knownZones.add(zone)
    return true
  } catch {
    return false
  }
}

/** "15 January 2027 at 17:00 CET": a date and time with its zone named. */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  const text = memo(
    `dt|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }),
  )
    .format(new Date(iso))
    .concat(' ', timeZoneName(iso, locale, timeZone))
  return uniform(text)
}

/** "15 January 2027": the date alone, in the given zone. */
export function formatDate(iso: string, locale: string, timeZone: string): string {
  return uniform(
    memo(
      `d|${locale}|${timeZone}`,
      () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }),
    ).format(new Date(iso)),
  )
}

/** The zone's short name at that instant ("CET", "CEST", "UTC", "GMT+9"). */
export function timeZoneName(iso: string, locale: string, timeZone: string): string {
  const part = memo(
    `z|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
  )
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName')
  return uniform(part?.value ?? timeZone)
}

/** A count with the locale's grouping ("1,234" or "1 234"). */
export function formatNumber(value: number, locale: string): string {
  return uniform(memo(`n|${locale}`, () => new Intl.NumberFormat(locale)).format(value))
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/**
 * "in 3 days", "2 hours ago": the distance from `now` to `iso` in the largest
 * whole unit, so a deadline reads at a glance.
 */
export function formatRelative(iso: string, now: string, locale: string): string {
  const diff = Date.parse(iso) - Date.parse(now)
  const rtf = memo(`r|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }))
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return uniform(rtf.format(Math.trunc(diff / ms), unit))
  }
  return uniform(rtf.format(Math.trunc(diff / 1000), 'second'))
}
