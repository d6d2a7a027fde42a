import { type Kysely, type RawBuilder, sql } from 'kysely'
import { type SearchTerm, hasCjk } from '#app/analysis/search-query.ts'
import type { Database } from '#db/schema.ts'
import { MARK_END, MARK_START, type Search, type SearchIndex } from './search-index.server.ts'

// Search on PostgreSQL: table response_search (db/migrations/2026_11_29_000100), one row per
// response, its text and that text's tsvector under the portal_search configuration ('simple'
// with accents removed: every language alike, as SQLite's unicode61 tokenizer), in a GIN index;
// texts with Chinese, Japanese or Korean are also marked `cjk`, and a pg_trgm index serves LIKE
// over them, as SQLite's trigram table does. Reached through search-index.server.ts.
//
// Searches are never parsed by PostgreSQL as typed: the terms (parseSearch) are cut into their
// runs of letters, marks and digits, and only those runs, quoted, and tsquery's own operators
// are put into the query text, which goes to to_tsquery as a bound parameter.

type Tx = Kysely<Database>

/**
 * The text a tsvector is built from is cut at this many bytes: a tsvector holds at most 1 MB,
 * and a text of many distinct short words needs up to about twice its size in one. The whole text
 * stays in `body` for snippets and the CJK search; a word found only past 512 KiB of one
 * response's text (some 80,000 words) is not found by a word search.
 */
export const TSVECTOR_TEXT_BYTES = 512 * 1024

function forTsvector(text: string): string {
  if (Buffer.byteLength(text) <= TSVECTOR_TEXT_BYTES) return text
  // Cut at a byte boundary, then drop a character the cut split.
  return Buffer.from(text)
    .subarray(0, TSVECTOR_TEXT_BYTES)
    .toString()
    .replace(/\uFFFD$/, '')
}

const RUNS = /[\p{L}\p{M}\p{N}]+/gu

