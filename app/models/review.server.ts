import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import type { ParsedSearch } from '#app/analysis/search-query.ts'
import type { Database, Position, Publication, RespondentType, ResponseStatus } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { liveGeneration } from '#app/models/campaigns.server.ts'
import {
  expandPrefixes,
  firstChunk,
  matchCondition,
  matchingRowids,
  matchConditionPerRow,
  denseMatches,
  matchingIdsDescending,
  rankedIds,
  snippets,
} from './search-index.server.ts'

export interface QueueFilters {
  status?: ResponseStatus
  respondentType?: RespondentType
  country?: string
  controlId?: number
  position?: Position
  tagId?: number
  late?: boolean
  confidential?: boolean
  attachments?: boolean
  clusterId?: number
  search?: Extract<ParsedSearch, { ok: true }>
  sort?: 'newest' | 'oldest' | 'relevance'
}

export interface QueueRow {
  id: number
  trackingNumber: string
  submittedAt: string
  status: ResponseStatus
  respondentType: RespondentType
  organisation: string | null
  authorName: string | null
  publication: Publication
  country: string
  isLate: boolean
  confidential: boolean
  attachmentCount: number
  clusterId: number | null
  clusterSize: number | null
  positions: { reference: string | null; position: Position }[]
  tags: { id: number; name: string; colour: string }[]
  snippet: string | null
}

const PAGE = 50

type QueueBuilder = ExpressionBuilder<Database & { r: Database['responses'] }, 'r'>

/**
 * The filters as a WHERE clause. `amongIds`: the query also lists the ids it may return (a chunk
 * of search matches); the round is then compared as `consultation_id + 0`, which no index
 * serves, so that the planner looks the listed ids up instead of walking the round's index: at a
 * million responses it did the latter, 170 ms for 200 ids.
 */
function conditions(
  db: DB,
  consultationId: number,
  f: QueueFilters,
  { amongIds = false, searchPerRow = false } = {},
) {
  return (eb: QueueBuilder) => {
    const all: Expression<SqlBool>[] = [
      amongIds
        ? eb(sql<number>`r.consultation_id + 0`, '=', consultationId)
        : eb('r.consultation_id', '=', consultationId),
      eb('r.status', '!=', 'draft'),
    ]
    if (f.status) all.push(eb('r.status', '=', f.status))
    if (f.respondentType) all.push(eb('r.respondent_type', '=', f.respondentType))
    if (f.country) all.push(eb('r.country', '=', f.country))
    if (f.late !== undefined) all.push(eb('r.is_late', '=', f.late ? 1 : 0))
    if (f.confidential !== undefined) all.push(eb('r.confidential', '=', f.confidential ? 1 : 0))
    if (f.clusterId) {
      all.push(
        eb(
          'r.id',
          'in',
          eb
            .selectFrom('campaign_members as m')
            .where('m.cluster_id', '=', f.clusterId)
            .select('m.response_id'),
        ),
      )
    }
    if (f.controlId || f.position) {
      let items = eb
        .selectFrom('response_items as i')
        .select('i.id')
        .whereRef('i.response_id', '=', 'r.id')
      if (f.controlId) items = items.where('i.control_id', '=', f.controlId)
      if (f.position) items = items.where('i.position', '=', f.position)
      all.push(eb.exists(items))
    }
    if (f.tagId) {
      all.push(
        eb.exists(
          eb
            .selectFrom('response_tags as rt')
            .select('rt.id')
            .whereRef('rt.response_id', '=', 'r.id')
            .where((e) =>
              e.or([
                e('rt.tag_id', '=', f.tagId!),
                e(
                  'rt.tag_id',
                  'in',
                  e.selectFrom('tags').select('id').where('parent_id', '=', f.tagId!),
                ),
              ]),
            ),
        ),
      )
    }
    if (f.attachments !== undefined) {
      const has = eb.exists(
        eb.selectFrom('attachments as a').select('a.id').whereRef('a.response_id', '=', 'r.id'),
      )
      all.push(f.attachments ? has : eb.not(has))
    }
    if (f.search) {
      all.push(
        (searchPerRow
          ? matchConditionPerRow(db, f.search)
          : matchCondition(db, f.search)) as unknown as Expression<SqlBool>,
      )
    }
    return eb.and(all)
  }
}

/** Whether filters other than the search may reject most matches (then SQL's planner does better than walking the index). */
function hasSelectiveFilters(f: QueueFilters): boolean {
  return Boolean(
    f.status ||
    f.respondentType ||
    f.country ||
    f.controlId ||
    f.position ||
    f.tagId ||
    f.clusterId ||
    f.late !== undefined ||
    f.confidential !== undefined ||
    f.attachments !== undefined,
  )
}

