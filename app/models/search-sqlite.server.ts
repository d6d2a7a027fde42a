import { type Kysely, sql } from 'kysely'
import { ftsExpression, hasCjk } from '#app/analysis/search-query.ts'
import type { Database } from '#db/schema.ts'
import { MARK_END, MARK_START, type Search, type SearchIndex } from './search-index.server.ts'

// Search on SQLite: FTS5. response_fts (unicode61, accents removed) holds every response's text
// under rowid = responses.id; response_fts_cjk (trigram) only the texts with Chinese, Japanese
// or Korean, which have no spaces between words for unicode61 to split on; response_fts_vocab
// lists the indexed words, for prefixes. Reached through search-index.server.ts.

type Tx = Kysely<Database>

async function index(db: Tx, responseId: number, text: string): Promise<void> {
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
    for (const row of rows) await index(db, row.id, row.text)
  },
  matchCondition,
  matchingRowids,
  matchConditionPerRow,
  rankedIds,
  snippets,
  matchingIdsDescending,
  expandPrefixes,
  firstChunk: () => 200,
}