/** One term as tsquery text: its runs of letters in sequence (`<->`), the last a prefix if asked. */
function termQuery(term: SearchTerm): string | null {
  const runs = term.text.match(RUNS)
  if (!runs) return null
  const prefix = term.kind === 'word' && term.prefix
  const lexemes = runs.map((run, i) => `'${run}'${prefix && i === runs.length - 1 ? ':*' : ''}`)
  return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`
}

/**
 * The terms as tsquery text for to_tsquery('portal_search', …): included terms joined by `&`,
 * excluded ones as `& !term`; null when no included term has a letter or digit to search for.
 * `Zero-click spyware*` gives `('zero' <-> 'click') & 'spyware':*`, as the index holds a hyphened
 * word both whole and in parts at consecutive positions.
 */
export function tsqueryText(terms: SearchTerm[]): string | null {
  const included = terms.filter((t) => !t.exclude).map(termQuery)
  if (included.some((q) => q === null) || included.length === 0) return null
  const excluded = terms
    .filter((t) => t.exclude)
    .map(termQuery)
    .filter((q): q is string => q !== null)
  return [...included, ...excluded.map((q) => `!${q}`)].join(' & ')
}

const NOTHING = sql<boolean>`false`

function tsquery(search: Search): RawBuilder<unknown> | null {
  const text = tsqueryText(search.terms)
  return text === null ? null : sql`to_tsquery('portal_search', ${text})`
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** A CJK search as LIKE conditions on the marked texts, which the trigram index serves. */
function cjkCondition(search: Search, column = sql.ref('body')): RawBuilder<boolean> {
  const parts = search.terms.map((t) =>
    t.exclude
      ? sql`${column} not ilike ${likePattern(t.text)}`
      : sql`${column} ilike ${likePattern(t.text)}`,
  )
  return sql<boolean>`cjk and ${sql.join(parts, sql` and `)}`
}

/** `where` text selecting the matching rows of response_search; null when nothing can match. */
function matches(search: Search): RawBuilder<boolean> | null {
  if (search.cjk) return cjkCondition(search)
  const query = tsquery(search)
  return query ? sql<boolean>`tsv @@ ${query}` : null
}

function matchCondition(search: Search): RawBuilder<boolean> {
  const where = matches(search)
  if (!where) return NOTHING
  return sql<boolean>`r.id in (select response_id from response_search where ${where})`
}

function matchingRowids(search: Search): RawBuilder<{ rowid: number }> {
  const where = matches(search) ?? NOTHING
  return sql<{ rowid: number }>`(select response_id as rowid from response_search where ${where})`
}

function matchConditionPerRow(search: Search): RawBuilder<boolean> {
  const where = matches(search)
  if (!where) return NOTHING
  return sql<boolean>`exists (select 1 from response_search s where s.response_id = r.id and ${where})`
}

async function rankedIds(
  db: Tx,
  { search, consultationId, cap }: { search: Search; consultationId: number; cap: number },
): Promise<number[]> {
  const where = matches(search)
  if (!where) return []
  const query = tsquery(search)
  // Words: ts_rank (how often and how close the words are). CJK: how many times the included
  // terms occur, for a text of the same length.
  const included = search.terms.filter((t) => !t.exclude).map((t) => t.text.toLowerCase())
  const rank =
    search.cjk || !query
      ? sql`(${sql.join(
          included.map(
            (t) => sql`(length(n.body) - length(replace(lower(n.body), ${t}, ''))) / ${t.length}`,
          ),
          sql` + `,
        )})::float / ln(length(n.body) + 2)`
      : sql`ts_rank(n.tsv, ${query})`
  const rows = await sql<{ id: number }>`
    with newest as (
      select response_id, body, tsv from response_search where ${where}
      order by response_id desc limit ${cap}
    )
    select n.response_id as id from newest n
    join responses r on r.id = n.response_id
    where r.consultation_id = ${consultationId}
    order by ${rank} desc, n.response_id desc
    limit ${cap}`.execute(db)
  return rows.rows.map((r) => r.id)
}

/** Words of context either side of a CJK match. */
const CJK_CONTEXT = 30

async function snippets(
  db: Tx,
  { search, ids }: { search: Search; ids: number[] },
): Promise<Map<number, string>> {
  const extracts = new Map<number, string>()
  const where = matches(search)
  if (!where) return extracts
  if (search.cjk) {
    // ts_headline knows no trigram matches: the text around the first included term's first
    // occurrence, cut out by the database, its matches marked here.
    const included = search.terms.filter((t) => !t.exclude).map((t) => t.text)
    const first = included[0]!
    const rows = await sql<{ id: number; extract: string; cut_start: boolean; cut_end: boolean }>`
      select response_id as id,
        substr(body, greatest(strpos(lower(body), lower(${first})) - ${CJK_CONTEXT}, 1),
          ${2 * CJK_CONTEXT + first.length}) as extract,
        strpos(lower(body), lower(${first})) > ${CJK_CONTEXT + 1} as cut_start,
        strpos(lower(body), lower(${first})) + ${CJK_CONTEXT + first.length} <= length(body) as cut_end
      from response_search
      where response_id in (${sql.join(ids)}) and ${where}`.execute(db)
    const pattern = new RegExp(
      included.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
      'giu',
    )
    for (const row of rows.rows) {
      const marked = row.extract.replace(pattern, (m) => `${MARK_START}${m}${MARK_END}`)
      extracts.set(row.id, `${row.cut_start ? '…' : ''}${marked}${row.cut_end ? '…' : ''}`)
    }
    return extracts
  }
  // Made here from the text rather than by ts_headline, which parses each whole text again: 5 ms
  // of every page of 50 results at 100,000 responses, the largest part of a search's cost.
  const rows = await sql<{ id: number; body: string }>`
    select response_id as id, body from response_search
    where response_id in (${sql.join(ids)})`.execute(db)
  for (const row of rows.rows) extracts.set(row.id, snippetOf(row.body, search.terms))
  return extracts
}

/** Words of an extract, as SQLite's snippet() gives. */
const SNIPPET_WORDS = 24
/** Words before the first match. */
const SNIPPET_LEAD = 6

/** A word as the index holds it: accents removed, lower case (as portal_search, near enough). */
const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * An extract of `body` around the first match of the included terms, each matching word between
 * MARK_START and MARK_END, with … where the text goes on: words are runs of letters and digits,
 * compared accents and case folded, a phrase's words in sequence, a prefix's last word by its
 * beginning. (A letter that unaccent folds and NFD does not, such as ø or ß, may go unmarked;
 * the match itself is PostgreSQL's.)
 */
export function snippetOf(body: string, terms: SearchTerm[]): string {
  const words = [...body.matchAll(RUNS)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    folded: fold(m[0]),
  }))
  const sequences = terms
    .filter((t) => !t.exclude)
    .map((t) => ({
      runs: (t.text.match(RUNS) ?? []).map(fold),
      prefix: t.kind === 'word' && t.prefix,
    }))
    .filter((q) => q.runs.length > 0)
  const marked = new Set<number>()
  for (let i = 0; i < words.length; i++) {
    for (const { runs, prefix } of sequences) {
      const last = runs.length - 1
      const matches = runs.every((run, k) => {
        const word = words[i + k]?.folded
        return word !== undefined && (prefix && k === last ? word.startsWith(run) : word === run)
      })
      if (matches) for (let k = 0; k <= last; k++) marked.add(i + k)
    }
  }
  // The first marked word (a loop: spreading a text's every word into Math.min could overflow).
  let first = words.length
  for (const i of marked) if (i < first) first = i
  if (first === words.length) first = 0
  const from = Math.max(0, Math.min(first - SNIPPET_LEAD, words.length - SNIPPET_WORDS))
  const to = Math.min(words.length, from + SNIPPET_WORDS)
  if (to <= from) return body.slice(0, 200)
  let out = from > 0 ? '…' : ''
  // Whole at either end the text does not go on past: its punctuation too.
  let at = from === 0 ? 0 : words[from]!.start
  for (let i = from; i < to; i++) {
    const word = words[i]!
    if (!marked.has(i)) continue
    out += `${body.slice(at, word.start)}${MARK_START}${body.slice(word.start, word.end)}${MARK_END}`
    at = word.end
  }
  if (to < words.length) return `${out}${body.slice(at, words[to - 1]!.end)}…`
  return out + body.slice(at)
}

async function matchingIdsDescending(
  db: Tx,
  { search, below, limit }: { search: Search; below: number; limit: number },
): Promise<number[]> {
  const where = matches(search)
  if (!where) return []
  const rows = await sql<{ id: number }>`
    select response_id as id from response_search
    where ${where} and response_id < ${below}
    order by response_id desc limit ${limit}`.execute(db)
  return rows.rows.map((r) => r.id)
}

/** Rows written by one statement of indexMany: four parameters each, far below 65,535. */
const INDEX_ROWS = 500

async function indexMany(db: Tx, rows: { id: number; text: string }[]): Promise<void> {
  const empty = rows.filter((r) => !r.text).map((r) => r.id)
  if (empty.length) {
    await sql`delete from response_search where response_id in (${sql.join(empty)})`.execute(db)
  }
  const texts = rows.filter((r) => r.text)
  for (let i = 0; i < texts.length; i += INDEX_ROWS) {
    const values = texts
      .slice(i, i + INDEX_ROWS)
      .map(
        (r) =>
          sql`(${r.id}::bigint, ${r.text}, ${hasCjk(r.text)}, to_tsvector('portal_search', ${forTsvector(r.text)}))`,
      )
    await sql`
      insert into response_search (response_id, body, cjk, tsv) values ${sql.join(values)}
      on conflict (response_id) do update
        set body = excluded.body, cjk = excluded.cjk, tsv = excluded.tsv`.execute(db)
  }
}

export const postgresSearch: SearchIndex = {
  index: (db, id, text) => indexMany(db, [{ id, text }]),
  indexMany,
  matchCondition,
  matchingRowids,
  matchConditionPerRow,
  rankedIds,
  snippets,
  matchingIdsDescending,
  // The GIN index answers `word:*` itself: nothing to expand.
  expandPrefixes: (_db, search) => Promise.resolve(search),
  firstChunk: (limit) => limit + 1,
}
