import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  type Compilable,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteDialect,
  type SqliteDatabase,
  sql,
} from 'kysely'
import type { Database } from './schema.ts'
import { attachSearchFile } from './search-file.ts'

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

/** SQLite's own default: a commit that leaves the WAL this many pages long checkpoints it. */
const WAL_AUTOCHECKPOINT_PAGES = 1000

/**
 * Whether the commits of this connection checkpoint the WAL themselves (SQLite's default), or
 * leave it to another connection (the search indexer's thread checkpoints the portal's file
 * while the server runs: a commit that checkpointed held the server's thread for up to 255 ms,
 * copying pages into the database file and waiting for the disk).
 */
export async function checkpointHere(db: Kysely<Database>, here: boolean): Promise<void> {
  await sql.raw(`pragma wal_autocheckpoint = ${here ? WAL_AUTOCHECKPOINT_PAGES : 0}`).execute(db)
}

/** How long a statement waits for another connection's lock, in the server and in the tools. */
export const BUSY_TIMEOUT = { server: 50, tool: 5000 }

/**
 * Opens (creating if needed) the SQLite file at `path` with the portal's pragmas, and its search
 * file attached (db/search-file.ts) unless `search` is false (a file that is not the portal's).
 */
export function openSqlite(
  path: string,
  {
    busyTimeoutMs = BUSY_TIMEOUT.server,
    search = true,
  }: { busyTimeoutMs?: number; search?: boolean } = {},
): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  for (const pragma of PRAGMAS) sqlite.pragma(pragma)
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`)
  if (search) attachSearchFile(sqlite, path)
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
  /** How the connection's statements share the thread (openDatabase). */
  pacing?: Pacing
}

const connections = new WeakMap<Kysely<Database>, CachedStatements>()

/**
 * How a server shares its one thread with SQLite, whose statements run on it. Every statement
 * resolves at once, so requests arriving together (or a job's loop of queries) ran one after
 * the other in a single turn of the event loop: 24 uploads writing their pieces held it half a
 * second, a page of 50 requests a fifth, with no statement over 50 ms. A statement that finds
 * its turn has run `turnMs` already waits for the next (setImmediate), letting timers and other
 * I/O in between: each turn stays near `turnMs` plus one statement.
 */
export interface Pacing {
  /** Statements run in one turn of the event loop until it has lasted this long. */
  turnMs: number
  /** Statements that take longer are logged with their text (LOG_EVENT_LOOP). */
  logSlowMs?: number
}

/** When the current turn's first statement ran (-1: none yet in this turn). */
let turnStarted = -1
const endTurn = () => {
  turnStarted = -1
}

/** Undefined to go on in this turn, or a promise of the next. */
export function sqliteTurn(turnMs: number): Promise<void> | undefined {
  const now = performance.now()
  if (turnStarted < 0) {
    turnStarted = now
    // Immediates run after the turn's I/O: the next statement after it begins a new turn.
    setImmediate(endTurn)
    return undefined
  }
  if (now - turnStarted < turnMs) return undefined
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    if (turnStarted < 0) {
      turnStarted = performance.now()
      setImmediate(endTurn)
    }
  })
}

/** A connection whose statements wait for their turn (Pacing), and are timed. */
function pacedConnection(connection: DatabaseConnection, pacing: Pacing): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const wait = sqliteTurn(pacing.turnMs)
      if (wait) await wait
      const t0 = performance.now()
      try {
        return await connection.executeQuery<R>(query)
      } finally {
        const ms = performance.now() - t0
        if (pacing.logSlowMs !== undefined && ms > pacing.logSlowMs) logSlowStatement(ms, query.sql)
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  }
}

/** Kysely's SQLite driver with its one connection paced. */
function pacedDriver(driver: Driver, pacing: Pacing): Driver {
  const paced = new WeakMap<DatabaseConnection, DatabaseConnection>()
  return {
    init: (options) => driver.init(options),
    async acquireConnection(options) {
      const connection = await driver.acquireConnection(options)
      let wrapped = paced.get(connection)
      if (!wrapped) {
        wrapped = pacedConnection(connection, pacing)
        paced.set(connection, wrapped)
      }
      return wrapped
    },
    // The driver runs begin, commit and savepoints through the connection it is given: paced.
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    savepoint: (connection, name, compile) => driver.savepoint!(connection, name, compile),
    rollbackToSavepoint: (connection, name, compile) =>
      driver.rollbackToSavepoint!(connection, name, compile),
    releaseSavepoint: (connection, name, compile) =>
      driver.releaseSavepoint!(connection, name, compile),
    releaseConnection: (connection, options) => driver.releaseConnection(connection, options),
    destroy: (options) => driver.destroy(options),
  }
}

class PacedSqliteDialect extends SqliteDialect {
  readonly #pacing: Pacing
  constructor(database: SqliteDatabase, pacing: Pacing) {
    super({ database })
    this.#pacing = pacing
  }
  override createDriver(): Driver {
    return pacedDriver(super.createDriver(), this.#pacing)
  }
}

/**
 * A Kysely handle over a freshly opened SQLite file. A server passes `pacing` (its requests
 * share the thread with the statements); tools and tests, which serve nobody, need not.
 */
export function openDatabase(
  path: string,
  options: { busyTimeoutMs?: number; pacing?: Pacing } = {},
): Kysely<Database> {
  const database = withStatementCache(openSqlite(path, options))
  const db = new Kysely<Database>({
    dialect: options.pacing
      ? new PacedSqliteDialect(database, options.pacing)
      : new SqliteDialect({ database }),
  })
  connections.set(db, { ...database, pacing: options.pacing })
  return db
}

function logSlowStatement(ms: number, sql: string): void {
  console.log(
    `${new Date().toISOString()} statement held ${ms.toFixed(0)} ms: ${sql.replace(/\s+/g, ' ').slice(0, 240)}`,
  )
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
  return db.connection().execute(async () => {
    const { pacing } = raw
    const wait = pacing && sqliteTurn(pacing.turnMs)
    if (wait) await wait
    const t0 = performance.now()
    const rows = raw.prepareRaw(compiled.sql).all(compiled.parameters) as unknown[][]
    const ms = performance.now() - t0
    if (pacing?.logSlowMs !== undefined && ms > pacing.logSlowMs) logSlowStatement(ms, compiled.sql)
    return rows
  })
}
