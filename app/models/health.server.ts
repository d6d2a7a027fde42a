import { sql } from 'kysely'
import { type MigrationState, migrationState } from '#db/migrate.ts'
import type { DB } from '#app/utils/db.server.ts'

export interface Health {
  ok: boolean
  database: 'ok'
  migrations: MigrationState
}

/**
 * For load balancers and uptime checks: the database reads, and its schema is the one this code
 * expects (a server whose migrations are pending, or a database migrated by newer code, is not).
 */
export async function checkHealth(db: DB): Promise<Health> {
  await sql`select 1`.execute(db)
  const migrations = await migrationState(db)
  return { ok: migrations.current, database: 'ok', migrations }
}
