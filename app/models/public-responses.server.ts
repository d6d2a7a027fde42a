import type { Position, RespondentType } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'

// Everything that reads responses for the public goes through this module:
// published ones only, and each shown exactly as its author chose.

export interface PublicResponseItem {
  controlReference: string | null
  controlTitle: string | null
  position: Position
  body: string
  answers: { question: string; answer: string }[]
}

export interface PublicResponse {
  id: number
  submittedAt: string
  respondentType: RespondentType
  country: string
  /** Organisation or chosen name when published with a name; null when anonymous. */
  author: string | null
  /** A business-confidential response shows only its public version, never its items. */
  publicVersion: string | null
  items: PublicResponseItem[]
}

const PAGE = 20

/** Opaque keyset cursor: submission time and id of the last response shown. */
function encodeCursor(submittedAt: string, id: number) {
  return Buffer.from(`${submittedAt}|${id}`).toString('base64url')
}

function decodeCursor(
  cursor: string | null | undefined,
): { submittedAt: string; id: number } | null {
  if (!cursor) return null
  const [submittedAt, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!submittedAt || !id || !/^\d+$/.test(id) || Number.isNaN(Date.parse(submittedAt))) return null
  return { submittedAt, id: Number(id) }
}

/**
 * Published responses of a round, newest first, a page at a time (keyset:
 * constant cost however deep). Anonymous ones carry no name or organisation;
 * confidential ones only their public version.
 */
export async function listPublishedResponses(
  db: DB,
  {
    consultationId,
    cursor,
    limit = PAGE,
  }: { consultationId: number; cursor?: string | null; limit?: number },
): Promise<{ responses: PublicResponse[]; nextCursor: string | null }> {
  const after = decodeCursor(cursor)
  let query = db
    .selectFrom('responses')
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'published')
    .where('publication', '!=', 'not_published')
    .select([
      'id',
      'submitted_at',
      'respondent_type',
      'country',
      'publication',
      'organisation',
      'author_name',
      'confidential',
      'public_version',
    ])
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('submitted_at', '<', after.submittedAt),
        eb.and([eb('submitted_at', '=', after.submittedAt), eb('id', '<', after.id)]),
      ]),
    )
  }
  const rows = await query.execute()
  const page = rows.slice(0, limit)
  const open = page.filter((r) => r.confidential === 0).map((r) => r.id)

  const items = open.length
    ? await db
        .selectFrom('response_items as i')
        .leftJoin('controls as c', 'c.id', 'i.control_id')
        .where('i.response_id', 'in', open)
        .select([
          'i.id',
          'i.response_id',
          'i.position',
          'i.body',
          'c.reference',
          'c.title',
          'c.position as control_position',
        ])
        .orderBy('i.response_id')
        .orderBy('c.position', (o) => o.asc().nullsFirst())
        .execute()
    : []
  const answers = items.length
    ? await db
        .selectFrom('response_answers as a')
        .innerJoin('control_questions as q', 'q.id', 'a.question_id')
        .where(
          'a.item_id',
          'in',
          items.map((i) => i.id),
        )
        .select(['a.item_id', 'q.prompt', 'a.answer'])
        .orderBy('q.position')
        .execute()
    : []

  const responses = page.map((r): PublicResponse => {
    const author = r.publication === 'named' ? (r.organisation ?? r.author_name ?? null) : null
    if (r.confidential === 1) {
      return {
        id: r.id,
        submittedAt: r.submitted_at,
        respondentType: r.respondent_type,
        country: r.country,
        author,
        publicVersion: r.public_version ?? '',
        items: [],
      }
    }
    return {
      id: r.id,
      submittedAt: r.submitted_at,
      respondentType: r.respondent_type,
      country: r.country,
      author,
      publicVersion: null,
      items: items
        .filter((i) => i.response_id === r.id)
        .map((i) => ({
          controlReference: i.reference,
          controlTitle: i.title,
          position: i.position,
          body: i.body,
          answers: answers
            .filter((a) => a.item_id === i.id)
            .map((a) => ({ question: a.prompt, answer: a.answer })),
        })),
    }
  })
  const last = page.at(-1)
  return {
    responses,
    nextCursor: rows.length > limit && last ? encodeCursor(last.submitted_at, last.id) : null,
  }
}

export interface PublishedCounts {
  total: number
  byType: { key: RespondentType; count: number }[]
  byCountry: { key: string; count: number }[]
}

/** How many responses are published, by respondent type and by country (the round's page and its list). */
export async function countPublishedResponses(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<PublishedCounts> {
  // The kept counts (round-counts.server.ts): a grouping of the published responses took
  // 0.8 s at a million, on the server's thread, each time its kept copy expired.
  const groups = await db
    .selectFrom('stat_counts')
    .where('consultation_id', '=', consultationId)
    .where('scope', '=', 'public')
    .where('dimension', 'in', ['type', 'country'])
    .where('count', '>', 0)
    .select(['dimension', 'key', 'count'])
    .execute()
  const tally = (dimension: string) =>
    groups
      .filter((g) => g.dimension === dimension)
      .map((g) => ({ key: g.key, count: Number(g.count) }))
      .sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
  const byType = tally('type') as PublishedCounts['byType']
  const byCountry = tally('country')
  return { total: byType.reduce((sum, r) => sum + r.count, 0), byType, byCountry }
}
