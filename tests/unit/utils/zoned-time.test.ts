import { describe, expect, test } from 'vitest'
import { listTimeZones, localToUtc, utcToLocalInput } from '#app/utils/zoned-time.ts'

describe('localToUtc', () => {
  test('applies the zone’s offset, winter and summer', () => {
    expect(localToUtc('2027-01-15T17:00', 'Europe/Copenhagen')).toEqual({
      ok: true,
      iso: '2027-01-15T16:00:00.000Z',
    })
    expect(localToUtc('2027-07-15T17:00', 'Europe/Copenhagen')).toEqual({
      ok: true,
      iso: '2027-07-15T15:00:00.000Z',
    })
    expect(localToUtc('2027-01-15T17:00', 'Asia/Tokyo')).toEqual({
      ok: true,
      iso: '2027-01-15T08:00:00.000Z',
    })
    expect(localToUtc('2027-01-15T17:00', 'America/New_York')).toEqual({
      ok: true,
      iso: '2027-01-15T22:00:00.000Z',
    })
  })

  test('refuses a time skipped when clocks go forward', () => {
    // Europe: 28 March 2027, 02:00 jumps to 03:00.
    expect(localToUtc('2027-03-28T02:30', 'Europe/Copenhagen')).toEqual({
      ok: false,
      reason: 'nonexistent',
    })
    expect(localToUtc('2027-03-28T03:00', 'Europe/Copenhagen')).toEqual({
      ok: true,
      iso: '2027-03-28T01:00:00.000Z',
    })
  })

  test('takes the first of a time that happens twice when clocks go back', () => {
    // Europe: 31 October 2027, 03:00 goes back to 02:00; 02:30 happens at 00:30Z and 01:30Z.
    expect(localToUtc('2027-10-31T02:30', 'Europe/Copenhagen')).toEqual({
      ok: true,
      iso: '2027-10-31T00:30:00.000Z',
    })
  })

  test('refuses malformed and impossible dates', () => {
    expect(localToUtc('2027-02-30T10:00', 'UTC')).toEqual({ ok: false, reason: 'invalid' })
    expect(localToUtc('tomorrow', 'UTC')).toEqual({ ok: false, reason: 'invalid' })
    expect(localToUtc('2027-02-10T10:00', 'Not/AZone')).toEqual({ ok: false, reason: 'invalid' })
  })
})

describe('utcToLocalInput', () => {
  test('round-trips with localToUtc', () => {
    for (const zone of ['Europe/Oslo', 'Australia/Sydney', 'America/Los_Angeles', 'UTC']) {
      const result = localToUtc('2027-11-05T09:15', zone)
      expect(result.ok).toBe(true)
      if (result.ok) expect(utcToLocalInput(result.iso, zone)).toBe('2027-11-05T09:15')
    }
  })
})

test('the zone list has the zones of the subscribing states', () => {
  const zones = listTimeZones()
  for (const z of [
    'UTC',
    'Europe/Copenhagen',
    'Asia/Seoul',
    'Australia/Sydney',
    'America/Toronto',
  ]) {
    expect(zones).toContain(z)
  }
})
