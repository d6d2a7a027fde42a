import type { Kysely } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import type { Database } from '#db/schema.ts'
import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

export type DB = Kysely<Database>

/** The process's database handle, opened on first use at `DATABASE_PATH`. */
export function getDb(): DB {
  const file = getEnv().DATABASE_PATH
  return singleton(`db:${file}`, () => openDatabase(file))
}
