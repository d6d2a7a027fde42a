import type { Kysely } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import { openPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'
import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

export type DB = Kysely<Database>

/**
 * SQLite's statements run on the server's thread: once a turn of its event loop has run this
 * long, the next statement waits for the next turn (db/connection.ts, Pacing).
 */
const SQLITE_TURN_MS = 10

/** The process's database handle, opened on first use: `DATABASE_URL` (PostgreSQL) or `DATABASE_PATH`. */
export function getDb(): DB {
  const env = getEnv()
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL
    return singleton(`db:${url}`, () => openPostgres(url, { max: env.DATABASE_POOL_SIZE }))
  }
  const file = env.DATABASE_PATH
  return singleton(`db:${file}`, () =>
    openDatabase(file, {
      pacing: { turnMs: SQLITE_TURN_MS, ...(env.LOG_EVENT_LOOP ? { logSlowMs: 50 } : {}) },
    }),
  )
}
