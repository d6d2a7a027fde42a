import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import { openDatabase } from './connection.ts'
import { databasePath } from './path.ts'

// Beside this module: db/migrations (.ts) from the sources, build/server/migrations (.js) in the
// compiled server, which `npm start` runs (app/server/build.mjs puts both there).
const migrationFolder = fileURLToPath(new URL('./migrations', import.meta.url))
const MIGRATION_FILE = /^\d.*\.(ts|js)$/

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where
 * neither tsx nor vitest can hand it a .ts file; importing from here they can.
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationFolder)).filter((f) => MIGRATION_FILE.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const module = (await import(
        pathToFileURL(path.join(migrationFolder, file)).href
      )) as Migration
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = databasePath()
  const db = openDatabase(file)
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
