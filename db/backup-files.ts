// What `npm run db:backup` and `npm run db:restore` share: finishing a file durably under a
// temporary name, checking that a file is a portal database, and their command lines.
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'

/** A failure the command explains to its user in a sentence, without a stack trace. */
export class BackupError extends Error {}

/** The files SQLite may keep beside a database, which belong to it and to no other. */
export function sidecarsOf(file: string): string[] {
  return ['-wal', '-shm', '-journal'].map((suffix) => file + suffix)
}

/** Removes what SQLite keeps beside `file`, leaving the file. */
export function removeSidecars(file: string): void {
  for (const sidecar of sidecarsOf(file)) rmSync(sidecar, { force: true })
}

/** Removes `file` and what SQLite keeps beside it. */
export function removeWithSidecars(file: string): void {
  rmSync(file, { force: true })
  removeSidecars(file)
}

/**
 * A new name beside `file`: on the same file system, so the finished copy can be renamed into
 * place in one step, and a reader of `file` sees the old file or the new one, never half of one.
 */
export function partialPathFor(file: string): string {
  return `${file}.partial-${randomBytes(6).toString('hex')}`
}

/** Waits until what was written to `file` (or a directory's list of names) is on the disk. */
export function syncToDisk(file: string): void {
  const fd = openSync(file, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Whether `file` is an existing regular file. */
export function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false
}

/** Whether two paths name the same file (through a link, too); false if either is missing. */
export function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true
  const [statA, statB] = [a, b].map((p) => statSync(p, { throwIfNoEntry: false }))
  return !!statA && !!statB && statA.dev === statB.dev && statA.ino === statB.ino
}

/** SQLite's error code (`SQLITE_BUSY`, ...), if `error` is one of its errors. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

export interface PortalDatabase {
  bytes: number
  responses: number
  migrations: number
  lastMigration: string | null
}

/**
 * What the SQLite file at `file` holds, read through a read-only connection; refuses (BackupError)
 * a file that is not a SQLite database, fails its integrity check (with `integrity`) or has no
 * migration table, as only the portal's migrations make one. `name` is what messages call it.
 */
export function inspectPortalDatabase(
  file: string,
  { integrity, name = file }: { integrity: boolean; name?: string },
): PortalDatabase {
  let sqlite: SQLite.Database | undefined
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
    if (integrity) {
      const problems = (sqlite.pragma('integrity_check') as { integrity_check: string }[])
        .map((row) => row.integrity_check)
        .filter((line) => line !== 'ok')
      if (problems.length) {
        throw new BackupError(
          `${name} is damaged (integrity check: ${problems.slice(0, 3).join('; ')}).`,
        )
      }
    }
    const tables = new Set(
      (
        sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as {
          name: string
        }[]
      ).map((row) => row.name),
    )
    if (!tables.has('kysely_migration')) {
      throw new BackupError(
        `${name} is a SQLite database, but not the portal's: it has no kysely_migration table.`,
      )
    }
    const count = (table: string) =>
      (sqlite!.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
    const last = sqlite
      .prepare('select name from kysely_migration order by name desc limit 1')
      .get() as { name: string } | undefined
    return {
      bytes: statSync(file).size,
      responses: tables.has('responses') ? count('responses') : 0,
      migrations: count('kysely_migration'),
      lastMigration: last?.name ?? null,
    }
  } catch (error) {
    const code = sqliteCode(error)
    if (code === 'SQLITE_NOTADB') throw new BackupError(`${name} is not a SQLite database.`)
    if (code?.startsWith('SQLITE_CORRUPT') && error instanceof Error) {
      throw new BackupError(`${name} is damaged (${error.message}).`)
    }
    throw error
  } finally {
    sqlite?.close()
  }
}

/** A size for people: `12.3 MB (12345678 bytes)`. */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB (${bytes} bytes)`
}

/**
 * Runs a command that takes one FILE and `--force`, printing the lines it returns. Arguments it
 * cannot use print `usage` (exit code 2); a failure prints its message (exit code 1).
 */
export function runFileCommand(
  usage: string,
  command: (file: string, options: { force: boolean }) => string[],
): void {
  let file: string | undefined
  let force = false
  try {
    const { values, positionals } = parseArgs({
      options: { force: { type: 'boolean', default: false } },
      allowPositionals: true,
    })
    if (positionals.length === 1) {
      file = positionals[0]
      force = values.force
    }
  } catch {
    // An unknown option: the usage says which there are.
  }
  if (file === undefined) {
    console.error(usage)
    process.exitCode = 2
    return
  }
  try {
    for (const line of command(file, { force })) console.log(line)
  } catch (error) {
    const code = sqliteCode(error)
    const message = error instanceof Error ? error.message : String(error)
    console.error(
      error instanceof BackupError ? message : `Failed: ${code ? `${code}: ` : ''}${message}`,
    )
    process.exitCode = 1
  }
}