async function withExpandedSearch(db: DB, filters: QueueFilters): Promise<QueueFilters> {
  return filters.search ? { ...filters, search: await expandPrefixes(db, filters.search) } : filters
}

function encode(parts: (string | number)[]) {
  return Buffer.from(parts.join('|')).toString('base64url')
}

function decode(cursor: string | null | undefined): string[] | null {
  if (!cursor) return null
  try {
    return Buffer.from(cursor, 'base64url').toString().split('|')
  } catch {
    return null
  }
}

/**
 * A page of a round's review queue with its filters. Newest or oldest first
 * page by keyset (submitted_at, id), which costs the same on page 1 and page
 * 20,000; relevance pages through a bounded ranked list.
 */
export async function listQueue(
  db: DB,
  {
    consultationId,
    filters,
    cursor,
    limit = PAGE,
  }: { consultationId: number; filters: QueueFilters; cursor?: string | null; limit?: number },
): Promise<{ rows: QueueRow[]; nextCursor: string | null }> {
  filters = await withExpandedSearch(db, filters)
  const sort =
    filters.search && filters.sort === 'relevance'
      ? 'relevance'
      : filters.sort === 'oldest'
        ? 'oldest'
        : 'newest'
  let ids: number[]
  let nextCursor: string | null = null
  if (sort === 'relevance') {
    const offset = Number(decode(cursor)?.[0] ?? 0) || 0
    const ranked = await rankedIds(db, { search: filters.search!, consultationId })
    const filtered = ranked.length
      ? (
          await db
            .selectFrom('responses as r')
            .where(conditions(db, consultationId, filters))
            .where('r.id', 'in', ranked)
            .select('r.id')
            .execute()
        ).map((r) => r.id)
      : []
    const keep = new Set(filtered)
    const ordered = ranked.filter((id) => keep.has(id))
    ids = ordered.slice(offset, offset + limit)
    if (ordered.length > offset + limit) nextCursor = encode([offset + limit])
  } else if (filters.search && sort === 'newest' && !hasSelectiveFilters(filters)) {
    // Newest matches first, driven by the search index (ids grow with time):
    // chunks of matches are checked against the other filters until a page is full.
    const after = Number(decode(cursor)?.[0])
    let below = Number.isFinite(after) && after > 0 ? after : Number.MAX_SAFE_INTEGER
    const others = { ...filters, search: undefined }
    const collected: number[] = []
    for (
      let chunkSize = firstChunk(db, limit);
      collected.length <= limit;
      chunkSize = Math.min(chunkSize * 4, 20_000)
    ) {
      const chunk = await matchingIdsDescending(db, {
        search: filters.search,
        below,
        limit: chunkSize,
      })
      if (!chunk.length) break
      const passing = new Set(
        (
          await db
            .selectFrom('responses as r')
            .where(conditions(db, consultationId, others, { amongIds: true }))
            .where('r.id', 'in', chunk)
            .select('r.id')
            .execute()
        ).map((r) => r.id),
      )
      for (const id of chunk) if (passing.has(id)) collected.push(id)
      below = chunk[chunk.length - 1]!
      if (chunk.length < chunkSize) break
    }
    ids = collected.slice(0, limit)
    if (collected.length > limit) nextCursor = encode([ids[ids.length - 1]!])
  } else {
    const after = decode(cursor)
    const desc = sort === 'newest'
    // Filters with a search that matches most responses: test each response the filters let
    // through, newest first, rather than list every match first (see matchConditionPerRow).
    const searchPerRow = Boolean(filters.search && (await denseMatches(db, filters.search)))
    let query = db
      .selectFrom('responses as r')
      .where(conditions(db, consultationId, filters, { searchPerRow }))
      .select(['r.id', 'r.submitted_at'])
      .orderBy('r.submitted_at', desc ? 'desc' : 'asc')
      .orderBy('r.id', desc ? 'desc' : 'asc')
      .limit(limit + 1)
    if (after && after.length === 2 && /^\d+$/.test(after[1]!)) {
      const [at, id] = [after[0]!, Number(after[1])]
      query = query.where((eb) =>
        eb.or([
          eb('r.submitted_at', desc ? '<' : '>', at),
          eb.and([eb('r.submitted_at', '=', at), eb('r.id', desc ? '<' : '>', id)]),
        ]),
      )
    }
    const rows = await query.execute()
    ids = rows.slice(0, limit).map((r) => r.id)
    const last = rows[limit - 1]
    if (rows.length > limit && last) nextCursor = encode([last.submitted_at, last.id])
  }
  return { rows: await queueRows(db, ids, filters.search), nextCursor }
}

/** Every id matching the filters (for "apply to all results"), up to `max`. */
/** The most responses one action on "all matching the filters" changes. */
export const BULK_MAX = 100_000
/** The queue counts its matches up to this, then says "more than". */
export const COUNT_MAX = 10_000

