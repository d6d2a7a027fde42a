import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, test } from 'vitest'
import { responseSchema } from '#app/models/response-input.ts'
import { getRoundForResponse, submitResponse } from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { openRound, validFields } from '#tests/helpers/responses.ts'

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
  return getDb()
    .selectFrom('responses')
    .where('idempotency_key', 'in', keys)
    .select(['idempotency_key', 'tracking_number'])
    .execute()
}

describe('submissions sent at the same moment', () => {
  test('one sent just as a group finishes is written, not left waiting for the next', async () => {
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
  })

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

  test('that arrive in the same turn of the event loop share one transaction', async () => {
    const opened = await openRound()
    const base = getDb()
    const round = (await getRoundForResponse(base, { slug: opened.slug }))!
    let transactions = 0
    const counting = new Proxy(base, {
      get(target, property) {
        if (property === 'transaction') {
          return () => {
            transactions++
            return target.transaction()
          }
        }
        const value = Reflect.get(target, property, target) as unknown
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
    const inputs = Array.from({ length: 12 }, () => inputFor(opened))
    const receipts = await Promise.all(
      inputs.map((input) => submitResponse(counting, { round, input, files: [], userId: null })),
    )
    expect(receipts.every((r) => r.created)).toBe(true)
    expect(transactions).toBe(1)
    expect(await stored(inputs.map((i) => i.submissionKey))).toHaveLength(12)
  })

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
})
