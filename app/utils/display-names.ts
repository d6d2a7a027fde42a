/**
 * A country's name in the reader's language, from its ISO 3166-1 code (Intl,
 * no data to ship). Call it on the server only: browsers ship other ICU
 * versions, and a name that differs breaks React's hydration.
 */
const regionNames = new Map<string, Intl.DisplayNames>()

export function countryName(code: string, locale: string): string {
  try {
    let names = regionNames.get(locale)
    if (!names) {
      names = new Intl.DisplayNames([locale], { type: 'region' })
      regionNames.set(locale, names)
    }
    return names.of(code) ?? code
  } catch {
    return code
  }
}

/** "1.2 MB": a file size in the locale's format. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  })
    .format(value)
    .replace(/[\u00a0\u202f]/g, ' ')
}
