import { describe, expect, test } from 'vitest'
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatRelative,
  isValidTimeZone,
  timeZoneName,
} from '#app/utils/format.ts'

describe('formatDateTime', () => {
  test('shows the instant in the given zone and names the zone', () => {
    const iso = '2027-01-15T16:00:00.000Z'
    expect(formatDateTime(iso, 'en-GB', 'Europe/Copenhagen')).toBe('15 January 2027 at 17:00 CET')
    expect(formatDateTime(iso, 'en-GB', 'UTC')).toBe('15 January 2027 at 16:00 UTC')
  })

  test('follows daylight saving time: the same zone is CEST in summer', () => {
    expect(formatDateTime('2027-07-15T16:00:00.000Z', 'en-GB', 'Europe/Copenhagen')).toBe(
      '15 July 2027 at 18:00 CEST',
    )
  })

  test('formats in the reader’s language', () => {
    expect(formatDateTime('2027-01-15T16:00:00.000Z', 'fr', 'Europe/Paris')).toMatch(
      /^15 janvier 2027.*17:00 UTC\+1$/,
    )
  })

  test('a date near midnight UTC falls on the zone’s own calendar day', () => {
    expect(formatDate('2027-03-01T23:30:00.000Z', 'en-GB', 'Asia/Tokyo')).toBe('2 March 2027')
    expect(formatDate('2027-03-01T23:30:00.000Z', 'en-GB', 'UTC')).toBe('1 March 2027')
  })
})

describe('timeZoneName and isValidTimeZone', () => {
  test('name the zone at that instant', () => {
    expect(timeZoneName('2027-01-15T00:00:00Z', 'en-US', 'America/New_York')).toBe('EST')
    expect(timeZoneName('2027-07-15T00:00:00Z', 'en-US', 'America/New_York')).toBe('EDT')
  })

  test('accept IANA zones and refuse anything else', () => {
    expect(isValidTimeZone('Asia/Seoul')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
    expect(isValidTimeZone(null)).toBe(false)
  })
})

describe('formatRelative', () => {
  const now = '2027-01-10T12:00:00.000Z'
  test('uses the largest whole unit', () => {
    expect(formatRelative('2027-01-15T12:00:00.000Z', now, 'en')).toBe('in 5 days')
    expect(formatRelative('2027-01-10T15:30:00.000Z', now, 'en')).toBe('in 3 hours')
    expect(formatRelative('2027-01-10T12:10:00.000Z', now, 'en')).toBe('in 10 minutes')
    expect(formatRelative('2027-01-08T12:00:00.000Z', now, 'en')).toBe('2 days ago')
  })
})

describe('uniform spacing', () => {
  test('writes plain spaces only, whichever ICU the runtime has', () => {
    const samples = [
      formatDateTime('2027-01-15T16:00:00.000Z', 'en-US', 'America/New_York'),
      formatNumber(1234567, 'fr'),
      formatRelative('2027-01-15T12:00:00.000Z', '2027-01-10T12:00:00.000Z', 'fr'),
    ]
    for (const text of samples) expect(text).not.toMatch(/[\u00a0\u202f\u2009]/)
    expect(samples[0]).toBe('January 15, 2027 at 11:00 AM EST')
  })
})

describe('formatNumber', () => {
  test('groups digits the locale’s way', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567')
    expect(formatNumber(1234567, 'fr')).toBe('1 234 567')
  })
})
