import { describe, expect, test } from 'vitest'
import { consultationStatus } from '#app/models/consultation-status.ts'

const round = {
  published_at: '2027-01-01T00:00:00.000Z',
  opens_at: '2027-01-10T08:00:00.000Z',
  closes_at: '2027-02-10T16:00:00.000Z',
  archived_at: null,
}

describe('consultationStatus', () => {
  test('an unpublished round is a draft whatever its dates', () => {
    expect(consultationStatus({ ...round, published_at: null }, '2027-01-20T00:00:00Z')).toBe(
      'draft',
    )
  })

  test('is upcoming before the opening, open from it, closed from the closing second', () => {
    expect(consultationStatus(round, '2027-01-10T07:59:59.999Z')).toBe('upcoming')
    expect(consultationStatus(round, '2027-01-10T08:00:00.000Z')).toBe('open')
    expect(consultationStatus(round, '2027-02-10T15:59:59.999Z')).toBe('open')
    expect(consultationStatus(round, '2027-02-10T16:00:00.000Z')).toBe('closed')
  })

  test('a published round without an opening date is not open yet', () => {
    expect(consultationStatus({ ...round, opens_at: null }, '2027-01-20T00:00:00Z')).toBe(
      'upcoming',
    )
  })

  test('archiving wins once its time has come', () => {
    const archived = { ...round, archived_at: '2027-03-01T00:00:00.000Z' }
    expect(consultationStatus(archived, '2027-02-20T00:00:00Z')).toBe('closed')
    expect(consultationStatus(archived, '2027-03-02T00:00:00Z')).toBe('archived')
  })
})
