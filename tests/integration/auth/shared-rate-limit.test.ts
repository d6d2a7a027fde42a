import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { openPostgres } from '#db/postgres.ts'
import { type RateLimit, hitSharedRateLimit } from '#app/auth/rate-limit.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// The limits on hot paths (responses, API reads): in the database on PostgreSQL, which several
// servers share; in memory on SQLite, which has one server.
const postgres = process.env.PORTAL_TEST_ENGINE === 'postgres'

const rule = (limit: number): RateLimit => ({
  scope: `test-${randomUUID()}`,
  limit,
  windowMs: 3_600_000,
})

async function rowsOf(scope: string) {
  return getDb()
    .selectFrom('rate_limits')
    .where('scope', '=', scope)
    .select(['key_hash', 'count'])
    .execute()
}

describe('hitSharedRateLimit', () => {
  test('counts each hit and refuses those beyond the limit, per client', async () => {
    const limit = rule(3)
    const states = []
    for (let i = 0; i < 5; i++) states.push(await hitSharedRateLimit(getDb(), limit, '192.0.2.7'))
    expect(states.map((s) => s.count)).toEqual([1, 2, 3, 4, 5])
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false, false])
    expect(states[0]!.resetAt).toBeGreaterThan(Date.now())
    // Another client has its own count.
    expect(await hitSharedRateLimit(getDb(), limit, '192.0.2.8')).toMatchObject({
      allowed: true,
      count: 1,
    })
  })

  test.skipIf(postgres)('on SQLite, counts in memory: nothing is written', async () => {
    const limit = rule(3)
    await hitSharedRateLimit(getDb(), limit, '192.0.2.7')
    expect(await rowsOf(limit.scope)).toEqual([])
  })

  test.skipIf(!postgres)(
    'on PostgreSQL, two servers count together, under a keyed hash of the client',
    async () => {
      const limit = rule(4)
      // Another server: a pool of its own on the same database.
      const other = openPostgres(process.env.DATABASE_URL!, { max: 2 })
      try {
        const seen = []
        for (const db of [getDb(), other, getDb(), other, other]) {
          seen.push(await hitSharedRateLimit(db, limit, '198.51.100.3'))
        }
        expect(seen.map((s) => s.allowed)).toEqual([true, true, true, true, false])
        const rows = await rowsOf(limit.scope)
        expect(rows).toHaveLength(1)
        expect(rows[0]!.count).toBe(5)
        expect(rows[0]!.key_hash).not.toContain('198.51.100.3')
      } finally {
        await other.destroy()
      }
    },
  )

  test.skipIf(!postgres)('on PostgreSQL, hits at the same moment all count', async () => {
    const limit = rule(20)
    const other = openPostgres(process.env.DATABASE_URL!, { max: 5 })
    try {
      const states = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          hitSharedRateLimit(i % 2 ? other : getDb(), limit, '198.51.100.4'),
        ),
      )
      expect(states.map((s) => s.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, i) => i + 1),
      )
      expect(states.filter((s) => s.allowed)).toHaveLength(20)
    } finally {
      await other.destroy()
    }
  })
})
