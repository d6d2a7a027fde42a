import { spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { claimBlobs, readBlob, stageBytes } from '#app/models/file-store.server.ts'
import { openDatabase } from '#db/connection.ts'
import { type CopyReport, copyDatabase, main } from '#db/copy.ts'
import { createResponse, createUser } from '#db/factories.ts'
import { migrateToLatest, migrationProvider } from '#db/migrate.ts'
import { openPostgres } from '#db/postgres.ts'
import { type Database, schemaSpec } from '#db/schema.ts'
import { seedIfEmpty } from '#db/seed.ts'

type DB = Kysely<Database>

// The copy's source is an SQLite file of each test's own (a copy of one seeded here once), its
// target a PostgreSQL database of its own: Kysely's Migrator looks for kysely_migration in every
// schema of a database, so a fresh schema beside another migrated one would be taken for
// migrated already.
const serverUrl = process.env.TEST_DATABASE_URL
const onSqliteProject = process.env.PORTAL_TEST_ENGINE !== 'postgres'
const root = path.resolve('tests/.tmp', `copy-${randomUUID()}`)
const template = path.join(root, 'template.sqlite')
const tables = Object.keys(schemaSpec).sort()
const opened: DB[] = []
const databases: string[] = []

/** Each table's row count. */
async function counts(db: DB): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const table of tables) {
    const { rows } = await sql<{
      n: number
    }>`select count(*) as n from ${sql.table(table)}`.execute(db)
    result[table] = Number(rows[0]!.n)
  }
  return result
}

function output() {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } }
}

