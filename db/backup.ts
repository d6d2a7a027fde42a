// `npm run db:backup -- FILE [--force]`: a consistent copy of the database at DATABASE_PATH,
// taken while the server keeps running and taking submissions.
//
// The copy is made by SQLite's VACUUM INTO on a connection of its own: it reads the database in
// one read transaction, so it sees one snapshot, and in WAL mode a reader never blocks writers,
// which go on committing to the log meanwhile. SQLite's online backup API (better-sqlite3's
// `.backup()`, the sqlite3 shell's `.backup`) copies a few pages per step and starts over when
// another connection writes between steps: under a steady flow of submissions a large database's
// backup may never finish. VACUUM INTO also leaves out free pages, and writes a single
// self-contained file (rollback journal mode, no -wal beside it).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  BackupError,
  formatBytes,
  inspectPortalDatabase,
  isFile,
  partialPathFor,
  runFileCommand,
  sameFile,
  sidecarsOf,
  syncToDisk,
} from './backup-files.ts'
import { BUSY_TIMEOUT, openSqlite } from './connection.ts'
import { databasePath } from './path.ts'

export interface BackupReport {
  source: string
  target: string
  bytes: number
  responses: number
  /** Just before VACUUM INTO began its read: the backup holds every commit made before then. */
  snapshotAt: Date
  /** How long VACUUM INTO read; the server's log grows meanwhile, no checkpoint passing it. */
  readMs: number
}

/** Writes a consistent copy of the database at `source` to `target`, while others write to it. */
export function backupDatabase(
  source: string,
  target: string,
  { force = false }: { force?: boolean } = {},
): BackupReport {
  source = path.resolve(source)
  target = path.resolve(target)
  // openSqlite would create an empty database where there is none.
  if (!isFile(source)) throw new BackupError(`There is no database at ${source}.`)
  if (sameFile(source, target) || sidecarsOf(source).includes(target)) {
    throw new BackupError(`The backup cannot be written over the database itself (${source}).`)
  }
  const refuseExisting = () => {
    if (!force && existsSync(target)) {
      throw new BackupError(
        `${target} already exists: choose another name, or add --force to replace it.`,
      )
    }
  }
  // Before the copy, which can take minutes, and again before the rename, the copy done.
  refuseExisting()
  mkdirSync(path.dirname(target), { recursive: true })
  const partial = partialPathFor(target)
  try {
    const sqlite = openSqlite(source, { busyTimeoutMs: BUSY_TIMEOUT.tool })
    let snapshotAt: Date
    let readMs: number
    try {
      snapshotAt = new Date()
      const started = performance.now()
      // Bound, so that no file name needs quoting.
      sqlite.prepare('vacuum into ?').run(partial)
      readMs = performance.now() - started
    } finally {
      sqlite.close()
    }
    const contents = inspectPortalDatabase(partial, {
      integrity: false,
      name: `The database at ${source}`,
    })
    // A backup must be on the disk before it takes its name. VACUUM INTO syncs its file only
    // as the source connection's `synchronous` pragma says, which connection.ts sets for the
    // server's sake; syncing here keeps this true whatever that becomes.
    syncToDisk(partial)
    refuseExisting()
    renameSync(partial, target)
    syncToDisk(path.dirname(target))
    return {
      source,
      target,
      bytes: contents.bytes,
      responses: contents.responses,
      snapshotAt,
      readMs,
    }
  } finally {
    rmSync(partial, { force: true })
  }
}

const USAGE = `Usage: npm run db:backup -- FILE [--force]

Writes a consistent copy of the database at DATABASE_PATH (default db/portal.sqlite) to FILE,
while the server keeps running. --force replaces an existing FILE.`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runFileCommand(USAGE, (file, { force }) => {
    const report = backupDatabase(databasePath(), file, { force })
    return [
      `Backed up ${report.source}`,
      `       to ${report.target}`,
      `  snapshot  ${report.snapshotAt.toISOString()} (UTC), read in ${Math.round(report.readMs)} ms`,
      `  size      ${formatBytes(report.bytes)}`,
      `  responses ${report.responses}`,
    ]
  })
}
