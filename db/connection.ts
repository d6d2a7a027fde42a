import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { type Compilable, Kysely, SqliteDialect, type SqliteDatabase } from 'kysely'
import type { Database } from './schema.ts'

// Every SQLite pragma the portal relies on is set here and nowhere else.
//
// synchronous=FULL: in WAL mode, NORMAL can lose the last commits on a power
// cut or OS crash. A receipt promises the respondent their response is kept,
// so every commit waits for the WAL to reach the disk.
//
// temp_store stays the default (files): a GROUP BY over a million responses sorts them, and
// with temp_store=MEMORY each sort took its whole size from the process's heap (statistics
// grew the server by 93 MB, which the allocator kept); with files, a sort beyond the cache
// size spills to a temporary file the OS caches, and the statistics were no slower.
//
// busy_timeout: SQLite waits for another process's write lock (a backup, `npm run db:seed`) by
// sleeping on the calling thread, which is the server's only one. The server waits 50 ms at a
// time, and retries a group of submissions later without blocking (responses.server.ts) before
// answering 503; command-line tools, which block nobody, wait up to 5 s.
const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'cache_size = -20000',
]

/** How long a statement waits for another connection's lock, in the server and in the tools. */
export const BUSY_TIMEOUT = { server: 50, tool: 5000 }

/** Opens (creating if needed) the SQLite file at `path` with the portal's pragmas. */
export function openSqlite(
  path: string,
  { busyTimeoutMs = BUSY_TIMEOUT.server }: { busyTimeoutMs?: number } = {},
): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  for (const pragma of PRAGMAS) sqlite.pragma(pragma)
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`)
  return sqlite
}

/** Prepared statements kept per connection: the portal's queries are a few hundred shapes. */
const STATEMENT_CACHE = 500

/**
 * The connection as Kysely's SqliteDialect sees it, with its prepared statements kept: Kysely
 * prepares every query it runs, and SQLite parsing and planning the same text again was 7% of
 * the server's time under load. Least recently used statements are dropped beyond
 * STATEMENT_CACHE (a query with a list of ids has a text per list length). One connection runs
 * one query at a time (Kysely serialises them), so a statement is never used twice at once.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase & CachedStatements {
  const statements = new Map<string, SQLite.Statement>()
  const cached = (key: string, make: () => SQLite.Statement) => {
    let statement = statements.get(key)
    if (statement) {
      statements.delete(key)
    } else {
      statement = make()
      if (statements.size >= STATEMENT_CACHE) {
        statements.delete(statements.keys().next().value as string)
      }
    }
    statements.set(key, statement)
    return statement
  }
  return {
    close: () => {
      statements.clear()
      sqlite.close()
    },
    prepare: (sql: string) => cached(sql, () => sqlite.prepare(sql)),
    prepareRaw: (sql: string) => cached(`raw:${sql}`, () => sqlite.prepare(sql).raw(true)),
  }
}

interface CachedStatements {
  /** The statement for `sql` returning each row as an array of its columns' values. */
  prepareRaw(sql: string): SQLite.Statement
}

const connections = new WeakMap<Kysely<Database>, CachedStatements>()

/** A Kysely handle over a freshly opened SQLite file. */
export function openDatabase(
  path: string,
  options: { busyTimeoutMs?: number } = {},
): Kysely<Database> {
  const database = withStatementCache(openSqlite(path, options))
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  connections.set(db, database)
  return db
}

/**
 * The rows of a select as arrays of values in the order of its select list, for the
 * exports that read a million rows: better-sqlite3 then builds no object per row (1.6×
 * faster reading at a million responses, see README, decisions). The query runs while
 * holding Kysely's connection, so it never reads inside another caller's transaction.
 * Any other Kysely handle (a transaction, another dialect) gets the same arrays from
 * its ordinary rows.
 */
export async function selectArrays(
  db: Kysely<Database>,
  query: Compilable<object>,
): Promise<unknown[][]> {
  const compiled = query.compile()
  const raw = connections.get(db)
  if (!raw) {
    const { rows } = await db.executeQuery(compiled)
    return rows.map((row) => Object.values(row as object))
  }
  return db
    .connection()
    .execute(async () => raw.prepareRaw(compiled.sql).all(compiled.parameters) as unknown[][])
}
