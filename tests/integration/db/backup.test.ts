import { spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import { parseWithZod } from '@conform-to/zod/v4'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, describe, expect, test } from 'vitest'
import { responseSchema } from '#app/models/response-input.ts'
import {
  type RoundForResponse,
  getRoundForResponse,
  submitResponse,
} from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { backupDatabase } from '#db/backup.ts'
import { openSqlite } from '#db/connection.ts'
import { openRound, validFields } from '#tests/helpers/responses.ts'

// Each test works in a folder of its own, so it can tell that nothing was left behind.
const root = path.resolve('tests/.tmp', `backup-${randomUUID()}`)
afterAll(() => rmSync(root, { recursive: true, force: true }))

function folder(): string {
  const dir = path.join(root, randomUUID().slice(0, 8))
  mkdirSync(dir, { recursive: true })
  return dir
}

const live = () => process.env.DATABASE_PATH!

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `db/<command>.ts` as `npm run db:<command>` does, without blocking this process. */
function run(command: 'backup' | 'restore', args: string[], databasePath: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), [`db/${command}.ts`, ...args], {
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

/** A valid response as the form's parser gives it. */
function inputFor(round: { controlIds: number[] }) {
  const form = new FormData()
  for (const [name, value] of Object.entries(validFields(round))) {
    for (const v of [value].flat()) form.append(name, v)
  }
  const submission = parseWithZod(form, {
    schema: responseSchema({ maxFiles: 10, maxFileBytes: 10_000_000 }),
  })
  if (submission.status !== 'success') throw new Error(JSON.stringify(submission.error))
  return submission.value
}

/**
 * Submissions sent without pause, `inFlight` at every moment, each receipt noted with the
 * time it was given, in the order given (the order of the commits).
 */
function keepSubmitting(opened: { controlIds: number[] }, round: RoundForResponse, inFlight = 8) {
  const receipts: { trackingNumber: string; at: number }[] = []
  const failures: unknown[] = []
  let stopped = false
  const sender = async () => {
    while (!stopped) {
      try {
        const receipt = await submitResponse(getDb(), {
          round,
          input: inputFor(opened),
          files: [],
          userId: null,
        })
        receipts.push({ trackingNumber: receipt.trackingNumber, at: Date.now() })
        // A server's next submission comes in an event of its own. One sent in the same run of
        // promise callbacks as the receipt before it is left in the queue until another arrives
        // (submitResponse clears `draining` a few callbacks after the queue is empty).
        await new Promise((resolve) => setImmediate(resolve))
      } catch (error) {
        failures.push(error)
        stopped = true
      }
    }
  }
  const senders = Array.from({ length: inFlight }, sender)
  return {
    receipts,
    failures,
    async stop() {
      stopped = true
      await Promise.all(senders)
    },
  }
}

async function until(condition: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Responses stored straight in the database, so that reading it takes a while. */
async function addEarlierResponses(count: number) {
  const { id } = await openRound()
  const now = new Date().toISOString()
  await sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into responses (consultation_id, tracking_number, edit_token_hash, respondent_type,
      organisation, country, publication, submitted_at, updated_at)
    select ${id}, 'EARLIER-' || i, hex(randomblob(32)), 'company', 'Org ' || hex(randomblob(6)),
      'DE', 'named', ${now}, ${now}
    from n
  `.execute(getDb())
}

function readOnly<T>(file: string, read: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return read(sqlite)
  } finally {
    sqlite.close()
  }
}

const integrity = (file: string) =>
  readOnly(file, (s) => s.pragma('integrity_check', { simple: true }))
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const tables = (file: string) =>
  readOnly(file, (s) =>
    (
      s.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]
    ).map((r) => r.name),
  )
const leftovers = (dir: string) => readdirSync(dir).filter((name) => /partial|-wal|-shm/.test(name))

// Each command starts tsx anew, which takes a second or two on a busy machine. SQLite's own:
// on PostgreSQL backups are the operator's pg_dump and point-in-time recovery (README).
describe.skipIf(process.env.PORTAL_TEST_ENGINE === 'postgres')(
  'npm run db:backup, then db:restore',
  { timeout: 60_000 },
  () => {
    test('a backup taken under steady submissions holds every earlier receipt, and restores whole', async () => {
      await addEarlierResponses(120_000)
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      const dir = folder()
      const file = path.join(dir, 'backup.sqlite')

      const traffic = keepSubmitting(opened, round)
      await until(() => traffic.receipts.length >= 40)
      const before = traffic.receipts.map((r) => r.trackingNumber)
      const backup = await run('backup', [file], live())
      const backupEnded = traffic.receipts.length
      await until(() => traffic.receipts.length >= backupEnded + 40)
      await traffic.stop()
      expect(traffic.failures).toEqual([])

      expect(backup.stderr).toBe('')
      expect(backup.status).toBe(0)
      expect(backup.stdout).toContain(`to ${file}`)
      const [, snapshot, read] = /snapshot +(\S+) \(UTC\), read in (\d+) ms/.exec(backup.stdout)!
      const [, printedCount] = /responses (\d+)/.exec(backup.stdout)!
      const snapshotAt = Date.parse(snapshot!)
      const readMs = Number(read)
      // Too quick a read would show nothing about writers: the earlier responses make it last.
      expect(readMs).toBeGreaterThan(150)
      // Receipts were still given in the second half of the backup's read transaction.
      const duringRead = traffic.receipts.filter(
        (r) => r.at > snapshotAt + readMs / 2 && r.at < snapshotAt + readMs,
      )
      expect(duringRead.length).toBeGreaterThan(0)

      const restored = path.join(folder(), 'portal.sqlite')
      const restore = await run('restore', [file], restored)
      expect(restore.stderr).toBe('')
      expect(restore.status).toBe(0)
      expect(integrity(restored)).toBe('ok')
      const [inRestore, total] = readOnly(restored, (s) => [
        new Set(
          (
            s
              .prepare('select tracking_number from responses where consultation_id = ?')
              .all(round.id) as { tracking_number: string }[]
          ).map((r) => r.tracking_number),
        ),
        (s.prepare('select count(*) as n from responses').get() as { n: number }).n,
      ])
      expect(before.filter((t) => !inRestore.has(t))).toEqual([])
      expect(total).toBe(Number(printedCount))
      // One moment: the receipts given up to some point, and none after it.
      const kept = traffic.receipts.map((r) => inRestore.has(r.trackingNumber))
      const cut = kept.indexOf(false)
      expect(cut).toBeGreaterThanOrEqual(before.length)
      expect(kept.slice(cut)).not.toContain(true)
      expect(inRestore.size).toBe(cut)
      // Every response arrived with its item: no half-written one in the snapshot.
      const items = readOnly(
        restored,
        (s) =>
          s
            .prepare(
              `select count(*) as n from response_items join responses r on r.id = response_id
               where r.consultation_id = ?`,
            )
            .get(round.id) as { n: number },
      )
      expect(items.n).toBe(cut)
      // And the server's own database has every receipt, the backup notwithstanding.
      const stored = await getDb()
        .selectFrom('responses')
        .where('consultation_id', '=', round.id)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(stored.n).toBe(traffic.receipts.length)
      expect(leftovers(dir)).toEqual([])
    })

    test('backup will not write over an existing file unless told to with --force', async () => {
      const dir = folder()
      const file = path.join(dir, 'backup.sqlite')
      writeFileSync(file, 'an older backup, not to be lost')
      const refused = await run('backup', [file], live())
      expect(refused.status).toBe(1)
      expect(refused.stderr).toMatch(/already exists.*--force/)
      expect(readFileSync(file, 'utf8')).toBe('an older backup, not to be lost')
      expect(readdirSync(dir)).toEqual(['backup.sqlite'])

      const forced = await run('backup', [file, '--force'], live())
      expect(forced.stderr).toBe('')
      expect(forced.status).toBe(0)
      expect(integrity(file)).toBe('ok')
      expect(tables(file)).toContain('kysely_migration')
      expect(readdirSync(dir)).toEqual(['backup.sqlite'])
    })

    test('without a file both print how to use them; backup of no database makes nothing', async () => {
      const dir = folder()
      const [backup, restore, missing] = await Promise.all([
        run('backup', [], live()),
        run('restore', [], live()),
        run('backup', [path.join(dir, 'backup.sqlite')], path.join(dir, 'none.sqlite')),
      ])
      expect(backup.status).toBe(2)
      expect(backup.stderr).toMatch(/^Usage: npm run db:backup -- FILE/)
      expect(restore.status).toBe(2)
      expect(restore.stderr).toMatch(/^Usage: npm run db:restore -- FILE/)
      expect(missing.status).toBe(1)
      expect(missing.stderr).toMatch(/There is no database at .*none\.sqlite/)
      expect(readdirSync(dir)).toEqual([])
    })

    test('restore replaces a database only with --force, and never one another process has open', async () => {
      const dir = folder()
      const backup = path.join(dir, 'backup.sqlite')
      backupDatabase(live(), backup)
      const target = path.join(dir, 'portal.sqlite')
      copyFileSync(backup, target)
      const written = openSqlite(target)
      written.exec('create table written_after_the_backup (x)')
      written.close()
      const original = hash(target)

      const refused = await run('restore', [backup], target)
      expect(refused.status).toBe(1)
      expect(refused.stderr).toMatch(/already exists/)
      expect(refused.stderr).toMatch(/Stop the server first/)
      expect(refused.stderr).toMatch(/with --force/)
      expect(hash(target)).toBe(original)

      // As the server holds it: opened with the portal's pragmas, and read.
      const server = openSqlite(target)
      try {
        server.prepare('select count(*) from responses').get()
        const whileOpen = await run('restore', [backup, '--force'], target)
        expect(whileOpen.status).toBe(1)
        expect(whileOpen.stderr).toMatch(/open in another process/)
        expect(hash(target)).toBe(original)
        expect(server.prepare('select count(*) as n from written_after_the_backup').get()).toEqual({
          n: 0,
        })
      } finally {
        server.close()
      }

      const forced = await run('restore', [backup, '--force'], target)
      expect(forced.stderr).toBe('')
      expect(forced.status).toBe(0)
      expect(forced.stdout).toMatch(/replaced/)
      expect(hash(target)).toBe(hash(backup))
      expect(tables(target)).not.toContain('written_after_the_backup')
      expect(readdirSync(dir).sort()).toEqual(['backup.sqlite', 'portal.sqlite'])
    })

    test('restore replaces a damaged database, unless a process may still have it open', async () => {
      const dir = folder()
      const backup = path.join(dir, 'backup.sqlite')
      backupDatabase(live(), backup)
      const target = path.join(dir, 'portal.sqlite')
      copyFileSync(backup, target)
      // A server still running on a database whose first page was destroyed under it: SQLite
      // reads that page before it asks for a lock, so the lock cannot tell.
      const server = openSqlite(target)
      try {
        server.prepare('select count(*) from responses').get()
        const fd = openSync(target, 'r+')
        writeSync(fd, randomBytes(4096), 0, 4096, 0)
        closeSync(fd)
        const refused = await run('restore', [backup, '--force'], target)
        expect(refused.status).toBe(1)
        expect(refused.stderr).toMatch(/not a readable database.*cannot be told/)
        expect(existsSync(`${target}-wal`)).toBe(true)
      } finally {
        server.close()
      }
      const damaged = hash(target)
      expect(damaged).not.toBe(hash(backup))

      const restore = await run('restore', [backup, '--force'], target)
      expect(restore.stderr).toBe('')
      expect(restore.status).toBe(0)
      expect(hash(target)).toBe(hash(backup))
      expect(readdirSync(dir).sort()).toEqual(['backup.sqlite', 'portal.sqlite'])
    })

    test('restore removes a log left at the target by an earlier database, unread', async () => {
      const dir = folder()
      const backup = path.join(dir, 'backup.sqlite')
      backupDatabase(live(), backup)
      const target = path.join(dir, 'portal.sqlite')
      // A log whose commits never reached its database: read beside the restored file, its pages
      // would be taken for the restored database's own.
      const earlier = openSqlite(path.join(dir, 'earlier.sqlite'), { search: false })
      earlier.pragma('wal_autocheckpoint = 0')
      earlier.exec(
        'create table from_an_earlier_database (x); insert into from_an_earlier_database values (1)',
      )
      copyFileSync(path.join(dir, 'earlier.sqlite-wal'), `${target}-wal`)
      earlier.close()
      rmSync(path.join(dir, 'earlier.sqlite'))

      const restore = await run('restore', [backup], target)
      expect(restore.stderr).toBe('')
      expect(restore.status).toBe(0)
      expect(readdirSync(dir).sort()).toEqual(['backup.sqlite', 'portal.sqlite'])
      expect(integrity(target)).toBe('ok')
      expect(tables(target)).toContain('responses')
      expect(tables(target)).not.toContain('from_an_earlier_database')
    })

    test('restore refuses what is not a portal backup, and leaves the database as it was', async () => {
      const dir = folder()
      const good = path.join(dir, 'good.sqlite')
      backupDatabase(live(), good)
      const targetDir = folder()
      const target = path.join(targetDir, 'portal.sqlite')
      copyFileSync(good, target)
      const original = hash(target)

      const bad = (name: string) => path.join(dir, name)
      writeFileSync(bad('random.sqlite'), randomBytes(64 * 1024))
      writeFileSync(bad('empty.sqlite'), '')
      const other = new Database(bad('other.sqlite'))
      other.exec('create table notes (body text)')
      other.close()
      // Random bytes over the page of the rounds' table, which nothing but the check reads.
      const [pageSize, page] = readOnly(good, (s) => [
        s.pragma('page_size', { simple: true }) as number,
        (
          s.prepare(`select rootpage from sqlite_master where name = 'consultations'`).get() as {
            rootpage: number
          }
        ).rootpage,
      ])
      const damaged = readFileSync(good)
      randomBytes(pageSize).copy(damaged, (page - 1) * pageSize)
      writeFileSync(bad('damaged.sqlite'), damaged)
      // A database in use, its last commits still in its log.
      copyFileSync(good, bad('in-use.sqlite'))
      const inUse = openSqlite(bad('in-use.sqlite'))
      try {
        inUse.exec('create table only_in_the_log (x)')
        const results = await Promise.all(
          ['random', 'empty', 'other', 'damaged', 'in-use'].map((name) =>
            run('restore', [bad(`${name}.sqlite`), '--force'], target),
          ),
        )
        const [random, empty, notOurs, broken, live] = results
        expect(random!.stderr).toMatch(/random\.sqlite is not a SQLite database/)
        expect(empty!.stderr).toMatch(/empty\.sqlite is a SQLite database, but not the portal's/)
        expect(notOurs!.stderr).toMatch(/other\.sqlite is a SQLite database, but not the portal's/)
        expect(broken!.stderr).toMatch(/damaged\.sqlite is damaged/)
        expect(live!.stderr).toMatch(/in-use\.sqlite has a write-ahead log beside it/)
        for (const result of results) {
          expect(result.status).toBe(1)
          expect(result.stdout).toBe('')
        }
      } finally {
        inUse.close()
      }
      expect(hash(target)).toBe(original)
      expect(readdirSync(targetDir)).toEqual(['portal.sqlite'])
      expect(leftovers(dir)).toEqual([])
    })
  },
)
