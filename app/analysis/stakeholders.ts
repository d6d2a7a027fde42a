// Commitment 2 asks for consultation of the private sector, academia and
// civil society: the balance between them is read from respondent types.

export type RespondentTypeKey =
  | 'company'
  | 'business_association'
  | 'academic'
  | 'ngo'
  | 'trade_union'
  | 'public_authority'
  | 'individual'
  | 'other'

export type StakeholderGroup =
  'private_sector' | 'academia' | 'civil_society' | 'individuals' | 'public_authorities' | 'other'

export const STAKEHOLDER_GROUPS: StakeholderGroup[] = [
  'private_sector',
  'academia',
  'civil_society',
  'individuals',
  'public_authorities',
  'other',
]

const GROUP_OF: Record<RespondentTypeKey, StakeholderGroup> = {
  company: 'private_sector',
  business_association: 'private_sector',
  academic: 'academia',
  ngo: 'civil_society',
  trade_union: 'civil_society',
  individual: 'individuals',
  public_authority: 'public_authorities',
  other: 'other',
}

/** The stakeholder group a respondent type belongs to. */
export function stakeholderGroup(type: RespondentTypeKey): StakeholderGroup {
  return GROUP_OF[type]
}

/** Counts by respondent type folded into stakeholder groups, every group present, in a fixed order. */
export function stakeholderBalance<
  T extends { key: RespondentTypeKey; count: number; unique: number },
>(byType: T[]): { key: StakeholderGroup; count: number; unique: number; share: number }[] {
  const total = byType.reduce((sum, r) => sum + r.count, 0)
  return STAKEHOLDER_GROUPS.map((group) => {
    const rows = byType.filter((r) => GROUP_OF[r.key] === group)
    const count = rows.reduce((sum, r) => sum + r.count, 0)
    return {
      key: group,
      count,
      unique: rows.reduce((sum, r) => sum + r.unique, 0),
      share: total ? count / total : 0,
    }
  })
}
