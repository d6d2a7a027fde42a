// `npm run db:restore -- FILE [--force]`: puts a backup made by `npm run db:backup` in place of
// the database at DATABASE_PATH, with the server stopped.
import { constants, copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import SQLite from 'better-sqlite3'
import {
  BackupError,
  formatBytes,
  inspectPortalDatabase,
  isFile,
  partialPathFor,
  removeSidecars,
  removeWithSidecars,
  runFileCommand,
  sameFile,
  sqliteCode,
  syncToDisk,
} from './backup-files.ts'
import { databasePath } from './path.ts'
import { searchFilePath } from './search-file.ts'

const STOP_THE_SERVER =
  'Stop the server first (Ctrl-C where `npm start` runs, or `kill -TERM` its process, ' +
  'or stop its service): it finishes the requests in flight and closes the database.'

/**
 * Whether another connection, in this process or any other on this machine, has the SQLite
 * database at `file` open: `open`, `closed`, or `unreadable` when the file's header is not a
 * database's (damaged, or never one), which SQLite reads before asking for any lock.
 *
 * A connection in WAL mode (the portal's, see connection.ts) holds a shared lock on the database
 * file from its first read until it is closed, and SQLite lets a connection take the file's
 * exclusive lock only when no other holds a shared one: it relies on the same locks to find out
 * whether it is the last connection, which may fold the log into the file and delete it. So a
 * connection that asks for the exclusive lock, waiting for nothing, learns whether any other
 * has the file open. That answer is as good as the file system's locks: local disks have them;
 * NFS and other network file systems may not, nor see a process on another machine.
 *
 * It says nothing of a server that has not opened the database yet (the first seconds after
 * start-up), but such a server opens the restored file when it does. A server that opens the
 * file in the moment between this check and the rename keeps the old one: that is why the
 * server must be stopped, and why this is a check and not a lock.
 *
 * When no other connection has it open, closing this one folds a leftover log into the file
 * and deletes it: the file is about to be replaced anyway.
 */
function openElsewhere(file: string): 'open' | 'closed' | 'unreadable' {
  const sqlite = new SQLite(file, { fileMustExist: true, timeout: 0 })
  try {
    // Before the first read: in WAL mode the connection then keeps the log's index in its own
    // memory, which it may do only holding the file's exclusive lock, so that read takes it.
    sqlite.pragma('locking_mode = EXCLUSIVE')
    sqlite.exec('begin exclusive')
    sqlite.exec('commit')
    return 'closed'
  } catch (error) {
    const code = sqliteCode(error)
    if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) return 'open'
    if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT')) return 'unreadable'
    throw error
  } finally {
    sqlite.close()
  }
}

export interface RestoreReport {
  backup: string
  target: string
  bytes: number
  responses: number
  lastMigration: string | null
  /** Whether a database was there before, and is now replaced. */
  replaced: boolean
}

/** Checks the backup at `backup` and puts it in place of the database at `target`. */
export function restoreDatabase(
  backup: string,
  target: string,
  { force = false }: { force?: boolean } = {},
): RestoreReport {
  backup = path.resolve(backup)
  target = path.resolve(target)
  if (!isFile(backup)) throw new BackupError(`There is no file at ${backup}.`)
  if (sameFile(backup, target)) {
    throw new BackupError(`${backup} is the database itself (DATABASE_PATH): nothing to restore.`)
  }
  // Only the file itself is copied: what a log beside it holds would be lost.
  const log = `${backup}-wal`
  if ((statSync(log, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    throw new BackupError(
      `${backup} has a write-ahead log beside it (${log}): it is a database in use, or a copy ` +
        'of one, not a backup. Make a backup of it with `npm run db:backup`.',
    )
  }
  mkdirSync(path.dirname(target), { recursive: true })
  const partial = partialPathFor(target)
  try {
    copyFileSync(backup, partial, constants.COPYFILE_EXCL)
    // The copy is what is checked, so what is checked is what is put in place, byte for byte.
    const contents = inspectPortalDatabase(partial, { integrity: true, name: backup })
    // A backup in WAL mode (a copy of a stopped server's file) gets an empty log and index
    // beside the copy when read: they belong to the copy's temporary name only.
    removeSidecars(partial)
    syncToDisk(partial)
    const replaced = existsSync(target)
    if (replaced && !force) {
      throw new BackupError(
        `The backup is good (${contents.responses} responses), but a database already exists ` +
          `at ${target}, and restoring replaces it and everything written to it since the ` +
          `backup. ${STOP_THE_SERVER} Then run this again with --force.`,
      )
    }
    const use = replaced ? openElsewhere(target) : 'closed'
    if (use === 'open') {
      throw new BackupError(
        `${target} is open in another process, most likely the running server; nothing was ` +
          `changed. ${STOP_THE_SERVER}`,
      )
    }
    // A connection in WAL mode keeps its log from opening to closing: without one, none is open.
    if (use === 'unreadable' && existsSync(`${target}-wal`)) {
      throw new BackupError(
        `${target} is not a readable database, and a write-ahead log beside it may mean the ` +
          'server still has it open: that cannot be told. Make sure the server is stopped, ' +
          `delete ${target}-wal and ${target}-shm, and run this again.`,
      )
    }
    // A log or journal left beside the new file would be read as its own and corrupt it: they
    // go first, then the file.
    removeSidecars(target)
    // The search index beside it is of the database replaced: the restored one gets its own,
    // built from its responses when next opened (db/search-file.ts).
    removeWithSidecars(searchFilePath(target))
    renameSync(partial, target)
    syncToDisk(path.dirname(target))
    return {
      backup,
      target,
      bytes: contents.bytes,
      responses: contents.responses,
      lastMigration: contents.lastMigration,
      replaced,
    }
  } finally {
    removeWithSidecars(partial)
  }
}

const USAGE = `Usage: npm run db:restore -- FILE [--force]

Checks the backup FILE (made by npm run db:backup) and puts it in place of the database at
DATABASE_PATH (default db/portal.sqlite). Stop the server first. --force replaces an existing
database.`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runFileCommand(USAGE, (file, { force }) => {
    const report = restoreDatabase(file, databasePath(), { force })
    return [
      `Restored ${report.backup}`,
      `      to ${report.target}${report.replaced ? ' (the database there was replaced)' : ''}`,
      `  size      ${formatBytes(report.bytes)}`,
      `  responses ${report.responses}`,
      `  migration ${report.lastMigration ?? '(none)'}`,
      'The server applies any newer migrations when it starts.',
    ]
  })
}
