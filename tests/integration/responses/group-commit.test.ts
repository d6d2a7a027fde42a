import { parseWithZod } from '@conform-to/zod/v4'
import { campaignOf } from '#app/models/campaigns.server.ts'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { createResponse } from '#db/factories.ts'
import { openPostgres } from '#db/postgres.ts'
import { responseSchema } from '#app/models/response-input.ts'
import { getRoundForResponse, submitResponse } from '#app/models/responses.server.ts'
import { type DB, getDb } from '#app/utils/db.server.ts'
import { openRound, validFields } from '#tests/helpers/responses.ts'

// SQLite writes the submissions that arrive together in one transaction (group commit);
// PostgreSQL writes each in a short transaction of its own, side by side. What a sender sees is
// the same on both: each response stored once, with its own receipt, or the first one's.
const postgres = process.env.PORTAL_TEST_ENGINE === 'postgres'
const sqliteOnly = 'SQLite only: PostgreSQL has no group queue'
const postgresOnly = 'PostgreSQL only: SQLite has one writer, in one server'

/** A valid response as the form's parser gives it. */
function inputFor(round: { controlIds: number[] }, overrides: Record<string, string> = {}) {
  const form = new FormData()
  for (const [name, value] of Object.entries(validFields(round, overrides))) {
    for (const v of [value].flat()) form.append(name, v)
  }
  const submission = parseWithZod(form, {
    schema: responseSchema({ maxFiles: 10, maxFileBytes: 10_000_000 }),
  })
  if (submission.status !== 'success') throw new Error(JSON.stringify(submission.error))
  return submission.value
}

async function stored(keys: string[]) {
  const rows = await getDb()
    .selectFrom('responses')
    .where('idempotency_key', 'in', keys)
    .select(['id', 'idempotency_key', 'tracking_number'])
    .execute()
  return Promise.all(
    rows.map(async (r) => ({ ...r, cluster_id: await campaignOf(getDb(), { responseId: r.id }) })),
  )
}

