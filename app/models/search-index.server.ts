import type { Kysely, RawBuilder } from 'kysely'
import type { ParsedSearch } from '#app/analysis/search-query.ts'
import type { Database } from '#db/schema.ts'
import { isPostgres } from '#db/postgres.ts'
import { postgresSearch } from './search-postgres.server.ts'
import { sqliteSearch } from './search-sqlite.server.ts'

// Full-text search of responses, one interface for both engines: SQLite's FTS5 tables
// (search-sqlite.server.ts) and PostgreSQL's tsvector and pg_trgm (search-postgres.server.ts).
// Callers never see which: everything engine-specific about search is in those two modules, and
// tests/integration/review/*search* run against both.

type Tx = Kysely<Database>
export type Search = Extract<ParsedSearch, { ok: true }>

/** Snippet markers: control characters no cleaned text can contain. */
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'

/**
 * How far the index is behind what is stored: notes of search_queue not yet indexed, and the
 * build from the responses if one is going on (through which response id, of the last). SQLite
 * only: PostgreSQL indexes in the response's own transaction, and is never behind.
 */
export interface SearchIndexState {
  pending: number
  building: { throughId: number; lastId: number } | null
}

/** What each engine's search module provides. */
export interface SearchIndex {
  /** Stores the text of one response (`text` empty: removes it), in the caller's transaction. */
  index(db: Tx, responseId: number, text: string): Promise<void>
  /** The same for many responses at once (a rebuild), in one statement where the engine can. */
  indexMany(db: Tx, rows: { id: number; text: string }[]): Promise<void>
  /** The condition "response r matches", as a set of ids the planner may list first. */
  matchCondition(search: Search): RawBuilder<boolean>
  /** The matches as a table with one column, `rowid`, to walk before anything else. */
  matchingRowids(search: Search): RawBuilder<{ rowid: number }>
  /** The condition tested row by row, for a search matching most responses. */
  matchConditionPerRow(search: Search): RawBuilder<boolean>
  rankedIds(
    db: Tx,
    args: { search: Search; consultationId: number; cap: number },
  ): Promise<number[]>
  snippets(db: Tx, args: { search: Search; ids: number[] }): Promise<Map<number, string>>
  matchingIdsDescending(
    db: Tx,
    args: { search: Search; below: number; limit: number },
  ): Promise<number[]>
  expandPrefixes<S extends Search>(db: Tx, search: S): Promise<S>
  /** How many matches the newest-first queue asks for first, for a page of `limit`. */
  firstChunk(limit: number): number
  /** Indexes up to `limit` queued notes in one transaction: how many (0: none left). */
  indexQueued?(db: Tx, limit: number): Promise<number>
  /** One step of building the index from the responses; null once built. */
  buildStep?(db: Tx, limit: number): Promise<{ indexed: number } | null>
  /** Starts the build over from the first response. */
  restartBuild?(db: Tx): Promise<void>
  /** Removes up to `limit` queued notes already indexed: how many. */
  pruneQueue?(db: Tx, limit: number): Promise<number>
  indexState?(db: Tx): Promise<SearchIndexState>
}

const engine = (db: Tx): SearchIndex => (isPostgres(db) ? postgresSearch : sqliteSearch)

/** The words of a response that search should find, in the order searchableText reads them. */
export function searchableTextOf(parts: {
  organisation: string | null
  authorName: string | null
  bodies: string[]
  answers: string[]
  publicVersion: string | null
  justification: string | null
}): string {
  return [
    parts.organisation,
    parts.authorName,
    ...parts.bodies,
    ...parts.answers,
    parts.publicVersion,
    parts.justification,
  ]
    .filter(Boolean)
    .join('\n\n')
}

export interface ResponseTextColumns {
  id: number
  organisation: string | null
  author_name: string | null
  public_version: string | null
  confidential_justification: string | null
}

export const RESPONSE_TEXT_COLUMNS = [
  'id',
  'organisation',
  'author_name',
  'public_version',
  'confidential_justification',
] as const

