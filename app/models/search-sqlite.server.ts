import { type Kysely, sql } from 'kysely'
import { ftsExpression, hasCjk } from '#app/analysis/search-query.ts'
import type { Database } from '#db/schema.ts'
import {
  MARK_END,
  MARK_START,
  RESPONSE_TEXT_COLUMNS,
  type Search,
  type SearchIndex,
  type SearchIndexState,
  searchableTexts,
} from './search-index.server.ts'

// Search on SQLite: FTS5. response_fts (unicode61, accents removed) holds every response's text
// under rowid = responses.id; response_fts_cjk (trigram) only the texts with Chinese, Japanese
// or Korean, which have no spaces between words for unicode61 to split on; response_fts_vocab
// lists the indexed words, for prefixes. Reached through search-index.server.ts. The tables are in
// the search file (db/search-file.ts), written by the indexer thread from search_queue
// (search-queue.server.ts); the queries read them by their plain names.

type Tx = Kysely<Database>

/** Writes one response's words to the index (`text` empty: removes them), on the caller's connection. */
export async function writeIndex(db: Tx, responseId: number, text: string): Promise<void> {
  await sql`delete from response_fts where rowid = ${responseId}`.execute(db)
  await sql`delete from response_fts_cjk where rowid = ${responseId}`.execute(db)
  if (!text) return
  await sql`insert into response_fts (rowid, body) values (${responseId}, ${text})`.execute(db)
  if (hasCjk(text)) {
    await sql`insert into response_fts_cjk (rowid, body) values (${responseId}, ${text})`.execute(
      db,
    )
  }
}

/**
 * Whether this process leaves indexing to its indexer thread (the server, once it has started
 * one: app/jobs/search-thread.server.ts). Tools and tests write the words themselves.
 */
export const indexingDeferred = () => process.env.PORTAL_SEARCH_INDEXER === 'thread'

/**
 * Notes the response in search_queue, in the caller's transaction (so a receipt given is a note
 * kept), for the indexer to (re)index from what is then stored. Where no indexer thread runs,
 * the words are also written at once: the note is then indexed again later, to the same words.
 */
async function index(db: Tx, responseId: number, text: string): Promise<void> {
  await sql`insert into search_queue (response_id) values (${responseId})`.execute(db)
  if (!indexingDeferred()) await writeIndex(db, responseId, text)
}

/** In the caller's transaction, or in one of its own. */
function inTransaction<T>(db: Tx, work: (trx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}

async function meta(db: Tx, key: 'done' | 'build_after'): Promise<number> {
  const row = await sql<{
    value: number
  }>`select value from search_meta where key = ${key}`.execute(db)
  return row.rows[0]?.value ?? 0
}

async function setMeta(db: Tx, key: 'done' | 'build_after', value: number): Promise<void> {
  await sql`update search_meta set value = ${value} where key = ${key}`.execute(db)
}

/**
 * The next notes of search_queue after the last one indexed, in one transaction of the search
 * file: each response named is indexed from what the portal's file now holds (a response no
 * longer there, or with no words, leaves the index), and the last note's id is recorded in the
 * same commit. Notes of one response are indexed once.
 */
async function indexQueued(db: Tx, limit: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    const done = await meta(trx, 'done')
    const notes = await sql<{ id: number; response_id: number }>`
      select id, response_id from search_queue where id > ${done} order by id limit ${limit}`.execute(
      trx,
    )
    if (!notes.rows.length) return 0
    const ids = [...new Set(notes.rows.map((n) => n.response_id))]
    const responses = await trx
      .selectFrom('responses')
      .where('id', 'in', ids)
      .select(RESPONSE_TEXT_COLUMNS)
      .execute()
    const texts = new Map((await searchableTexts(trx, responses)).map((r) => [r.id, r.text]))
    for (const id of ids) await writeIndex(trx, id, texts.get(id) ?? '')
    await setMeta(trx, 'done', notes.rows[notes.rows.length - 1]!.id)
    return notes.rows.length
  })
}

/**
 * One step of building the index from the responses themselves (a new search file beside
 * existing responses, or reindexAll): the next `limit` responses by id, and where the build has
 * come to, in one transaction. The first step records the last note of search_queue as done:
 * what those notes changed, the build reads. Null once the index is built.
 */
async function buildStep(db: Tx, limit: number): Promise<{ indexed: number } | null> {
  return inTransaction(db, async (trx) => {
    const after = await meta(trx, 'build_after')
    if (after < 0) return null
    if (after === 0) {
      const last = await sql<{
        id: number | null
      }>`select max(id) as id from search_queue`.execute(trx)
      await setMeta(trx, 'done', last.rows[0]?.id ?? 0)
    }
    const responses = await trx
      .selectFrom('responses')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .select(RESPONSE_TEXT_COLUMNS)
      .execute()
    if (!responses.length) {
      await setMeta(trx, 'build_after', -1)
      return { indexed: 0 }
    }
    for (const row of await searchableTexts(trx, responses)) await writeIndex(trx, row.id, row.text)
    await setMeta(trx, 'build_after', responses[responses.length - 1]!.id)
    return { indexed: responses.length }
  })
}

