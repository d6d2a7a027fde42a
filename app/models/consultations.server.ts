import type { DB } from '#app/utils/db.server.ts'
import { PUBLIC_TTL_MS, cached } from '#app/utils/ttl-cache.server.ts'
import { type ConsultationStatus, consultationStatus } from './consultation-status.ts'

export interface PublicRoundSummary {
  slug: string
  title: string
  summary: string
  opensAt: string | null
  closesAt: string | null
  status: ConsultationStatus
  commitments: number[]
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
  // The counts cost a scan per round: shared between requests for a few seconds.
  const rows = await cached('public-rounds', PUBLIC_TTL_MS, () => publicRoundRows(db))
  const rounds: PublicRoundSummary[] = rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    status: consultationStatus(r, now),
    commitments: parseCommitments(r.commitments),
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

function publicRoundRows(db: DB) {
  return db
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
      'c.commitments',
      eb
        .selectFrom('controls')
        .whereRef('controls.consultation_id', '=', 'c.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('control_count'),
      eb
        .selectFrom('responses')
        .whereRef('responses.consultation_id', '=', 'c.id')
        .where('responses.status', '=', 'published')
        .where('responses.publication', '!=', 'not_published')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('published_count'),
    ])
    .execute()
}

export type RoundFilter = 'open' | 'upcoming' | 'closed'

/**
 * The searchable list of rounds: words in the title or summary (accents and
 * case ignored), a status, a Code of Conduct commitment. Rounds are few (tens
 * to hundreds), so the filtering happens on the published list in memory.
 */
export async function searchPublicConsultations(
  db: DB,
  {
    now,
    q,
    status,
    commitment,
  }: { now: string; q?: string; status?: RoundFilter; commitment?: number },
): Promise<PublicRoundSummary[]> {
  const listing = await listPublicConsultations(db, { now })
  const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  const words = fold(q ?? '')
    .split(/\s+/)
    .filter(Boolean)
  const pool =
    status === 'open'
      ? listing.open
      : status === 'upcoming'
        ? listing.upcoming
        : status === 'closed'
          ? listing.closed
          : [...listing.open, ...listing.upcoming, ...listing.closed]
  return pool.filter((round) => {
    if (commitment && !round.commitments.includes(commitment)) return false
    const haystack = fold(`${round.title} ${round.summary}`)
    return words.every((w) => haystack.includes(w))
  })
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
  amendedAt: string | null
  /** For computing the status at any instant (a cached round must not keep a stale status). */
  statusDates: {
    published_at: string | null
    opens_at: string | null
    closes_at: string | null
    archived_at: string | null
  }
  reportPublished: boolean
  controls: PublicControl[]
  documents: { id: number; title: string; filename: string; sizeBytes: number }[]
}

/**
 * A round with its controls, their questions and its documents, or null. A
 * draft is null unless `includeDrafts` (an official previewing it).
 */
export async function getPublicConsultation(
  db: DB,
  { slug, now, includeDrafts = false }: { slug: string; now: string; includeDrafts?: boolean },
): Promise<PublicRound | null> {
  let query = db.selectFrom('consultations').where('slug', '=', slug)
  if (!includeDrafts) query = query.where('published_at', 'is not', null)
  const round = await query
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
      'amended_at',
      'report_published_at',
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
  const documents = await db
    .selectFrom('consultation_documents')
    .where('consultation_id', '=', round.id)
    .orderBy('created_at')
    .select(['id', 'title', 'filename', 'size_bytes'])
    .execute()

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
    amendedAt: round.amended_at,
    statusDates: {
      published_at: round.published_at,
      opens_at: round.opens_at,
      closes_at: round.closes_at,
      archived_at: round.archived_at,
    },
    reportPublished: Boolean(round.report_published_at),
    documents: documents.map((d) => ({
      id: d.id,
      title: d.title,
      filename: d.filename,
      sizeBytes: d.size_bytes,
    })),
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

/** A supporting document's bytes, if its round is public (or `includeDrafts`). */
export async function getConsultationDocument(
  db: DB,
  {
    slug,
    documentId,
    includeDrafts = false,
  }: { slug: string; documentId: number; includeDrafts?: boolean },
) {
  let query = db
    .selectFrom('consultation_documents as d')
    .innerJoin('consultations as c', 'c.id', 'd.consultation_id')
    .where('c.slug', '=', slug)
    .where('d.id', '=', documentId)
  if (!includeDrafts) query = query.where('c.published_at', 'is not', null)
  return query
    .select(['d.filename', 'd.media_type', 'd.size_bytes', 'd.blob_id', 'd.sha256'])
    .executeTakeFirst()
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

/** A published round whose report has been published, by its slug: what the public report needs. */
export async function getRoundWithPublishedReport(db: DB, { slug }: { slug: string }) {
  return db
    .selectFrom('consultations')
    .where('slug', '=', slug)
    .where('published_at', 'is not', null)
    .where('report_published_at', 'is not', null)
    .select(['id', 'slug'])
    .executeTakeFirst()
}

/** A round's slug by its id (for officials' downloads' file names), or undefined. */
export async function getRoundSlug(db: DB, { id }: { id: number }) {
  return db.selectFrom('consultations').where('id', '=', id).select('slug').executeTakeFirst()
}
