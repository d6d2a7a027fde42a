import { describe, expect, test } from 'vitest'
import { stakeholderBalance, stakeholderGroup } from '#app/analysis/stakeholders.ts'

describe('stakeholder balance', () => {
  test('folds respondent types into the groups commitment 2 names', () => {
    expect(stakeholderGroup('business_association')).toBe('private_sector')
    expect(stakeholderGroup('trade_union')).toBe('civil_society')
    expect(stakeholderGroup('academic')).toBe('academia')
  })

  test('gives every group, with counts, unique texts and shares', () => {
    const balance = stakeholderBalance([
      { key: 'company', count: 30, unique: 30 },
      { key: 'business_association', count: 10, unique: 10 },
      { key: 'ngo', count: 40, unique: 12 },
      { key: 'academic', count: 20, unique: 20 },
    ])
    expect(balance.map((b) => [b.key, b.count, b.unique])).toEqual([
      ['private_sector', 40, 40],
      ['academia', 20, 20],
      ['civil_society', 40, 12],
      ['individuals', 0, 0],
      ['public_authorities', 0, 0],
      ['other', 0, 0],
    ])
    expect(balance[0]!.share).toBeCloseTo(40 / 100)
    expect(stakeholderBalance([]).every((b) => b.share === 0)).toBe(true)
  })
})
