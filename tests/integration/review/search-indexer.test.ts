import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import { createConsultation, createResponse } from '#db/factories.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { searchFilePath } from '#db/search-file.ts'
import type { Database } from '#db/schema.ts'
import type { Kysely } from 'kysely'
import { parseSearch } from '#app/analysis/search-query.ts'
import { startSearchIndexer } from '#app/jobs/search-thread.server.ts'
import { listQueue } from '#app/models/review.server.ts'
import {
  catchUpSearchIndex,
  pruneSearchQueue,
  reindexAll,
  searchIndexState,
} from '#app/models/search-index.server.ts'
import { isPostgres } from '#db/postgres.ts'
import { getDb } from '#app/utils/db.server.ts'
import { loader as queueLoader } from '#app/routes/manage.rounds.$id_.responses.tsx'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

// SQLite's index is written by a thread of its own from search_queue (db/search-file.ts):
// these tests hold that to what a receipt promises. PostgreSQL indexes in the response's own
// transaction (tests/integration/review/search.test.ts runs on both).
const postgres = isPostgres(getDb())

let dir: string
let file: string
let db: Kysely<Database>

async function newRound(on: Kysely<Database>) {
  return createConsultation(on, {
    slug: `indexer-${Math.random().toString(36).slice(2, 10)}`,
    title: 'Indexer round',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'R1', title: 'Spyware' }],
  })
}

const respond = (on: Kysely<Database>, consultationId: number, controlId: number, body: string) =>
  createResponse(on, {
    consultationId,
    items: [{ controlId, position: 'support', body }],
  })