/** The searchable text of each response given, its items and answers read in two queries. */
export async function searchableTexts(
  db: Tx,
  responses: ResponseTextColumns[],
): Promise<{ id: number; text: string }[]> {
  if (!responses.length) return []
  const items = await db
    .selectFrom('response_items')
    .where(
      'response_id',
      'in',
      responses.map((r) => r.id),
    )
    .select(['id', 'response_id', 'body'])
    .orderBy('id')
    .execute()
  const answers = items.length
    ? await db
        .selectFrom('response_answers')
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .select(['item_id', 'answer'])
        .orderBy('id')
        .execute()
    : []
  const bodies = new Map<number, string[]>()
  const answered = new Map<number, string[]>()
  const owner = new Map<number, number>()
  for (const item of items) {
    owner.set(item.id, item.response_id)
    const list = bodies.get(item.response_id)
    if (list) list.push(item.body)
    else bodies.set(item.response_id, [item.body])
  }
  for (const a of answers) {
    const id = owner.get(a.item_id)!
    const list = answered.get(id)
    if (list) list.push(a.answer)
    else answered.set(id, [a.answer])
  }
  return responses.map((r) => ({
    id: r.id,
    text: searchableTextOf({
      organisation: r.organisation,
      authorName: r.author_name,
      bodies: bodies.get(r.id) ?? [],
      answers: answered.get(r.id) ?? [],
      publicVersion: r.public_version,
      justification: r.confidential_justification,
    }),
  }))
}

/** (Re)indexes one response; call it in the transaction that changed it. `known` saves reading back what was just written. */
export async function indexResponse(db: Tx, responseId: number, known?: string): Promise<void> {
  let text = known
  if (text === undefined) {
    const response = await db
      .selectFrom('responses')
      .where('id', '=', responseId)
      .select(RESPONSE_TEXT_COLUMNS)
      .executeTakeFirst()
    text = response ? (await searchableTexts(db, [response]))[0]!.text : ''
  }
  await engine(db).index(db, responseId, text)
}

/** Responses read and indexed at once by reindexAll and by a build step. */
const REINDEX_BATCH = 1000

/**
 * Rebuilds the whole index (after an import, a copy to PostgreSQL, or to repair it): responses in
 * id order, a batch at a time, each batch's texts read in three queries and written in one short
 * transaction, so that a million responses take minutes, not one lock for all of them. On
 * SQLite it is the indexer's own build, run here to the end (an indexer thread running meanwhile
 * shares the work: each step goes on from where the last one stopped).
 */
export async function reindexAll(
  db: Tx,
  { onProgress }: { onProgress?: (done: number) => void } = {},
): Promise<number> {
  const search = engine(db)
  let done = 0
  if (search.buildStep) {
    await search.restartBuild!(db)
    for (let step; (step = await search.buildStep(db, REINDEX_BATCH));) {
      done += step.indexed
      if (step.indexed) onProgress?.(done)
    }
    return done
  }
  for (let after = 0; ;) {
    const responses = await db
      .selectFrom('responses')
      .where('id', '>', after)
      .orderBy('id')
      .limit(REINDEX_BATCH)
      .select(RESPONSE_TEXT_COLUMNS)
      .execute()
    if (!responses.length) return done
    const rows = await searchableTexts(db, responses)
    await db.transaction().execute((trx) => search.indexMany(trx, rows))
    done += rows.length
    after = responses[responses.length - 1]!.id
    onProgress?.(done)
  }
}

/** Queued notes indexed in one transaction of the indexer. */
const QUEUE_BATCH = 500

/**
 * One turn of the indexer (SQLite; nothing to do on PostgreSQL): a step of the build if one is
 * going on, else the next queued notes. How many responses it indexed: 0 when nothing was left.
 */
export async function indexSome(db: Tx): Promise<number> {
  const search = engine(db)
  if (!search.indexQueued) return 0
  const step = await search.buildStep!(db, REINDEX_BATCH)
  if (step?.indexed) return step.indexed
  return search.indexQueued(db, QUEUE_BATCH)
}

/** Brings the index up to date here and now, on this connection (tools, tests, the crash drill). */
export async function catchUpSearchIndex(db: Tx): Promise<number> {
  let done = 0
  for (let n; (n = await indexSome(db)) > 0;) done += n
  return done
}

/** Removes up to `limit` queued notes already indexed (SQLite): how many. */
export function pruneSearchQueue(db: Tx, limit = 2000): Promise<number> {
  return engine(db).pruneQueue?.(db, limit) ?? Promise.resolve(0)
}

