import { sql } from 'kysely'
import { describe, expect, test, vi } from 'vitest'
import { isPostgres } from '#db/postgres.ts'
import { indexResponse, mergeSearchIndex } from '#app/models/search-index.server.ts'
import { startSearchMerger } from '#app/server/search-merger.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// SQLite's FTS5 no longer merges its segments in the statement that writes (at a million
// responses that held a submission up to 200 ms): the server merges them in small steps
// between requests. PostgreSQL's GIN index needs no such step.
const onPostgres = process.env.PORTAL_TEST_ENGINE === 'postgres'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The segments of response_fts: each write's own, until they are merged. */
async function segments(): Promise<number> {
  const { rows } = await sql<{
    n: number
  }>`select count(distinct segid) as n from response_fts_idx`.execute(getDb())
  return Number(rows[0]!.n)
}

let nextId = 1_000_000
/** `count` responses indexed each in a transaction of its own, as submissions are. */
async function indexSeparately(count: number, word: string) {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const id = nextId++
    ids.push(id)
    await getDb()
      .transaction()
      .execute((trx) =>
        indexResponse(trx, id, `${word} response number ${id} about export controls`),
      )
  }
  return ids
}

async function matches(word: string): Promise<number> {
  const { rows } = await sql<{
    n: number
  }>`select count(*) as n from response_fts where response_fts match ${word}`.execute(getDb())
  return Number(rows[0]!.n)
}

describe('merging the search index', () => {
  test.runIf(onPostgres)('PostgreSQL has no step to take', async () => {
    expect(isPostgres(getDb())).toBe(true)
    expect(await mergeSearchIndex(getDb(), 4)).toBe(false)
  })

  test.skipIf(onPostgres)(
    'FTS5 merges nothing as it writes: both tables leave it to the server',
    async () => {
      for (const table of ['response_fts_config', 'response_fts_cjk_config']) {
        const { rows } = await sql<{
          v: number
        }>`select v from ${sql.table(table)} where k = 'automerge'`.execute(getDb())
        expect(rows).toEqual([{ v: 0 }])
      }
    },
  )

  test.skipIf(onPostgres)(
    'steps merge the segments that separate writes leave, until none is left to do, and search finds every response',
    async () => {
      const ids = await indexSeparately(200, 'alpha')
      const before = await segments()
      // The writes left segments of their own, which FTS5 merges only once a level fills.
      expect(before).toBeGreaterThan(2)
      let steps = 0
      while (await mergeSearchIndex(getDb(), 4)) {
        steps++
        if (steps > 10_000) throw new Error('the merging never ended')
      }
      expect(steps).toBeGreaterThan(0)
      const after = await segments()
      expect(after).toBeLessThan(before)
      expect(await matches('alpha')).toBe(ids.length)
      // Nothing more to do: a step now reports so.
      expect(await mergeSearchIndex(getDb(), 4)).toBe(false)
    },
  )

  test.skipIf(onPostgres)('the server merges in the background, and stops when told', async () => {
    const ids = await indexSeparately(200, 'bravo')
    const before = await segments()
    expect(before).toBeGreaterThan(2)
    const merger = startSearchMerger(getDb(), { idleMs: 5 })
    try {
      for (let waited = 0; (await segments()) >= before; waited += 20) {
        if (waited > 10_000) throw new Error(`still ${await segments()} segments`)
        await sleep(20)
      }
    } finally {
      await merger.stop()
    }
    expect(await matches('bravo')).toBe(ids.length)
    // Stopped: new segments stay as they are.
    await indexSeparately(40, 'charlie')
    const left = await segments()
    await sleep(100)
    expect(await segments()).toBe(left)
  })

  test.skipIf(onPostgres)('a step that fails is logged, and the merger goes on', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let failed = 0
    const merger = startSearchMerger(getDb(), {
      idleMs: 5,
      step: (db, pages) =>
        failed++ < 2 ? Promise.reject(new Error('disk I/O error')) : mergeSearchIndex(db, pages),
    })
    try {
      await indexSeparately(100, 'delta')
      const before = await segments()
      for (let waited = 0; (await segments()) >= before; waited += 20) {
        if (waited > 10_000) throw new Error('the merger stopped after its failure')
        await sleep(20)
      }
      expect(error.mock.calls.flat().join(' ')).toMatch(/Merging the search index failed/)
      expect(failed).toBeGreaterThan(2)
    } finally {
      await merger.stop()
      error.mockRestore()
    }
  })
})
