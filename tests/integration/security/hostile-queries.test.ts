// Every address that reads its query string, given hostile parameters (fast-check): the open-data
// API's, the search boxes (the public list of rounds and the officials' queue), the queue's
// filters and cursors, the published responses' pages, the audit log's filters, and odd slugs and
// ids in the path. Every case must be answered below 500, an API refusal says why in JSON, and
// the portal still answers its health check.
import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { createResponse } from '#db/factories.ts'
import { loader as auditLoader } from '#app/routes/admin.audit.tsx'
import { loader as apiRound } from '#app/routes/api.v1.consultations.$slug.ts'
import { loader as apiComments } from '#app/routes/api.v1.consultations.$slug_.comments.ts'
import { loader as apiStatistics } from '#app/routes/api.v1.consultations.$slug_.statistics.ts'
import { loader as publishedLoader } from '#app/routes/consultations.$slug_.responses.tsx'
import { loader as roundsLoader } from '#app/routes/consultations._index.tsx'
import { loader as healthz } from '#app/routes/healthz.ts'
import { loader as campaignsLoader } from '#app/routes/manage.rounds.$id_.campaigns.tsx'
import { loader as queueLoader } from '#app/routes/manage.rounds.$id_.responses.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { signedInUser } from '#tests/helpers/auth.ts'
import { answer, hostileText } from '#tests/helpers/hostile.ts'
import { openRound } from '#tests/helpers/responses.ts'

const CASES = 150

/** A query value: hostile text, or a value the parameter could almost take. */
const value = fc.oneof(
  hostileText.map((t) => t.slice(0, 3000)),
  fc.constantFrom('0', '-1', '101', '1e3', '20.5', 'csv', 'json', 'CSV', 'yes', 'no', 'relevance'),
  fc.string({ unit: fc.constantFrom('A', 'z', '0', '-', '_', '=', '+', '/', '|'), maxLength: 300 }),
  // A cursor of this portal's own shape, with a made-up payload.
  fc
    .tuple(fc.string({ maxLength: 40 }), fc.integer())
    .map(([time, id]) => Buffer.from(`${time}|${id}`).toString('base64url')),
)

const query = (names: string[]) =>
  fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...names),
        hostileText.map((t) => t.slice(0, 50)),
      ),
      value,
    ),
    {
      maxLength: 8,
    },
  )

function url(path: string, pairs: [string, string][]) {
  const search = new URLSearchParams()
  for (const [k, v] of pairs) search.append(k, v)
  return `http://localhost${path}?${search}`
}

let round: Awaited<ReturnType<typeof openRound>>
let official: Awaited<ReturnType<typeof signedInUser>>
let admin: Awaited<ReturnType<typeof signedInUser>>
const context = () => ({ clientAddress: `198.18.3.${Math.floor(Math.random() * 250)}` })

beforeAll(async () => {
  round = await openRound()
  official = await signedInUser('official')
  admin = await signedInUser('admin')
  for (let i = 0; i < 5; i++) {
    await createResponse(getDb(), {
      consultationId: round.id,
      status: 'published',
      items: [
        { controlId: round.controlIds[0]!, position: 'support', body: `Published text ${i}` },
      ],
    })
  }
})

async function check(run: () => Promise<unknown>, { api = false } = {}) {
  const outcome = await answer(run)
  expect(outcome.status, JSON.stringify(outcome.body).slice(0, 300)).toBeLessThan(500)
  if (api && outcome.status >= 400) {
    const error = (outcome.body as { error?: { status?: number; message?: string } }).error
    expect(error?.status).toBe(outcome.status)
    expect(error?.message?.length).toBeGreaterThan(0)
  }
  return outcome
}