async function found(on: Kysely<Database>, consultationId: number, q: string) {
  const parsed = parseSearch(q)
  if (!parsed.ok) throw new Error(parsed.error)
  const page = await listQueue(on, { consultationId, filters: { search: parsed, sort: 'newest' } })
  return page.rows.map((r) => r.id).sort((a, b) => a - b)
}

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the indexer')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe.skipIf(postgres)('the search indexer (SQLite)', () => {
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'indexer-'))
    file = path.join(dir, 'portal.sqlite')
    db = openDatabase(file)
    await migrateToLatest(db)
    process.env.PORTAL_SEARCH_INDEXER = 'thread'
  })
  afterEach(async () => {
    delete process.env.PORTAL_SEARCH_INDEXER
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  test('keeps the index in a file of its own beside the portal, and the notes in the portal', async () => {
    expect(searchFilePath(file)).toBe(path.join(dir, 'portal-search.sqlite'))
    expect(searchFilePath('/x/y.db')).toBe('/x/y-search.sqlite')
    expect(searchFilePath('/x/data')).toBe('/x/data-search.sqlite')
    const files = await sql<{ name: string; file: string }>`pragma database_list`.execute(db)
    expect(files.rows.find((r) => r.name === 'search')?.file).toBe(searchFilePath(file))
    const inSearch = await sql<{
      name: string
    }>`select name from search.sqlite_master where name like 'response_fts%'`.execute(db)
    expect(inSearch.rows.length).toBeGreaterThan(0)
    const inPortal = await sql<{
      name: string
    }>`select name from main.sqlite_master where name like 'response_fts%'`.execute(db)
    expect(inPortal.rows).toEqual([])
  })

  test('a response is noted in its own transaction, and found once the notes are indexed', async () => {
    const round = await newRound(db)
    const control = round.controlIds[0]!
    const a = await respond(db, round.id, control, 'Export licences for intrusion software')
    const b = await respond(db, round.id, control, 'Biometric surveillance in public squares')
    // Deferred: the words wait for the indexer; the notes say so.
    expect(await found(db, round.id, 'intrusion')).toEqual([])
    expect(await searchIndexState(db)).toEqual({ pending: 2, building: null })
    expect(await catchUpSearchIndex(db)).toBe(2)
    expect(await found(db, round.id, 'intrusion')).toEqual([a.id])
    expect(await found(db, round.id, 'biometric')).toEqual([b.id])
    expect(await searchIndexState(db)).toEqual({ pending: 0, building: null })
    // Indexed notes are removed from the portal's file; none that is still pending.
    const c = await respond(db, round.id, control, 'A third response on spyware')
    expect(await pruneSearchQueue(db)).toBe(2)
    const left = await sql<{ response_id: number }>`select response_id from search_queue`.execute(
      db,
    )
    expect(left.rows.map((r) => r.response_id)).toEqual([c.id])
    expect(await catchUpSearchIndex(db)).toBe(1)
    expect(await found(db, round.id, 'spyware')).toEqual([c.id])
  })

  test('an edit is indexed to its new words, whatever order the notes come in', async () => {
    const round = await newRound(db)
    const control = round.controlIds[0]!
    const { id } = await respond(db, round.id, control, 'The old wording about cryptography')
    await catchUpSearchIndex(db)
    await db
      .updateTable('response_items')
      .set({ body: 'The new wording about interception' })
      .where('response_id', '=', id)
      .execute()
    await sql`insert into search_queue (response_id) values (${id})`.execute(db)
    expect(await found(db, round.id, 'cryptography')).toEqual([id])
    await catchUpSearchIndex(db)
    expect(await found(db, round.id, 'cryptography')).toEqual([])
    expect(await found(db, round.id, 'interception')).toEqual([id])
  })

  test('the thread indexes what the server notes, and survives being stopped mid-way', async () => {
    const round = await newRound(db)
    const control = round.controlIds[0]!
    const indexer = startSearchIndexer({ db, portalPath: file, idleMs: 20, log: () => {} })
    try {
      const ids: number[] = []
      for (let i = 0; i < 30; i++) {
        ids.push((await respond(db, round.id, control, `Submission number${i} on spyware`)).id)
      }
      await until(async () => (await found(db, round.id, 'spyware')).length === 30)
      expect(await found(db, round.id, 'number17')).toEqual([ids[17]])
    } finally {
      await indexer.stop()
    }
    // Stopped: what is noted now waits, and a new thread (a restart) takes it up.
    const late = await respond(db, round.id, control, 'Written while the indexer was stopped')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await found(db, round.id, 'stopped')).toEqual([])
    const again = startSearchIndexer({ db, portalPath: file, idleMs: 20, log: () => {} })
    try {
      await until(async () => (await found(db, round.id, 'stopped')).length === 1)
      expect(await found(db, round.id, 'stopped')).toEqual([late.id])
      await until(async () => (await searchIndexState(db)).pending === 0)
    } finally {
      await again.stop()
    }
  })

  test('the thread checkpoints the portal’s WAL while it runs, so the server’s commits need not', async () => {
    const autocheckpoint = async () =>
      Number(
        Object.values(
          (await sql<Record<string, number>>`pragma wal_autocheckpoint`.execute(db)).rows[0]!,
        )[0],
      )
    expect(await autocheckpoint()).toBe(1000)
    const indexer = startSearchIndexer({
      db,
      portalPath: file,
      idleMs: 20,
      checkpointMs: 50,
      log: () => {},
    })
    try {
      await until(async () => (await autocheckpoint()) === 0)
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
      const before = statSync(file).size
      const round = await newRound(db)
      for (let i = 0; i < 40; i++) {
        const body = `Checkpointed response ${i} on spyware. ${'Export controls matter. '.repeat(100)}`
        await respond(db, round.id, round.controlIds[0]!, body)
      }
      // The server's commits leave the pages in the WAL; the thread copies them into the
      // database file, which grows.
      await until(async () => statSync(file).size > before)
    } finally {
      await indexer.stop()
    }
    await until(async () => (await autocheckpoint()) === 1000)
  })

  test('a search file lost beside existing responses is built again from them', async () => {
    const round = await newRound(db)
    const control = round.controlIds[0]!
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await respond(db, round.id, control, `Dual-use item${i} controls`)).id)
    }
    await catchUpSearchIndex(db)
    await pruneSearchQueue(db)
    await db.destroy()
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(searchFilePath(file) + suffix, { force: true })
    db = openDatabase(file)
    // The new file knows it is behind: nothing is found until it is built.
    expect(await searchIndexState(db)).toEqual({
      pending: 0,
      building: { throughId: 0, lastId: ids[4] },
    })
    expect(await found(db, round.id, 'controls')).toEqual([])
    // A response written during the build is noted, and indexed after it.
    const during = await respond(db, round.id, control, 'Sent during the build: controls')
    expect(await catchUpSearchIndex(db)).toBeGreaterThanOrEqual(6)
    expect(await found(db, round.id, 'controls')).toEqual([...ids, during.id])
    expect(await found(db, round.id, 'item3')).toEqual([ids[3]])
    expect(await searchIndexState(db)).toEqual({ pending: 0, building: null })
    // reindexAll builds it over, to the same answers.
    expect(await reindexAll(db)).toBe(6)
    expect(await found(db, round.id, 'controls')).toEqual([...ids, during.id])
  })

  test('without an indexer thread (tools, tests), words are written at once and noted too', async () => {
    delete process.env.PORTAL_SEARCH_INDEXER
    const round = await newRound(db)
    const { id } = await respond(db, round.id, round.controlIds[0]!, 'Immediate words')
    expect(await found(db, round.id, 'immediate')).toEqual([id])
    expect((await searchIndexState(db)).pending).toBe(1)
    await catchUpSearchIndex(db)
    expect(await found(db, round.id, 'immediate')).toEqual([id])
  })

  test('the review queue says when a search cannot see every response yet', async () => {
    const server = getDb()
    const round = await newRound(server)
    const { cookie } = await signedInUser('official')
    const queue = (q: string) =>
      queueLoader({
        request: pageRequest(`/manage/rounds/${round.id}/responses?q=${q}`, { cookie }),
        params: { id: String(round.id) },
        context,
      })
    await catchUpSearchIndex(server)
    const { id } = await respond(server, round.id, round.controlIds[0]!, 'Surveillance exports')
    const behind = await queue('surveillance')
    expect(behind.rows).toEqual([])
    expect(behind.searchBehind).toEqual({ pending: 1, building: null })
    await catchUpSearchIndex(server)
    const caughtUp = await queue('surveillance')
    expect(caughtUp.rows.map((r) => r.id)).toEqual([id])
    expect(caughtUp.searchBehind).toEqual({ pending: 0, building: null })
  })
})
