import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema.ts'

// Every SQLite pragma the portal relies on is set here and nowhere else.
//
// synchronous=FULL: in WAL mode, NORMAL can lose the last commits on a power
// cut or OS crash. A receipt promises the respondent their response is kept,
// so every commit waits for the WAL to reach the disk.
const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'temp_store = MEMORY',
  'cache_size = -20000',
]

/** Opens (creating if needed) the SQLite file at `path` with the portal's pragmas. */
export function openSqlite(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  for (const pragma of PRAGMAS) sqlite.pragma(pragma)
  return sqlite
}

/** A Kysely handle over a freshly opened SQLite file. */
export function openDatabase(path: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqlite(path) }),
  })
}