/** A row in every table, files with real bytes (two pieces), a nested tag, a campaign. */
async function seedEverything(db: DB) {
  await seedIfEmpty(db)
  const round = await db
    .selectFrom('consultations')
    .innerJoin('controls', 'controls.consultation_id', 'consultations.id')
    .select(['consultations.id', 'controls.id as controlId'])
    .orderBy('consultations.id')
    .executeTakeFirstOrThrow()
  const response = await db
    .selectFrom('responses')
    .innerJoin('response_items', 'response_items.response_id', 'responses.id')
    .where('responses.consultation_id', '=', round.id)
    .select(['responses.id', 'response_items.id as itemId', 'response_items.body'])
    .orderBy('responses.id')
    .executeTakeFirstOrThrow()
  const official = await db
    .selectFrom('users')
    .where('role', '=', 'official')
    .select('id')
    .executeTakeFirstOrThrow()
  const now = new Date().toISOString()
  // Texts that an array literal or a careless copy would change: quotes, backslashes, braces,
  // the word NULL, an empty string (not null), lines and characters beyond ASCII.
  await createResponse(db, {
    consultationId: round.id,
    organisation: 'Quote " back \\ slash {brace}, comma; NULL',
    authorName: '',
    contactName: 'NULL',
    country: 'NO',
    items: [
      {
        controlId: round.controlId,
        position: 'support_with_changes',
        body: 'Line one\nLine two\t«Ærø» 監視技術 🛰️',
      },
    ],
  })

  const bytes = randomBytes(700_000)
  const file = await stageBytes(db, { bytes, consultationId: round.id })
  const pdf = Buffer.from('%PDF-1.4\n% a supporting document\n%%EOF\n')
  const document = await stageBytes(db, { bytes: pdf })
  await claimBlobs(db, [file.id, document.id])
  await db
    .insertInto('attachments')
    .values({
      response_id: response.id,
      filename: 'evidence.bin',
      media_type: 'application/octet-stream',
      size_bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      blob_id: file.id,
      confidential: 1,
      created_at: now,
    })
    .execute()
  await db
    .insertInto('consultation_documents')
    .values({
      consultation_id: round.id,
      title: 'Impact assessment',
      filename: 'impact.pdf',
      media_type: 'application/pdf',
      size_bytes: pdf.byteLength,
      sha256: document.sha256,
      blob_id: document.id,
      created_by: official.id,
      created_at: now,
    })
    .execute()

  // The child is written first: its parent comes after it in key order.
  const tag = (name: string) =>
    db
      .insertInto('tags')
      .values({
        consultation_id: round.id,
        parent_id: null,
        name,
        shortcut: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const child = await tag('Encryption exemptions')
  const parent = await tag('Exemptions')
  await db.updateTable('tags').set({ parent_id: parent.id }).where('id', '=', child.id).execute()
  await db
    .insertInto('response_tags')
    .values({
      response_id: response.id,
      tag_id: child.id,
      item_id: response.itemId,
      excerpt_start: 0,
      excerpt_end: 10,
      quote: response.body.slice(0, 10),
      created_by: official.id,
      created_at: now,
    })
    .execute()
  // A theme of the control accepted as the child tag, with its member (a key of three columns).
  const theme = await db
    .insertInto('themes')
    .values({
      consultation_id: round.id,
      control_id: round.controlId,
      scope_tag_id: null,
      state: 'accepted',
      language: 'en',
      name: 'Encryption exemptions',
      summary: JSON.stringify({ key: 'en-1', phrases: ['encryption', 'exemption'], quotes: [] }),
      centre: JSON.stringify({ terms: ['encrypt'], weights: [1] }),
      tag_id: child.id,
      members_job_id: 1,
      sort_order: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('theme_members')
    .values({ theme_id: theme.id, job_id: 1, response_id: response.id, tagged: 1 })
    .execute()
  await db
    .insertInto('summaries')
    .values({
      consultation_id: round.id,
      control_id: round.controlId,
      tag_id: parent.id,
      body: 'Respondents asked for a research exemption.',
      state: 'approved',
      author_id: official.id,
      approved_by: official.id,
      approved_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await db
    .insertInto('response_notes')
    .values({
      response_id: response.id,
      author_id: official.id,
      body: 'Call back',
      created_at: now,
    })
    .execute()
  await db
    .insertInto('response_drafts')
    .values({
      user_id: official.id,
      consultation_id: round.id,
      data: JSON.stringify({ organisation: 'Draft Ltd' }),
      created_at: now,
      updated_at: now,
    })
    .execute()
  await db
    .insertInto('sessions')
    .values({
      id: randomBytes(32).toString('hex'),
      user_id: official.id,
      created_at: now,
      last_seen_at: now,
      expires_at: now,
      user_agent: 'vitest',
    })
    .execute()
  await db
    .insertInto('rate_limits')
    .values([
      { scope: 'sign-in', key_hash: 'a1b2', window_start: Date.now(), count: 3 },
      { scope: 'submit', key_hash: 'c3d4', window_start: Date.now(), count: 1 },
    ])
    .execute()
  await recordAudit(db, {
    actor: { id: official.id, role: 'official' },
    action: 'tag.create',
    entityType: 'tag',
    entityId: parent.id,
    after: { name: 'Exemptions' },
  })
  // A finished export job with its file, and a response noted for a rebuild under way.
  const { job } = await enqueueJob(db, {
    kind: 'responses.export',
    consultationId: round.id,
    actor: { id: official.id, role: 'official' },
    payload: { format: 'csv', full: false },
  })
  const exported = await stageBytes(db, {
    bytes: new TextEncoder().encode('id,text\n1,"a, b"\n'),
  })
  await claimBlobs(db, [exported.id])
  await db
    .insertInto('job_outputs')
    .values({
      job_id: job.id,
      blob_id: exported.id,
      filename: 'round-responses.csv',
      media_type: 'text/csv; charset=utf-8',
      size_bytes: exported.size,
      created_at: now,
    })
    .execute()
  await db
    .insertInto('campaign_pending')
    .values({ consultation_id: round.id, response_id: response.id })
    .execute()
  return { roundId: round.id, controlId: round.controlId }
}

let seeded: { roundId: number; controlId: number }

/** A copy of the seeded database, for one test to change as it likes. */
function source(): { file: string; db: DB } {
  const file = path.join(root, `source-${randomUUID().slice(0, 8)}.sqlite`)
  copyFileSync(template, file)
  const db = openDatabase(file)
  opened.push(db)
  return { file, db }
}

async function onServer(database: string, statement: string): Promise<void> {
  const url = new URL(serverUrl!)
  url.pathname = `/${database}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** An empty PostgreSQL database with the extensions the migrations use. */
async function target(): Promise<{ url: string; db: DB }> {
  const name = `copy_${randomUUID().replace(/-/g, '')}`
  const server = new URL(serverUrl!).pathname.slice(1) || 'postgres'
  await onServer(server, `create database ${name}`)
  databases.push(name)
  await onServer(name, 'create extension if not exists unaccent')
  await onServer(name, 'create extension if not exists pg_trgm')
  const url = new URL(serverUrl!)
  url.pathname = `/${name}`
  const db = openPostgres(url.toString(), { max: 2 })
  opened.push(db)
  return { url: url.toString(), db }
}

/** Runs `npm run db:copy` as a person would. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['db/copy.ts', ...args], {
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

function byTable(report: CopyReport) {
  return Object.fromEntries(report.tables.map((t) => [t.table, t]))
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true })
  if (!onSqliteProject) return
  const db = openDatabase(template)
  try {
    await migrateToLatest(db)
    seeded = await seedEverything(db)
  } finally {
    // Closing folds the WAL into the file, which the tests then copy.
    await db.destroy()
  }
})

afterAll(async () => {
  for (const db of opened) await db.destroy()
  for (const name of databases) {
    await onServer('postgres', `drop database if exists ${name} with (force)`)
  }
  rmSync(root, { recursive: true, force: true })
})

describe.skipIf(!serverUrl || !onSqliteProject)('npm run db:copy, to PostgreSQL', () => {
  test('copies every table, parents first, with equal counts, checksums and file bytes', async () => {
    const from = source()
    const to = await target()
    const before = await counts(from.db)
    // The seed reaches every table, so each one's copy is tested.
    expect(Object.entries(before).filter(([, n]) => n === 0)).toEqual([])

    const report = await copyDatabase({ from: from.file, to: to.url, batchRows: 7 })

    expect(report.ok).toBe(true)
    expect([...report.order].sort()).toEqual(tables)
    expect(report.targetOnly).toEqual(['response_search'])
    // Every foreign key SQLite knows of points at a table copied before.
    for (const table of tables) {
      const { rows } = await sql<{
        table: string
      }>`select "table" from pragma_foreign_key_list(${table})`.execute(from.db)
      for (const { table: parent } of rows) {
        if (parent === table) continue
        expect(report.order.indexOf(parent), `${parent} before ${table}`).toBeLessThan(
          report.order.indexOf(table),
        )
      }
    }
    expect(await counts(to.db)).toEqual(before)
    expect(report.checks.map((c) => [c.table, c.source.rows, c.ok])).toEqual(
      report.order.map((t) => [t, before[t], true]),
    )
    expect(report.checks.every((c) => c.source.checksum === c.target.checksum)).toBe(true)

    // Read back without the copy's own code: the same rows, flags and all.
    for (const table of [
      'users',
      'responses',
      'response_items',
      'tags',
      'audit_log',
      'attachments',
    ] as const) {
      const read = (db: DB) => db.selectFrom(table).selectAll().orderBy('id').execute()
      expect(await read(to.db)).toEqual(await read(from.db))
    }
    const attachment = await to.db
      .selectFrom('attachments')
      .select(['blob_id', 'sha256', 'size_bytes'])
      .executeTakeFirstOrThrow()
    const copied = Buffer.from(await readBlob(to.db, attachment.blob_id!))
    expect(copied.byteLength).toBe(attachment.size_bytes)
    expect(copied.byteLength).toBeGreaterThan(512 * 1024)
    expect(copied.equals(Buffer.from(await readBlob(from.db, attachment.blob_id!)))).toBe(true)
    expect(createHash('sha256').update(copied).digest('hex')).toBe(attachment.sha256)
    const signature = (db: DB) =>
      db.selectFrom('response_signatures').select('signature').orderBy('response_id').execute()
    expect((await signature(to.db)).map((r) => Buffer.isBuffer(r.signature))).not.toContain(false)
    expect(await signature(to.db)).toEqual(await signature(from.db))

    expect(report.searchIndex).toEqual({ ok: true, responses: before.responses })
    const indexed = await sql<{ n: number }>`select count(*) as n from response_search`.execute(
      to.db,
    )
    expect(Number(indexed.rows[0]!.n)).toBe(before.responses)
  })

  test('a second run duplicates nothing, and brings what the source gained or changed', async () => {
    const from = source()
    const to = await target()
    await copyDatabase({ from: from.file, to: to.url })
    const first = await counts(to.db)

    const again = await copyDatabase({ from: from.file, to: to.url })
    expect(again.ok).toBe(true)
    expect(await counts(to.db)).toEqual(first)
    expect(again.tables.filter((t) => t.inserted || t.updated)).toEqual([])

    const added = await createResponse(from.db, {
      consultationId: seeded.roundId,
      organisation: 'Late Arrivals GmbH',
      items: [{ controlId: seeded.controlId, position: 'oppose', body: 'Added after the copy.' }],
    })
    await from.db
      .updateTable('consultations')
      .set({ title: 'Renamed since the copy', late_comments_allowed: 1 })
      .where('id', '=', seeded.roundId)
      .execute()
    await recordAudit(from.db, {
      actor: null,
      action: 'consultation.update',
      entityType: 'consultation',
      entityId: seeded.roundId,
      after: { title: 'Renamed since the copy' },
    })

    const third = await copyDatabase({ from: from.file, to: to.url, batchRows: 5 })
    expect(third.ok).toBe(true)
    const rows = byTable(third)
    expect(rows.responses).toMatchObject({ inserted: 1, updated: 0 })
    expect(rows.response_items).toMatchObject({ inserted: 1, updated: 0 })
    expect(rows.consultations).toMatchObject({ inserted: 0, updated: 1 })
    expect(rows.audit_log).toMatchObject({ inserted: 1, updated: 0 })
    expect(await counts(to.db)).toEqual(await counts(from.db))
    expect(await counts(to.db)).toMatchObject({
      responses: first.responses! + 1,
      audit_log: first.audit_log! + 1,
    })
    const round = await to.db
      .selectFrom('consultations')
      .where('id', '=', seeded.roundId)
      .select(['title', 'late_comments_allowed'])
      .executeTakeFirstOrThrow()
    expect(round).toEqual({ title: 'Renamed since the copy', late_comments_allowed: 1 })
    const arrived = await to.db
      .selectFrom('responses')
      .where('id', '=', added.id)
      .select('organisation')
      .executeTakeFirst()
    expect(arrived).toEqual({ organisation: 'Late Arrivals GmbH' })
  })

  test('rows written to PostgreSQL after the copy get fresh ids', async () => {
    const from = source()
    const to = await target()
    await copyDatabase({ from: from.file, to: to.url })
    const largest = async (table: 'users' | 'audit_log' | 'tags') => {
      const row = await from.db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
      return Number(row.id)
    }

    const user = await createUser(to.db, {
      email: 'new-on-postgres@example.org',
      displayName: 'New',
      password: 'a-long-enough-password',
    })
    expect(user).toBe((await largest('users')) + 1)
    await recordAudit(to.db, {
      actor: null,
      action: 'user.create',
      entityType: 'user',
      entityId: user,
    })
    const audit = await to.db
      .selectFrom('audit_log')
      .where('action', '=', 'user.create')
      .select('id')
      .executeTakeFirstOrThrow()
    expect(audit.id).toBe((await largest('audit_log')) + 1)
    const now = new Date().toISOString()
    const tag = await to.db
      .insertInto('tags')
      .values({ consultation_id: seeded.roundId, name: 'New', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(tag.id).toBe((await largest('tags')) + 1)
  })

  test('rows deleted from the source are reported, and removed with --prune', async () => {
    const from = source()
    const to = await target()
    await copyDatabase({ from: from.file, to: to.url })
    const gone = await from.db
      .selectFrom('responses')
      .innerJoin('attachments', 'attachments.response_id', 'responses.id')
      .select('responses.id')
      .executeTakeFirstOrThrow()
    await from.db.deleteFrom('responses').where('id', '=', gone.id).execute()
    await from.db.deleteFrom('sessions').execute()
    await from.db.deleteFrom('rate_limits').where('scope', '=', 'submit').execute()

    const { out, err, io } = output()
    const args = ['--from', `sqlite:${from.file}`, '--to', to.url]
    expect(await main(args, io)).toBe(1)
    const differ = ['responses', 'sessions', 'rate_limits', 'attachments', 'response_items']
    for (const table of differ) {
      expect(out.find((line) => line.startsWith(`${table} `))).toMatch(/DIFFERS/)
    }
    expect(out.find((line) => line.startsWith('users '))).toMatch(/ ok$/)
    expect(err.join('\n')).toMatch(/--prune/)
    expect((await counts(to.db)).responses).toBe((await counts(from.db)).responses! + 1)

    const pruned = await copyDatabase({ from: from.file, to: to.url, prune: true })
    expect(pruned.ok).toBe(true)
    expect(byTable(pruned)).toMatchObject({
      responses: { pruned: 1 },
      sessions: { pruned: 1 },
      rate_limits: { pruned: 1 },
      users: { pruned: 0 },
    })
    expect(await counts(to.db)).toEqual(await counts(from.db))
    const left = await to.db.selectFrom('rate_limits').select(['scope', 'key_hash']).execute()
    expect(left).toEqual([{ scope: 'sign-in', key_hash: 'a1b2' }])
  })

  test('the command line copies, verifies and prints a table of the tables', async () => {
    const from = source()
    const to = await target()
    const run = await cli(['--from', `sqlite:${from.file}`, '--to', to.url, '--batch-rows', '50'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^table +rows +checksum +ok$/m)
    expect(run.stdout).toMatch(/^responses +51 +[0-9a-f]{16} +ok$/m)
    expect(run.stdout).toMatch(/Every table matches\./)
    expect(await counts(to.db)).toEqual(await counts(from.db))

    const check = await main(['--from', from.file, '--to', to.url, '--verify-only'], output().io)
    expect(check).toBe(0)
  })
})

describe.skipIf(!onSqliteProject)('npm run db:copy refuses', () => {
  const url = 'postgres://postgres@127.0.0.1:1/nowhere'

  test('arguments it does not know, or lacks, with the usage and exit code 1', async () => {
    for (const args of [
      ['--bogus'],
      [],
      ['--from', 'sqlite:x.sqlite'],
      ['--from', 'x.sqlite', '--to', url, 'extra'],
      ['--from', 'x.sqlite', '--to', url, '--batch-rows', '0'],
      ['--from', 'x.sqlite', '--to', url, '--prune', '--verify-only'],
    ]) {
      const { out, err, io } = output()
      expect(await main(args, io), args.join(' ')).toBe(1)
      expect(err.join('\n')).toMatch(/Usage: npm run db:copy/)
      expect(out).toEqual([])
    }
    const { out, io } = output()
    expect(await main(['--help'], io)).toBe(0)
    expect(out.join('\n')).toMatch(/--prune/)
  })

  test('a wrong file or URL, a source not migrated to the latest, a server not there', async () => {
    const refusal = async (from: string, to: string) => {
      const { err, io } = output()
      expect(await main(['--from', from, '--to', to], io)).toBe(1)
      return err.join('\n')
    }
    const notThere = path.join(root, 'missing.sqlite')
    expect(await refusal(`sqlite:${notThere}`, url)).toMatch(/There is no SQLite file/)
    expect(await refusal(`sqlite:${template}`, 'mysql://root@localhost/portal')).toMatch(
      /postgres:\/\//,
    )
    expect(await refusal(url, url)).toMatch(/--from must be an SQLite file/)
    const text = path.join(root, 'notes.txt')
    writeFileSync(text, 'not a database at all, but long enough to have a header '.repeat(20))
    expect(await refusal(text, url)).toMatch(/not a SQLite database/)

    const behind = path.join(root, `behind-${randomUUID().slice(0, 8)}.sqlite`)
    const db = openDatabase(behind)
    try {
      const names = Object.keys(await migrationProvider.getMigrations()).sort()
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(
        names[names.length - 2]!,
      )
      expect(error).toBeUndefined()
    } finally {
      await db.destroy()
    }
    expect(await refusal(behind, url)).toMatch(
      /not this code's latest: 1 migration\(s\) not yet run/,
    )

    const fresh = path.join(root, `fresh-${randomUUID().slice(0, 8)}.sqlite`)
    const current = openDatabase(fresh)
    try {
      await migrateToLatest(current)
    } finally {
      await current.destroy()
    }
    expect(await refusal(`sqlite:${fresh}`, url)).toMatch(/Cannot connect to postgres:\/\//)
  })

  test('bad arguments on the real command line, exit code 1', async () => {
    const run = await cli(['--from', 'sqlite:x.sqlite', '--to', 'postgres://x', '--nope'])
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/Unknown option '--nope'/)
    expect(run.stdout).toBe('')
  })
})