/** How far the index is behind (never, on PostgreSQL). */
export function searchIndexState(db: Tx): Promise<SearchIndexState> {
  return engine(db).indexState?.(db) ?? Promise.resolve({ pending: 0, building: null })
}

/**
 * The SQL condition "response r matches this search", to combine with the queue's other
 * filters: the matches are listed, and the other filters applied to them.
 */
export function matchCondition(db: Tx, search: Search) {
  return engine(db).matchCondition(search)
}

/**
 * The responses matching a search as a table of their ids (`rowid`), for a query that walks the
 * index itself: joined first, each match costs one seek into responses, so counting the first
 * ten thousand matches of a common word takes milliseconds, where `r.id in (...)` lists every
 * match before the first row (90 ms at a million on SQLite).
 */
export function matchingRowids(db: Tx, search: Search) {
  return engine(db).matchingRowids(search)
}

/**
 * The same condition tested row by row: for each response the other filters let through, one
 * seek in the index. For a word in most responses this is what a filtered search wants: listing
 * every match first costs 80 ms for a common word at a million, while the newest responses
 * passing the filters are found after a few hundred seeks. For a rare word the list is short and
 * the seeks would be wasted: callers choose by how dense the matches are (see denseMatches).
 */
export function matchConditionPerRow(db: Tx, search: Search) {
  return engine(db).matchConditionPerRow(search)
}

/**
 * Whether a filtered search should test rows one by one (matchConditionPerRow) rather than list
 * every match first: from the newest `sample` matches, the share d of ids that match, and the
 * newest match's id as the size n of the index. Listing costs about 0.13 µs per match, d·n in
 * all; testing row by row about 30 µs a seek, 50/d seeks to fill a page (measured at a million
 * responses on SQLite). Row by row wins when d²·n > 50·30/0.13 ≈ 12,000: a word in more than 11%
 * of a million responses, or in more than 35% of a hundred thousand.
 */
export async function denseMatches(db: Tx, search: Search, sample = 200): Promise<boolean> {
  const ids = await matchingIdsDescending(db, {
    search,
    below: Number.MAX_SAFE_INTEGER,
    limit: sample,
  })
  if (ids.length < sample) return false
  const density = sample / (ids[0]! - ids[ids.length - 1]! + 1)
  return density * density * ids[0]! > 12_000
}

/**
 * Relevance order within a bounded set: ranked over the newest `cap` matches. Ranking every
 * match of a common word costs ~190 ms at a million responses; the newest few thousand rank in a
 * few milliseconds and are what officials read.
 */
export function rankedIds(
  db: Tx,
  { search, consultationId, cap = 5000 }: { search: Search; consultationId: number; cap?: number },
): Promise<number[]> {
  return engine(db).rankedIds(db, { search, consultationId, cap })
}

/** Highlighted extracts (MARK_START/MARK_END around matches) for the given responses. */
export function snippets(
  db: Tx,
  args: { search: Search; ids: number[] },
): Promise<Map<number, string>> {
  if (!args.ids.length) return Promise.resolve(new Map())
  return engine(db).snippets(db, args)
}

/**
 * Matching response ids below `below`, highest (newest) first, `limit` at a time: the index is
 * walked backwards by id and stops, so the newest matches of even the commonest word cost about
 * the same as those of a rare one.
 */
export function matchingIdsDescending(
  db: Tx,
  args: { search: Search; below: number; limit: number },
): Promise<number[]> {
  return engine(db).matchingIdsDescending(db, args)
}

/**
 * How many of the newest matches the queue reads first, to fill a page of `limit`: SQLite's
 * FTS5 walks its index by id and 200 cost it about what 51 do; PostgreSQL walks the responses
 * by id and tests each row's words, so it asks for no more than the page (and one to know
 * there is more), then four times as many each round.
 */
export function firstChunk(db: Tx, limit: number): number {
  return engine(db).firstChunk(limit)
}

/**
 * The search made ready for the index: on SQLite each prefix word is replaced by the indexed
 * words it begins (what makes `encrypt*` as fast as `encryption`); PostgreSQL's GIN index
 * answers a prefix by itself, and the search comes back as it was.
 */
export function expandPrefixes<S extends Search>(db: Tx, search: S): Promise<S> {
  return engine(db).expandPrefixes(db, search)
}
