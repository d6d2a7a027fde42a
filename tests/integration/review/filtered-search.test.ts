import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { parseSearch } from '#app/analysis/search-query.ts'
import { countQueue, listQueue, queueChoices } from '#app/models/review.server.ts'
import {
  denseMatches,
  indexResponse,
  matchCondition,
  matchConditionPerRow,
} from '#app/models/search-index.server.ts'
import { isPostgres } from '#db/postgres.ts'
import { getDb } from '#app/utils/db.server.ts'

function parsed(q: string) {
  const search = parseSearch(q)
  if (!search.ok) throw new Error(search.error)
  return search
}

describe('filtered searches', () => {
  test('testing rows one by one finds exactly what listing the matches finds', async () => {
    const db = getDb()
    const round = await createConsultation(db, {
      slug: `filtered-${Date.now()}`,
      title: 'Filtered',
      publishedAt: new Date().toISOString(),
      controls: [{ reference: 'R1', title: 'C' }],
    })
    const bodies = [
      'Spyware vendors must be licensed before any export.',
      'Facial recognition in public spaces chills assembly.',
      'Spyware and facial recognition both need controls.',
      'Encryption research must stay free of licences.',
      '監視技術の輸出管理には、顔認証システムも含めるべきです。',
    ]
    for (let i = 0; i < 40; i++) {
      await createResponse(db, {
        consultationId: round.id,
        respondentType: i % 3 === 0 ? 'company' : 'ngo',
        items: [{ controlId: round.controlIds[0]!, position: 'support', body: bodies[i % 5]! }],
      })
    }
    for (const q of [
      'spyware',
      'spyware -facial',
      '"facial recognition"',
      'licen*',
      '顔認証システム',
      '監視',
    ]) {
      const search = parsed(q)
      const ids = async (condition: ReturnType<typeof matchCondition>) =>
        (
          await db
            .selectFrom('responses as r')
            .where('r.consultation_id', '=', round.id)
            .where(condition as never)
            .select('r.id')
            .orderBy('r.id')
            .execute()
        ).map((r) => r.id)
      const listed = await ids(matchCondition(db, search))
      expect(listed.length, q).toBeGreaterThan(0)
      expect(await ids(matchConditionPerRow(db, search)), q).toEqual(listed)
      // The queue's count walks the index when the search is alone, lists the matches when a
      // filter may reject most of them: both count what the list finds.
      const count = (filters: object, max?: number) =>
        countQueue(db, { consultationId: round.id, filters: { search, ...filters }, max })
      expect(await count({}), q).toEqual({ count: listed.length, more: false })
      expect(await count({}, listed.length - 1), q).toEqual({
        count: listed.length - 1,
        more: true,
      })
      const companies = await db
        .selectFrom('responses')
        .where('id', 'in', listed)
        .where('respondent_type', '=', 'company')
        .select('id')
        .execute()
      expect(await count({ respondentType: 'company' }), q).toEqual({
        count: companies.length,
        more: false,
      })
    }
    // Through the queue with a filter, as an official searches.
    const page = await listQueue(db, {
      consultationId: round.id,
      filters: { search: parsed('spyware'), respondentType: 'company' },
    })
    expect(page.rows.length).toBeGreaterThan(0)
    expect(page.rows.every((r) => r.respondentType === 'company')).toBe(true)
  })

  test('a word matching most of the newest responses of a large index is dense; a rare one is not', async () => {
    const db = getDb()
    // Index rows alone, with the ids of a large round: the test reads the index only (on
    // PostgreSQL the index's foreign key to responses is dropped for it, in this file's schema).
    if (isPostgres(db)) {
      await sql`alter table response_search drop constraint response_search_response_id_fkey`.execute(
        db,
      )
    }
    const add = (id: number, body: string) => indexResponse(db, id, body)
    for (let id = 4_999_000; id < 4_999_010; id++) await add(id, 'densely repeated word')
    await add(3_000_010, 'scarcely seen word')
    await add(4_999_500, 'scarcely seen word')
    expect(await denseMatches(db, parsed('densely'), 10)).toBe(true)
    expect(await denseMatches(db, parsed('scarcely'), 2)).toBe(false)
    // Fewer matches than the sample: nothing to gain from testing rows one by one.
    expect(await denseMatches(db, parsed('densely'), 50)).toBe(false)
  })

  test("the queue's country filter offers exactly the round's countries, in order", async () => {
    const db = getDb()
    const make = (slug: string) =>
      createConsultation(db, {
        slug: `${slug}-${Date.now()}`,
        title: 'Countries',
        publishedAt: new Date().toISOString(),
        controls: [{ reference: 'R1', title: 'C' }],
      })
    const [round, other] = [await make('countries'), await make('elsewhere')]
    for (const [target, country] of [
      [round, 'NO'],
      [round, 'AU'],
      [round, 'NO'],
      [round, 'DK'],
      [other, 'US'],
      [other, 'AA'],
    ] as const) {
      await createResponse(db, {
        consultationId: target.id,
        country,
        items: [{ controlId: target.controlIds[0]!, position: 'support', body: 'Text.' }],
      })
    }
    expect((await queueChoices(db, { consultationId: round.id })).countries).toEqual([
      'AU',
      'DK',
      'NO',
    ])
    const empty = await make('empty')
    expect((await queueChoices(db, { consultationId: empty.id })).countries).toEqual([])
  })
})
