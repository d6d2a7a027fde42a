import path from 'node:path'
import SQLite from 'better-sqlite3'

// SQLite's full-text index lives in a file of its own beside the portal's (portal.sqlite →
// portal-search.sqlite), written by a thread of its own (app/jobs/search-worker.ts).
//
// Why (README, Decisions, 2026-12-03): FTS5 merges its index inside the statements that write
// to it, and a merge is not bounded: one step of 4 pages took 1.1 s at a million responses. In
// the portal's file those merges ran on the server's thread, inside the transaction that stored
// a response, and held every other request; they also held the one write lock every submission
// needs. In a file of its own, written by its own connection on its own thread, they hold
// neither: a response's transaction only notes its id in search_queue (portal file), and the
// indexer takes the notes in order, records in its own file how far it has come
// (search_meta.done) in the same transaction as the words it wrote, and so survives a crash at
// any point: what it had not committed it takes up again.
//
// The server's connection attaches the file as `search`, and reads its tables by their plain
// names (response_fts, response_fts_cjk, response_fts_vocab): SQLite looks for a table in
// `main` first, then in the attached files. The indexer's connection opens it as `main` and
// attaches the portal's file, so the same queries run there too.

/** Bumped when the tables below change: a file of another version is emptied and rebuilt. */
export const SEARCH_FILE_VERSION = 1

/** The search file beside a portal database (none for an in-memory one: it gets one in memory). */
export function searchFilePath(portalPath: string): string {
  if (portalPath === ':memory:') return ':memory:'
  const { dir, name, ext } = path.parse(portalPath)
  return path.join(dir, `${ext === '.sqlite' || ext === '.db' ? name : name + ext}-search.sqlite`)
}

/** The tables of the search file, in schema `schema`. */
function searchTables(schema: string): string[] {
  return [
    `create table if not exists ${schema}.search_meta (key text primary key, value integer not null)`,
    `create virtual table if not exists ${schema}.response_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2')`,
    `create virtual table if not exists ${schema}.response_fts_cjk using fts5(body, tokenize = 'trigram')`,
    `create virtual table if not exists ${schema}.response_fts_vocab using fts5vocab(response_fts, row)`,
  ]
}

const SEARCH_TABLE_NAMES = ['response_fts_vocab', 'response_fts_cjk', 'response_fts', 'search_meta']

/**
 * Creates the search file's tables in `schema` where missing, in one transaction, and notes
 * where its indexer starts: a file made for a portal with no responses yet is complete
 * (`build_after` -1); one made beside responses (an upgrade, a restored backup, a deleted file)
 * is built by the indexer from the first response (`build_after` 0). A file of another version
 * is emptied first.
 */
export function prepareSearchSchema(
  sqlite: SQLite.Database,
  { schema, portalSchema }: { schema: string; portalSchema: string },
): void {
  sqlite.pragma(`${schema}.journal_mode = WAL`)
  // What the indexer commits, the server may prune from search_queue: it must be on the disk.
  sqlite.pragma(`${schema}.synchronous = FULL`)
  sqlite.pragma(`${schema}.cache_size = -20000`)
  const ready = () => {
    const meta = sqlite
      .prepare(`select 1 from ${schema}.sqlite_master where name = 'search_meta'`)
      .get()
    return (
      meta !== undefined &&
      sqlite
        .prepare(`select value from ${schema}.search_meta where key = 'version'`)
        .pluck()
        .get() === SEARCH_FILE_VERSION
    )
  }
  // Most opens find the file ready: they read, and take no lock another connection holds.
  if (ready()) return
  const prepare = sqlite.transaction(() => {
    const has = (table: string, inSchema: string) =>
      sqlite.prepare(`select 1 from ${inSchema}.sqlite_master where name = ?`).get(table) !==
      undefined
    if (has('search_meta', schema)) {
      const version = sqlite
        .prepare(`select value from ${schema}.search_meta where key = 'version'`)
        .pluck()
        .get() as number | undefined
      if (version === SEARCH_FILE_VERSION) return
      for (const table of SEARCH_TABLE_NAMES) sqlite.exec(`drop table if exists ${schema}.${table}`)
    }
    for (const statement of searchTables(schema)) sqlite.exec(statement)
    const responses =
      has('responses', portalSchema) &&
      sqlite.prepare(`select 1 from ${portalSchema}.responses limit 1`).get() !== undefined
    const meta = sqlite.prepare(`insert or replace into ${schema}.search_meta values (?, ?)`)
    meta.run('version', SEARCH_FILE_VERSION)
    meta.run('done', 0)
    meta.run('build_after', responses ? 0 : -1)
  })
  prepare.immediate()
}

/** Attaches the search file of the portal database at `portalPath` as `search`, ready to use. */
export function attachSearchFile(sqlite: SQLite.Database, portalPath: string): void {
  sqlite.prepare('attach database ? as search').run(searchFilePath(portalPath))
  prepareSearchSchema(sqlite, { schema: 'search', portalSchema: 'main' })
}

/**
 * The indexer's connection (app/jobs/search-worker.ts): the search file as `main`, the portal's
 * attached as `portal`, which it only reads (better-sqlite3 does not take a `?mode=ro` URI in
 * ATTACH). Its waits for a lock hold only its own thread.
 */
export function openSearchWriter(portalPath: string): SQLite.Database {
  const sqlite = new SQLite(searchFilePath(portalPath))
  sqlite.pragma('busy_timeout = 5000')
  sqlite.prepare('attach database ? as portal').run(portalPath)
  prepareSearchSchema(sqlite, { schema: 'main', portalSchema: 'portal' })
  return sqlite
}