/** `db` with its transactions counted, and the most of them under way at once. */
function countingTransactions(db: DB) {
  const counts = { transactions: 0, active: 0, mostAtOnce: 0 }
  const counting = new Proxy(db, {
    get(target, property) {
      if (property === 'transaction') {
        return () => {
          const builder = target.transaction()
          return {
            async execute<T>(work: Parameters<typeof builder.execute<T>>[0]): Promise<T> {
              counts.transactions++
              counts.active++
              counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.active)
              try {
                return await builder.execute(work)
              } finally {
                counts.active--
              }
            },
          }
        }
      }
      const value = Reflect.get(target, property, target) as unknown
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  return { counting, counts }
}

describe('submissions sent at the same moment', () => {
  test.skipIf(postgres)(
    `one sent just as a group finishes is written, not left waiting for the next (${sqliteOnly})`,
    async () => {
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      await submitResponse(getDb(), { round, input: inputFor(opened), files: [], userId: null })
      // Sent in the promise callbacks right after the first group's; it once found the queue
      // still marked as draining, with nothing left to drain it.
      const second = submitResponse(getDb(), {
        round,
        input: inputFor(opened),
        files: [],
        userId: null,
      })
      const outcome = await Promise.race([
        second.then(() => 'written'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 3 s'), 3000)),
      ])
      expect(outcome).toBe('written')
    },
  )

  test('are all stored, each with its own receipt', async () => {
    const opened = await openRound()
    const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
    const inputs = Array.from({ length: 40 }, () => inputFor(opened))
    const receipts = await Promise.all(
      inputs.map((input) => submitResponse(getDb(), { round, input, files: [], userId: null })),
    )
    expect(receipts.every((r) => r.created)).toBe(true)
    expect(new Set(receipts.map((r) => r.trackingNumber)).size).toBe(40)
    const rows = await stored(inputs.map((i) => i.submissionKey))
    expect(rows).toHaveLength(40)
    for (const [i, input] of inputs.entries()) {
      expect(rows.find((r) => r.idempotency_key === input.submissionKey)?.tracking_number).toBe(
        receipts[i]!.trackingNumber,
      )
    }
  })

  test.skipIf(postgres)(
    `that arrive in the same turn of the event loop share transactions of about 20 ms each (${sqliteOnly})`,
    async () => {
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      const { counting, counts } = countingTransactions(getDb())
      const inputs = Array.from({ length: 12 }, () => inputFor(opened))
      const receipts = await Promise.all(
        inputs.map((input) => submitResponse(counting, { round, input, files: [], userId: null })),
      )
      expect(receipts.every((r) => r.created)).toBe(true)
      // Grouped, but each group's transaction commits after about 20 ms (GROUP_BUDGET_MS), so
      // that the requests waiting behind it are not held: a few transactions, not one each.
      expect(counts.transactions).toBeGreaterThanOrEqual(1)
      expect(counts.transactions).toBeLessThanOrEqual(6)
      expect(await stored(inputs.map((i) => i.submissionKey))).toHaveLength(12)
    },
  )

  test.skipIf(!postgres)(
    `are each a short transaction of their own, side by side through the pool (${postgresOnly})`,
    async () => {
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      const { counting, counts } = countingTransactions(getDb())
      const inputs = Array.from({ length: 12 }, () => inputFor(opened))
      const receipts = await Promise.all(
        inputs.map((input) => submitResponse(counting, { round, input, files: [], userId: null })),
      )
      expect(receipts.every((r) => r.created)).toBe(true)
      expect(counts.transactions).toBe(12)
      // No queue in front of them: several were under way at once.
      expect(counts.mostAtOnce).toBeGreaterThan(1)
      expect(await stored(inputs.map((i) => i.submissionKey))).toHaveLength(12)
    },
  )

  test('a failing one is rolled back alone, and its sender gets the error', async () => {
    const opened = await openRound()
    const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
    const good = Array.from({ length: 5 }, () => inputFor(opened))
    const bad = inputFor(opened)
    const results = await Promise.allSettled([
      ...good
        .slice(0, 2)
        .map((input) => submitResponse(getDb(), { round, input, files: [], userId: null })),
      // A round that does not exist: the foreign key refuses the response.
      submitResponse(getDb(), {
        round: { ...round, id: 987_654 },
        input: bad,
        files: [],
        userId: null,
      }),
      ...good
        .slice(2)
        .map((input) => submitResponse(getDb(), { round, input, files: [], userId: null })),
    ])
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ])
    expect(await stored(good.map((i) => i.submissionKey))).toHaveLength(5)
    expect(await stored([bad.submissionKey])).toHaveLength(0)
    const items = await getDb()
      .selectFrom('response_items')
      .innerJoin('responses', 'responses.id', 'response_items.response_id')
      .where('responses.consultation_id', '=', 987_654)
      .select('response_items.id')
      .execute()
    expect(items).toEqual([])
  })

  test('the same form sent twice at once is stored once, with one receipt for both', async () => {
    const opened = await openRound()
    const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
    const input = inputFor(opened)
    const [first, second] = await Promise.all([
      submitResponse(getDb(), { round, input, files: [], userId: null }),
      submitResponse(getDb(), { round, input, files: [], userId: null }),
    ])
    expect(first!.trackingNumber).toBe(second!.trackingNumber)
    expect([first!.created, second!.created].sort()).toEqual([false, true])
    expect(await stored([input.submissionKey])).toHaveLength(1)
  })

  test('copies of one letter sent at once form one campaign', async () => {
    const opened = await openRound()
    const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
    // The same text in each: written side by side without seeing each other, the copies would
    // find no campaign, or each open one of its own.
    const inputs = Array.from({ length: 12 }, () => inputFor(opened))
    await Promise.all(
      inputs.map((input) => submitResponse(getDb(), { round, input, files: [], userId: null })),
    )
    const rows = await stored(inputs.map((i) => i.submissionKey))
    const clusters = new Set(rows.map((r) => r.cluster_id))
    expect(clusters.size).toBe(1)
    const [clusterId] = [...clusters]
    expect(clusterId).not.toBeNull()
    const cluster = await getDb()
      .selectFrom('campaign_clusters')
      .where('id', '=', clusterId!)
      .select('size')
      .executeTakeFirstOrThrow()
    expect(cluster.size).toBe(12)
  })

  test.skipIf(!postgres)(
    `the same forms sent to two servers at once are each stored once (${postgresOnly})`,
    async () => {
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      // Another server: a pool of its own on the same database.
      const other = openPostgres(process.env.DATABASE_URL!, { max: 5 })
      try {
        const inputs = Array.from({ length: 10 }, () => inputFor(opened))
        const pairs = await Promise.all(
          inputs.map((input) =>
            Promise.all(
              [getDb(), other].map((db) =>
                submitResponse(db, { round, input, files: [], userId: null }),
              ),
            ),
          ),
        )
        const rows = await stored(inputs.map((i) => i.submissionKey))
        expect(rows).toHaveLength(10)
        for (const [i, [here, there]] of pairs.entries()) {
          expect(here!.trackingNumber).toBe(there!.trackingNumber)
          expect([here!.created, there!.created].sort()).toEqual([false, true])
          expect(here!.editToken).toBe(there!.editToken)
          expect(
            rows.find((r) => r.idempotency_key === inputs[i]!.submissionKey)?.tracking_number,
          ).toBe(here!.trackingNumber)
        }
      } finally {
        await other.destroy()
      }
    },
  )

  test.skipIf(!postgres)(
    `a key stored by another server after the check, before the insert, gives its receipt (${postgresOnly})`,
    async () => {
      const opened = await openRound()
      const round = (await getRoundForResponse(getDb(), { slug: opened.slug }))!
      const input = inputFor(opened)
      const other = openPostgres(process.env.DATABASE_URL!, { max: 1 })
      try {
        // The other server has stored the key and not yet committed: this one's check finds
        // nothing, and its insert waits on the unique index until the other commits.
        let release!: () => void
        const released = new Promise<void>((resolve) => (release = resolve))
        let otherPid = 0
        let markStored!: () => void
        const keyStored = new Promise<void>((resolve) => (markStored = resolve))
        const first = other.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
          otherPid = rows[0]!.pid
          const response = await createResponse(trx, { consultationId: opened.id, items: [] })
          await trx
            .updateTable('responses')
            .set({ idempotency_key: input.submissionKey })
            .where('id', '=', response.id)
            .execute()
          markStored()
          await released
          return response
        })
        await keyStored
        const second = submitResponse(getDb(), { round, input, files: [], userId: null })
        // Wait until this server's insert is blocked by the other's transaction.
        for (let waited = 0; ; waited += 10) {
          const { rows } = await sql<{ n: number }>`
            select count(*) as n from pg_stat_activity
            where ${otherPid}::integer = any(pg_blocking_pids(pid))`.execute(getDb())
          if (Number(rows[0]!.n) > 0) break
          if (waited > 10_000) throw new Error('the second insert never waited for the first')
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        release()
        const stored1 = await first
        const receipt = await second
        expect(receipt.created).toBe(false)
        expect(receipt.trackingNumber).toBe(stored1.trackingNumber)
        expect(await stored([input.submissionKey])).toHaveLength(1)
      } finally {
        await other.destroy()
      }
    },
  )
})