export async function matchingIds(
  db: DB,
  {
    consultationId,
    filters,
    max = BULK_MAX,
  }: { consultationId: number; filters: QueueFilters; max?: number },
) {
  filters = await withExpandedSearch(db, filters)
  const rows = await db
    .selectFrom('responses as r')
    .where(conditions(db, consultationId, filters))
    .select('r.id')
    .limit(max)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * How many responses match the filters, counted up to `max` (COUNT_MAX): `more` says there are
 * others beyond it. Counting every match of a common word at a million responses took 0.37 s on
 * each page of results, for a heading; up to 100,000, 0.13 s.
 */
export async function countQueue(
  db: DB,
  {
    consultationId,
    filters,
    max = COUNT_MAX,
  }: { consultationId: number; filters: QueueFilters; max?: number },
): Promise<{ count: number; more: boolean }> {
  filters = await withExpandedSearch(db, filters)
  const { search, ...others } = filters
  // Walking the index suits a search alone; with filters that may reject most matches it would
  // walk all of them (0.5 s for a word and two filters), and the list of matches does better.
  const limited =
    search && !hasSelectiveFilters(filters)
      ? db
          .selectFrom(matchingRowids(db, search).as('f'))
          .crossJoin('responses as r')
          .whereRef('r.id', '=', 'f.rowid')
          .where((eb) => conditions(db, consultationId, others)(eb as unknown as QueueBuilder))
      : db.selectFrom('responses as r').where(conditions(db, consultationId, filters))
  const row = await db
    .selectFrom(
      limited
        .select('r.id')
        .limit(max + 1)
        .as('matches'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const n = Number(row.n)
  return { count: Math.min(n, max), more: n > max }
}

async function queueRows(
  db: DB,
  ids: number[],
  search?: QueueFilters['search'],
): Promise<QueueRow[]> {
  if (!ids.length) return []
  // Four independent reads: side by side on PostgreSQL's pool (a round trip each, about 1 ms
  // apiece at 100,000), one after the other on SQLite's one connection, as before.
  const rowsRead = db
    .selectFrom('responses as r')
    .leftJoin('campaign_members as m', (join) =>
      join
        .onRef('m.response_id', '=', 'r.id')
        .onRef('m.consultation_id', '=', 'r.consultation_id')
        .on('m.generation', '=', liveGeneration('r.consultation_id')),
    )
    .leftJoin('campaign_clusters as c', 'c.id', 'm.cluster_id')
    .where('r.id', 'in', ids)
    .select([
      'r.id',
      'r.tracking_number',
      'r.submitted_at',
      'r.status',
      'r.respondent_type',
      'r.organisation',
      'r.author_name',
      'r.publication',
      'r.country',
      'r.is_late',
      'r.confidential',
      'm.cluster_id',
      'c.size as cluster_size',
      sql<number>`(select count(*) from attachments a where a.response_id = r.id)`.as(
        'attachment_count',
      ),
    ])
    .execute()
  const positionsRead = db
    .selectFrom('response_items as i')
    .leftJoin('controls as c', 'c.id', 'i.control_id')
    .where('i.response_id', 'in', ids)
    .select(['i.response_id', 'c.reference', 'i.position'])
    .orderBy('c.position', (o) => o.asc().nullsFirst())
    .execute()
  const tagsRead = db
    .selectFrom('response_tags as rt')
    .innerJoin('tags as t', 't.id', 'rt.tag_id')
    .where('rt.response_id', 'in', ids)
    .select(['rt.response_id', 't.id', 't.name', 't.colour'])
    .distinct()
    .execute()
  const [rows, positions, tags, extracts] = await Promise.all([
    rowsRead,
    positionsRead,
    tagsRead,
    search ? snippets(db, { search, ids }) : new Map<number, string>(),
  ])
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => Boolean(r))
    .map((r) => ({
      id: r.id,
      trackingNumber: r.tracking_number,
      submittedAt: r.submitted_at,
      status: r.status,
      respondentType: r.respondent_type,
      organisation: r.organisation,
      authorName: r.author_name,
      publication: r.publication,
      country: r.country,
      isLate: r.is_late === 1,
      confidential: r.confidential === 1,
      attachmentCount: Number(r.attachment_count),
      clusterId: r.cluster_id,
      clusterSize: r.cluster_size,
      positions: positions
        .filter((p) => p.response_id === r.id)
        .map((p) => ({ reference: p.reference, position: p.position })),
      tags: tags
        .filter((t) => t.response_id === r.id)
        .map((t) => ({ id: t.id, name: t.name, colour: t.colour })),
      snippet: extracts.get(r.id) ?? null,
    }))
}

/** A response as officials see it: every field, items, attachments, tags, notes and history. */
export async function getReviewResponse(db: DB, { id }: { id: number }) {
  const r = await db
    .selectFrom('responses as r')
    .innerJoin('consultations as c', 'c.id', 'r.consultation_id')
    .leftJoin('campaign_members as m', (join) =>
      join
        .onRef('m.response_id', '=', 'r.id')
        .onRef('m.consultation_id', '=', 'r.consultation_id')
        .on('m.generation', '=', liveGeneration('r.consultation_id')),
    )
    .leftJoin('campaign_clusters as k', 'k.id', 'm.cluster_id')
    .where('r.id', '=', id)
    .select([
      'r.id',
      'r.consultation_id',
      'c.title as round_title',
      'c.slug as round_slug',
      'r.tracking_number',
      'r.user_id',
      'r.respondent_type',
      'r.organisation',
      'r.author_name',
      'r.country',
      'r.organisation_size',
      'r.register_id',
      'r.contact_name',
      'r.contact_email',
      'r.publication',
      'r.confidential',
      'r.confidential_justification',
      'r.public_version',
      'r.confidential_decision',
      'r.status',
      'r.moderation_reason',
      'r.is_late',
      'r.submitted_at',
      'r.updated_at',
      'r.published_at',
      'r.withdrawn_at',
      'm.cluster_id',
      'k.size as cluster_size',
    ])
    .executeTakeFirst()
  if (!r || r.status === 'draft') return null
  const items = await db
    .selectFrom('response_items as i')
    .leftJoin('controls as c', 'c.id', 'i.control_id')
    .where('i.response_id', '=', id)
    .select(['i.id', 'i.position', 'i.body', 'c.reference', 'c.title'])
    .orderBy('c.position', (o) => o.asc().nullsFirst())
    .execute()
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
  const attachments = await db
    .selectFrom('attachments')
    .where('response_id', '=', id)
    .select(['id', 'filename', 'media_type', 'size_bytes', 'confidential'])
    .orderBy('id')
    .execute()
  const taggings = await db
    .selectFrom('response_tags as rt')
    .innerJoin('tags as t', 't.id', 'rt.tag_id')
    .where('rt.response_id', '=', id)
    .select(['rt.id', 't.id as tag_id', 't.name', 't.colour', 'rt.item_id', 'rt.quote'])
    .orderBy('rt.id')
    .execute()
  const notes = await db
    .selectFrom('response_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .where('n.response_id', '=', id)
    .select(['n.id', 'n.body', 'n.created_at', 'u.display_name as author'])
    .orderBy('n.id')
    .execute()
  const history = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .where('a.entity_type', '=', 'response')
    .where('a.entity_id', '=', String(id))
    .select(['a.id', 'a.action', 'a.created_at', 'a.before', 'a.after', 'u.display_name as actor'])
    .orderBy('a.id', 'desc')
    .execute()
  return {
    ...r,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      body: i.body,
      reference: i.reference,
      title: i.title,
      answers: answers
        .filter((a) => a.item_id === i.id)
        .map((a) => ({ question: a.prompt, answer: a.answer })),
    })),
    attachments,
    taggings,
    notes,
    history,
  }
}

