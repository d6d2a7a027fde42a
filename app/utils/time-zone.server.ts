import { isValidTimeZone } from './format.ts'

export const TIME_ZONE_COOKIE = 'tz'

/**
 * The reader's time zone as the browser reported it in the `tz` cookie, or
 * UTC before it has (the zone is always shown beside a time, so UTC is never
 * mistaken for local time).
 */
export function getTimeZone(request: Request): string {
  const cookies = request.headers.get('Cookie') ?? ''
  const match = /(?:^|;\s*)tz=([^;]+)/.exec(cookies)
  const zone = match?.[1] ? decodeURIComponent(match[1]) : null
  return isValidTimeZone(zone) ? zone : 'UTC'
}
