import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import { BUSY_TIMEOUT, openDatabase } from './connection.ts'
import { databasePath } from './path.ts'

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

/** Brings the database to the newest migration; throws on the first failure. */
export async function migrateToLatest(
  db: Kysely<any>,
  log: (line: string) => void = () => {},
): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = databasePath()
  const db = openDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT.tool })
  try {
    console.log(`Migrating ${file}`)
    await migrateToLatest(db, (line) => console.log(line))
    console.log('Database is up to date.')
  } catch (error) {
    console.error('Migration failed:', error)
    process.exitCode = 1
  } finally {
    await db.destroy()
  }
}
