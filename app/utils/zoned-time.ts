import { Temporal } from 'temporal-polyfill'

// Officials enter a round's dates as wall-clock time in a named zone; the
// database keeps UTC. Temporal does the zone arithmetic, DST included.

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

export type LocalToUtc =
  { ok: true; iso: string } | { ok: false; reason: 'invalid' | 'nonexistent' }

/**
 * UTC for a wall-clock time ('2027-03-28T02:30') in `zone`. A time skipped
 * when clocks go forward does not exist and is refused; a time that happens
 * twice when clocks go back means the first of the two.
 */
export function localToUtc(local: string, zone: string): LocalToUtc {
  if (!LOCAL.test(local)) return { ok: false, reason: 'invalid' }
  try {
    const wall = Temporal.PlainDateTime.from(local, { overflow: 'reject' })
    const zoned = wall.toZonedDateTime(zone, { disambiguation: 'earlier' })
    if (!zoned.toPlainDateTime().equals(wall)) return { ok: false, reason: 'nonexistent' }
    return { ok: true, iso: new Date(zoned.epochMilliseconds).toISOString() }
  } catch {
    return { ok: false, reason: 'invalid' }
  }
}

/** The wall-clock time of `iso` in `zone`, as a datetime-local input wants it. */
export function utcToLocalInput(iso: string, zone: string): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(Date.parse(iso)).toZonedDateTimeISO(zone)
  return zoned.toPlainDateTime().toString({ smallestUnit: 'minute' })
}

/** Every IANA zone the runtime knows, for the zone picker. */
export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone')
  return zones.includes('UTC') ? zones : ['UTC', ...zones]
}