/** Starts the index's build over from the first response (reindexAll). */
async function restartBuild(db: Tx): Promise<void> {
  await setMeta(db, 'build_after', 0)
}

/**
 * Removes up to `limit` notes the indexer has committed, on the portal's file: its own short
 * write, never the indexer's (which writes only the search file).
 */
async function pruneQueue(db: Tx, limit: number): Promise<number> {
  const done = await meta(db, 'done')
  const result = await sql`delete from search_queue where id in (
    select id from search_queue where id <= ${done} order by id limit ${limit})`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** How far the index has come: the notes not yet indexed, and the build if one is going on. */
async function indexState(db: Tx): Promise<SearchIndexState> {
  const done = await meta(db, 'done')
  const after = await meta(db, 'build_after')
  const pending = await sql<{ n: number }>`
    select count(*) as n from search_queue where id > ${done}`.execute(db)
  const last =
    after < 0
      ? null
      : await sql<{ id: number | null }>`
    select max(id) as id from responses`.execute(db)
  const building = last ? { throughId: after, lastId: last.rows[0]?.id ?? 0 } : null
  return { pending: Number(pending.rows[0]!.n), building }
}

/**
 * The SQL condition "response r matches this search", to combine with the
 * queue's other filters. CJK searches go to the trigram table (which needs
 * three characters: shorter CJK words are matched with LIKE on that table).
 */
function matchCondition(search: Search) {
  if (search.cjk) {
    const words = search.terms.filter((t) => !t.exclude).map((t) => t.text)
    const short = words.some((w) => [...w].length < 3)
    if (short) {
      const likes = words.map((w) => sql`body like ${`%${w.replace(/[%_]/g, '')}%`}`)
      return sql<boolean>`r.id in (select rowid from response_fts_cjk where ${sql.join(likes, sql` and `)})`
    }
    return sql<boolean>`r.id in (select rowid from response_fts_cjk where response_fts_cjk match ${search.fts})`
  }
  return sql<boolean>`r.id in (select rowid from response_fts where response_fts match ${search.fts})`
}

/**
 * The responses matching a search as a table of their ids (`rowid`), for a query that walks the
 * full-text index itself: joined first (CROSS JOIN keeps SQLite from reordering), each match
 * costs one seek into responses, so counting the first ten thousand matches of a common word
 * takes 2 ms, where `r.id in (...)` lists every match before the first row (90 ms at a million).
 */
function matchingRowids(search: Search) {
  if (search.cjk && search.terms.some((t) => !t.exclude && [...t.text].length < 3)) {
    const words = search.terms.filter((t) => !t.exclude).map((t) => t.text)
    const likes = words.map((w) => sql`body like ${`%${w.replace(/[%_]/g, '')}%`}`)
    return sql<{
      rowid: number
    }>`(select rowid from response_fts_cjk where ${sql.join(likes, sql` and `)})`
  }
  const table = search.cjk ? sql.raw('response_fts_cjk') : sql.raw('response_fts')
  return sql<{ rowid: number }>`(select rowid from ${table} where ${table} match ${search.fts})`
}

/**
 * The same condition tested row by row: for each response the other filters let through, one
 * seek in the index (`rowid = r.id`, an integer column, which FTS5 honours). For a word in most
 * responses this is what a filtered search wants: `r.id in (...)` first lists every match (80 ms
 * for a common word at a million), while the newest responses passing the filters are found
 * after a few hundred seeks. For a rare word the list is short and the seeks would be wasted:
 * callers choose by how dense the matches are (see denseMatches).
 */
function matchConditionPerRow(search: Search) {
  const short = search.cjk && search.terms.some((t) => [...t.text].length < 3)
  if (short) return matchCondition(search)
  const table = search.cjk ? sql.raw('response_fts_cjk') : sql.raw('response_fts')
  return sql<boolean>`exists (select 1 from ${table} f where f.${table} match ${search.fts} and f.rowid = r.id)`
}

/**
 * Relevance order within a bounded set: bm25 over the newest `cap` matches.
 * Ranking every match of a common word costs ~190 ms at a million responses;
 * the newest few thousand rank in a few milliseconds and are what officials read.
 */
async function rankedIds(
  db: Tx,
  { search, consultationId, cap }: { search: Search; consultationId: number; cap: number },
): Promise<number[]> {
  const table = search.cjk ? sql.raw('response_fts_cjk') : sql.raw('response_fts')
  const rows = await sql<{ id: number }>`
    select f.rowid as id from ${table} f
    join responses r on r.id = f.rowid
    where ${table} match ${search.fts} and r.consultation_id = ${consultationId}
      and f.rowid in (select rowid from ${table} where ${table} match ${search.fts} order by rowid desc limit ${cap})
    order by bm25(${table}) limit ${cap}`.execute(db)
  return rows.rows.map((r) => r.id)
}

/** Highlighted extracts (MARK_START/MARK_END around matches) for the given responses. */
async function snippets(
  db: Tx,
  { search, ids }: { search: Search; ids: number[] },
): Promise<Map<number, string>> {
  if (!ids.length) return new Map()
  const table = search.cjk ? sql.raw('response_fts_cjk') : sql.raw('response_fts')
  const short = search.cjk && search.terms.some((t) => [...t.text].length < 3)
  if (short) return new Map()
  // One lookup per response: with `rowid in (...)`, FTS5 walks every match of the search and
  // keeps the listed ones, which at a million responses cost over 100 ms for a common word;
  // `rowid = ?` seeks straight to the row. The cast matters: better-sqlite3 binds a JS number as
  // a REAL, and FTS5 (SQLite 3.53) then ignores `rowid = ?` beside a MATCH and returns every match.
  const extracts = new Map<number, string>()
  for (const id of ids) {
    const row = await sql<{ snippet: string }>`
      select snippet(${table}, 0, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
      from ${table} where ${table} match ${search.fts} and rowid = cast(${id} as integer)`.execute(
      db,
    )
    const snippet = row.rows[0]?.snippet
    if (snippet !== undefined) extracts.set(id, snippet)
  }
  return extracts
}

/**
 * Matching response ids below `below`, highest (newest) first, `limit` at a
 * time: FTS5 walks its index backwards by rowid and stops, so the newest
 * matches of even the commonest word cost the same as those of a rare one.
 */
async function matchingIdsDescending(
  db: Tx,
  { search, below, limit }: { search: Search; below: number; limit: number },
): Promise<number[]> {
  if (search.cjk && search.terms.some((t) => [...t.text].length < 3)) {
    const likes = search.terms
      .filter((t) => !t.exclude)
      .map((t) => sql`body like ${`%${t.text.replace(/[%_]/g, '')}%`}`)
    const rows = await sql<{
      id: number
    }>`select rowid as id from response_fts_cjk where ${sql.join(likes, sql` and `)} and rowid < ${below} order by rowid desc limit ${limit}`.execute(
      db,
    )
    return rows.rows.map((r) => r.id)
  }
  const table = search.cjk ? sql.raw('response_fts_cjk') : sql.raw('response_fts')
  const rows = await sql<{
    id: number
  }>`select rowid as id from ${table} where ${table} match ${search.fts} and rowid < ${below} order by rowid desc limit ${limit}`.execute(
    db,
  )
  return rows.rows.map((r) => r.id)
}

/** A prefix matching more indexed words than this is searched as a prefix after all. */
const PREFIX_WORDS = 64

/**
 * The search with each prefix word replaced by the indexed words it begins (see ftsExpression),
 * found in the index's vocabulary: what makes `encrypt*` as fast as `encryption`. A prefix that
 * begins no word, more than PREFIX_WORDS words, or has characters the tokenizer splits on
 * stays a prefix; CJK searches (trigram table) are left alone.
 */
async function expandPrefixes<S extends Search>(db: Tx, search: S): Promise<S> {
  if (search.cjk) return search
  const expansions = new Map<string, string[]>()
  for (const term of search.terms) {
    if (term.kind !== 'word' || !term.prefix || expansions.has(term.text)) continue
    // As the unicode61 tokenizer with remove_diacritics 2 folds the words it indexes.
    const folded = term.text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    if (!/^[\p{L}\p{N}]+$/u.test(folded)) continue
    const rows = await sql<{ term: string }>`
      select term from response_fts_vocab
      where term >= ${folded} and term < ${folded + '\u{10ffff}'}
      order by term limit ${PREFIX_WORDS + 1}`.execute(db)
    if (rows.rows.length > 0 && rows.rows.length <= PREFIX_WORDS) {
      expansions.set(
        term.text,
        rows.rows.map((r) => r.term),
      )
    }
  }
  return expansions.size ? { ...search, fts: ftsExpression(search.terms, expansions) } : search
}

export const sqliteSearch: SearchIndex = {
  index,
  // FTS5 takes one row per statement; in one transaction they cost microseconds each.
  async indexMany(db, rows) {
    for (const row of rows) await writeIndex(db, row.id, row.text)
  },
  matchCondition,
  matchingRowids,
  matchConditionPerRow,
  rankedIds,
  snippets,
  matchingIdsDescending,
  expandPrefixes,
  firstChunk: () => 200,
  indexQueued,
  buildStep,
  restartBuild,
  pruneQueue,
  indexState,
}