describe('query strings, given hostile parameters', { timeout: 120_000 }, () => {
  test(`the open-data API (${CASES} cases for each of its three round addresses)`, async () => {
    const slug = () =>
      fc.oneof(
        fc.constant(round.slug),
        hostileText.map((t) => t.slice(0, 300)),
      )
    await fc.assert(
      fc.asyncProperty(slug(), query(['limit', 'cursor', 'format']), async (s, pairs) => {
        // A URL carries UTF-8: a lone surrogate arrives as U+FFFD.
        const path = `/api/v1/consultations/${encodeURIComponent(Buffer.from(s).toString())}`
        for (const [loader, suffix] of [
          [apiComments, '/comments'],
          [apiStatistics, '/statistics'],
          [apiRound, ''],
        ] as const) {
          const out = await check(
            async () => {
              const result = await loader({
                request: new Request(url(`${path}${suffix}`, pairs)),
                params: { slug: s },
                context: context(),
              })
              // A streamed CSV is read to its end, as a client would.
              if (
                result instanceof Response &&
                result.headers.get('content-type')?.startsWith('text/csv')
              ) {
                return new Response(await result.arrayBuffer(), { status: result.status })
              }
              return result
            },
            { api: true },
          )
          if (
            s === round.slug &&
            suffix === '/comments' &&
            out.status === 200 &&
            typeof out.body === 'object'
          ) {
            expect(Array.isArray((out.body as { data: unknown[] }).data)).toBe(true)
          }
        }
      }),
      { numRuns: CASES },
    )
  })

  test('a bad parameter of the API is a 400 that names it', async () => {
    for (const [pairs, named] of [
      [[['limit', '0']], 'limit'],
      [[['limit', 'lots']], 'limit'],
      [[['format', 'xml']], 'format'],
      [[['cursor', '<script>']], 'cursor'],
    ] as [[string, string][], string][]) {
      const out = await check(
        () =>
          apiComments({
            request: new Request(url(`/api/v1/consultations/${round.slug}/comments`, pairs)),
            params: { slug: round.slug },
            context: context(),
          }),
        { api: true },
      )
      expect(out.status).toBe(400)
      expect((out.body as { error: { message: string } }).error.message).toContain(named)
    }
  })

  test(`the public search box, filters and pages (${CASES} cases each)`, async () => {
    await fc.assert(
      fc.asyncProperty(query(['q', 'status', 'commitment', 'after', 'lng']), async (pairs) => {
        await check(() =>
          roundsLoader({
            request: new Request(url('/consultations', pairs)),
            params: {},
            context: context(),
          }),
        )
        await check(() =>
          publishedLoader({
            request: new Request(url(`/consultations/${round.slug}/responses`, pairs)),
            params: { slug: round.slug },
            context: context(),
          }),
        )
      }),
      { numRuns: CASES },
    )
  })

  test(`the officials' queue: search, every filter, order and cursor (${CASES} cases)`, async () => {
    const names = [
      'q',
      'sort',
      'status',
      'type',
      'country',
      'control',
      'position',
      'tag',
      'cluster',
      'late',
      'confidential',
      'attachments',
      'after',
      'page',
    ]
    await fc.assert(
      fc.asyncProperty(query(names), async (pairs) => {
        const headers = { Cookie: official.cookie }
        await check(() =>
          queueLoader({
            request: new Request(url(`/manage/rounds/${round.id}/responses`, pairs), { headers }),
            params: { id: String(round.id) },
            context: context(),
          }),
        )
        await check(() =>
          campaignsLoader({
            request: new Request(url(`/manage/rounds/${round.id}/campaigns`, pairs), { headers }),
            params: { id: String(round.id) },
            context: context(),
          }),
        )
      }),
      { numRuns: CASES },
    )
  })

  test(`the audit log's filters (${CASES} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(query(['action', 'entity', 'actor', 'before']), async (pairs) => {
        await check(() =>
          auditLoader({
            request: new Request(url('/admin/audit', pairs), { headers: { Cookie: admin.cookie } }),
            params: {},
            context: context(),
          }),
        )
      }),
      { numRuns: CASES },
    )
    expect((await answer(() => healthz())).status).toBe(200)
  })
})