/** An attachment's bytes for an official. */
export async function getAttachmentForOfficial(
  db: DB,
  { responseId, attachmentId }: { responseId: number; attachmentId: number },
) {
  return db
    .selectFrom('attachments')
    .where('response_id', '=', responseId)
    .where('id', '=', attachmentId)
    .select(['filename', 'media_type', 'size_bytes', 'blob_id'])
    .executeTakeFirst()
}

/** The filter choices a round offers: its controls, countries and tags. */
export async function queueChoices(db: DB, { consultationId }: { consultationId: number }) {
  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .orderBy('position')
    .select(['id', 'reference', 'title'])
    .execute()
  // A loose index scan: from each country straight to the next one in the round's index
  // (responses_consultation_country), one seek per country instead of a read of every response.
  const countries = await db
    .withRecursive('found(country)', (qb) =>
      qb
        .selectFrom('responses')
        .where('consultation_id', '=', consultationId)
        .select((eb) => eb.fn.min<string | null>('country').as('country'))
        .unionAll((next) =>
          next
            .selectFrom('found')
            .where('found.country', 'is not', null)
            .select((eb) =>
              eb
                .selectFrom('responses')
                .where('consultation_id', '=', consultationId)
                .whereRef('responses.country', '>', 'found.country')
                .select((inner) => inner.fn.min('responses.country').as('next'))
                .as('country'),
            ),
        ),
    )
    .selectFrom('found')
    .where('country', 'is not', null)
    .select('country')
    .execute()
  return { controls, countries: countries.map((c) => c.country!) }
}
