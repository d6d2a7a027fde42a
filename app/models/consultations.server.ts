import type { DB } from '#app/utils/db.server.ts'
import { type ConsultationStatus, consultationStatus } from './consultation-status.ts'

export interface PublicRoundSummary {
  slug: string
  title: string
  summary: string
  opensAt: string | null
  closesAt: string | null
  status: ConsultationStatus
  controlCount: number
  publishedResponseCount: number
}

export interface HomeListing {
  open: PublicRoundSummary[]
  upcoming: PublicRoundSummary[]
  closed: PublicRoundSummary[]
}

/**
 * Published rounds for the home page: open ones closing soonest first, then
 * upcoming ones opening soonest, then closed and archived ones, newest first.
 */
export async function listPublicConsultations(
  db: DB,
  { now }: { now: string },
): Promise<HomeListing> {
  const rows = await db
    .selectFrom('consultations as c')
    .where('c.published_at', 'is not', null)
    .select((eb) => [
      'c.slug',
      'c.title',
      'c.summary',
      'c.opens_at',
      'c.closes_at',
      'c.published_at',
      'c.archived_at',
      eb
        .selectFrom('controls')
        .whereRef('controls.consultation_id', '=', 'c.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('control_count'),
      eb
        .selectFrom('responses')
        .whereRef('responses.consultation_id', '=', 'c.id')
        .where('responses.status', '=', 'published')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('published_count'),
    ])
    .execute()

  const rounds: PublicRoundSummary[] = rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    status: consultationStatus(r, now),
    controlCount: Number(r.control_count ?? 0),
    publishedResponseCount: Number(r.published_count ?? 0),
  }))
  const by = (status: ConsultationStatus[]) => rounds.filter((r) => status.includes(r.status))
  const time = (iso: string | null, missing: number) => (iso ? Date.parse(iso) : missing)
  return {
    open: by(['open']).sort((a, b) => time(a.closesAt, Infinity) - time(b.closesAt, Infinity)),
    upcoming: by(['upcoming']).sort(
      (a, b) => time(a.opensAt, Infinity) - time(b.opensAt, Infinity),
    ),
    closed: by(['closed', 'archived']).sort((a, b) => time(b.closesAt, 0) - time(a.closesAt, 0)),
  }
}

export interface PublicControl {
  id: number
  reference: string
  title: string
  body: string
  amendedAt: string | null
  questions: { id: number; prompt: string }[]
}

export interface PublicRound {
  id: number
  slug: string
  title: string
  summary: string
  background: string
  commitments: number[]
  timeZone: string
  opensAt: string | null
  closesAt: string | null
  status: ConsultationStatus
  lateCommentsAllowed: boolean
  contactPoint: string
  controls: PublicControl[]
}

/** A published round with its controls and their questions, or null (drafts included). */
export async function getPublicConsultation(
  db: DB,
  { slug, now }: { slug: string; now: string },
): Promise<PublicRound | null> {
  const round = await db
    .selectFrom('consultations')
    .where('slug', '=', slug)
    .where('published_at', 'is not', null)
    .select([
      'id',
      'slug',
      'title',
      'summary',
      'background',
      'commitments',
      'time_zone',
      'opens_at',
      'closes_at',
      'published_at',
      'archived_at',
      'late_comments_allowed',
      'contact_point',
    ])
    .executeTakeFirst()
  if (!round) return null

  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', round.id)
    .orderBy('position')
    .select(['id', 'reference', 'title', 'body', 'amended_at'])
    .execute()
  const questions = controls.length
    ? await db
        .selectFrom('control_questions')
        .where(
          'control_id',
          'in',
          controls.map((c) => c.id),
        )
        .orderBy('control_id')
        .orderBy('position')
        .select(['id', 'control_id', 'prompt'])
        .execute()
    : []

  return {
    id: round.id,
    slug: round.slug,
    title: round.title,
    summary: round.summary,
    background: round.background,
    commitments: parseCommitments(round.commitments),
    timeZone: round.time_zone,
    opensAt: round.opens_at,
    closesAt: round.closes_at,
    status: consultationStatus(round, now),
    lateCommentsAllowed: round.late_comments_allowed === 1,
    contactPoint: round.contact_point,
    controls: controls.map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      body: c.body,
      amendedAt: c.amended_at,
      questions: questions
        .filter((q) => q.control_id === c.id)
        .map((q) => ({ id: q.id, prompt: q.prompt })),
    })),
  }
}

function parseCommitments(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value)
      ? value.filter((n): n is number => Number.isInteger(n) && n >= 1 && n <= 6)
      : []
  } catch {
    return []
  }
}
