import type { Kysely } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import { openPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'
import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

export type DB = Kysely<Database>

/** The process's database handle, opened on first use: `DATABASE_URL` (PostgreSQL) or `DATABASE_PATH`. */
export function getDb(): DB {
  const env = getEnv()
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL
    return singleton(`db:${url}`, () => openPostgres(url, { max: env.DATABASE_POOL_SIZE }))
  }
  const file = env.DATABASE_PATH
  return singleton(`db:${file}`, () => openDatabase(file))
}
