// Pure: shared by the server, the browser and the tests.

export type ConsultationStatus = 'draft' | 'upcoming' | 'open' | 'closed' | 'archived'

export interface StatusDates {
  published_at: string | null
  opens_at: string | null
  closes_at: string | null
  archived_at: string | null
}

/**
 * A round's status at instant `now`, from its dates alone: nothing has to run
 * at the opening or closing time for the status to change on the second.
 */
export function consultationStatus(round: StatusDates, now: string): ConsultationStatus {
  if (round.archived_at && Date.parse(round.archived_at) <= Date.parse(now)) return 'archived'
  if (!round.published_at) return 'draft'
  const t = Date.parse(now)
  if (round.opens_at && t < Date.parse(round.opens_at)) return 'upcoming'
  if (round.closes_at && t >= Date.parse(round.closes_at)) return 'closed'
  if (!round.opens_at) return 'upcoming'
  return 'open'
}
