import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Kysely, sql } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import { BUSY_TIMEOUT, openDatabase } from './connection.ts'
import { databasePath } from './path.ts'
import { isPostgres, openPostgres } from './postgres.ts'

// Beside this module: db/migrations (.ts) from the sources, build/server/migrations (.js) in the
// compiled server, which `npm start` runs (app/server/build.mjs puts both there). The Remix build
// (build/index.js) has this module bundled elsewhere: the server tells it the folder it migrated
// from, in PORTAL_MIGRATIONS_DIR, before loading it.
const besideThisModule = fileURLToPath(new URL('./migrations', import.meta.url))

/** The folder the migrations are read from. */
export function migrationFolder(): string {
  return process.env.PORTAL_MIGRATIONS_DIR ?? besideThisModule
}
const MIGRATION_FILE = /^\d.*\.(ts|js)$/

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where
 * neither tsx nor vitest can hand it a .ts file; importing from here they can.
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const folder = migrationFolder()
    const files = (await readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const module = (await import(pathToFileURL(path.join(folder, file)).href)) as Migration
      migrations[file.replace(/\.(ts|js)$/, '')] = { up: module.up, down: module.down }
    }
    return migrations
  },
}

/**
 * The PostgreSQL advisory lock the app servers take to prepare the database: an arbitrary
 * constant of the portal's own (Kysely's migrator takes another, around its migrations only).
 */
export const PREPARE_LOCK = 7_262_000_001

/**
 * Runs `work` on one connection of `db` while holding PREPARE_LOCK, a session-level advisory
 * lock, which belongs to that connection: servers started at once migrate, seed and repair one
 * after another, and the later ones find nothing left to do. Kysely's own migration lock covers
 * the migrations alone; a seed run by two servers at once would insert the demo round twice.
 * SQLite needs none: one process serves it, and its write lock orders the command-line tools.
 * The lock is taken again (PostgreSQL counts a session's locks) by a nested call.
 */
export async function withPrepareLock<T>(
  db: Kysely<any>,
  work: (db: Kysely<any>) => Promise<T>,
  log: (line: string) => void = () => {},
): Promise<T> {
  if (!isPostgres(db)) return work(db)
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      locked: boolean
    }>`select pg_try_advisory_lock(${PREPARE_LOCK}) as locked`.execute(conn)
    if (!rows[0]?.locked) {
      log('Another server is preparing the database: waiting for it.')
      await sql`select pg_advisory_lock(${PREPARE_LOCK})`.execute(conn)
    }
    try {
      return await work(conn)
    } finally {
      // Were the connection lost, the lock would have gone with its session.
      await sql`select pg_advisory_unlock(${PREPARE_LOCK})`.execute(conn).catch(() => {})
    }
  })
}

/**
 * Brings the database to the newest migration; throws on the first failure. On PostgreSQL it
 * holds the prepare lock (see withPrepareLock), so that several servers migrate once.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  log: (line: string) => void = () => {},
): Promise<void> {
  await withPrepareLock(db, (conn) => runMigrations(conn, log))
}

async function runMigrations(db: Kysely<any>, log: (line: string) => void): Promise<void> {
  // On PostgreSQL Kysely's tables go in the schema the portal's tables go in (search_path's
  // first): told nothing, the migrator takes a kysely_migration table in any other schema of the
  // database for its own, and two portals (or test files) sharing one server would mix theirs.
  const schema = isPostgres(db)
    ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0]?.name
    : undefined
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  for (const result of results ?? []) {
    log(`migration ${result.migrationName}: ${result.status}`)
  }
  if (error) throw error instanceof Error ? error : new Error(String(error))
}

export interface MigrationState {
  /** Every migration this code knows has run, and none it does not know. */
  current: boolean
  applied: number
  /** Known to this code, not yet run on the database. */
  pending: string[]
  /** Run on the database by newer code: this code may not understand the schema. */
  unknown: string[]
}

/** The names of this code's migrations, read once per folder (they do not change while it runs). */
const knownNames = new Map<string, Promise<string[]>>()

/** Whether the database's schema is the one this code expects: one cheap query after the first. */
export async function migrationState(db: Kysely<any>): Promise<MigrationState> {
  const folder = migrationFolder()
  let names = knownNames.get(folder)
  if (!names) {
    names = migrationProvider.getMigrations().then((all) => Object.keys(all).sort())
    knownNames.set(folder, names)
  }
  const known = await names
  let applied: string[] = []
  try {
    applied = (await db.selectFrom('kysely_migration').select('name').execute()).map(
      (r) => r.name as string,
    )
  } catch {
    // No migration has ever run here: every one is pending.
  }
  const done = new Set(applied)
  const knownSet = new Set(known)
  const pending = known.filter((name) => !done.has(name))
  const unknown = applied.filter((name) => !knownSet.has(name))
  return { current: !pending.length && !unknown.length, applied: applied.length, pending, unknown }
}

// Run as `npm run db:migrate`. Not when bundled into the server (build/server/start.server.js),
// where import.meta.url is the bundle's, which is the process's script too.
if (
  import.meta.url.endsWith('/db/migrate.ts') &&
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href
) {
  const url = process.env.DATABASE_URL
  const file = databasePath()
  const db = url
    ? openPostgres(url, { max: 1 })
    : openDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT.tool })
  try {
    console.log(`Migrating ${url ? 'the PostgreSQL database of DATABASE_URL' : file}`)
    await migrateToLatest(db, (line) => console.log(line))
    console.log('Database is up to date.')
  } catch (error) {
    console.error('Migration failed:', error)
    process.exitCode = 1
  } finally {
    await db.destroy()
  }
}
