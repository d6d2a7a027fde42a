import { afterEach, describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { configureExportPool, exportPool } from '#app/reports/export-pool.server.ts'
import { exportCsv, exportJson } from '#app/reports/exports.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

// The export workers must write exactly what the server's own thread writes, in order,
// whatever order their batches finish in.

const loader = new URL('../../helpers/ts-worker.mjs', import.meta.url)
const worker = new URL('../../../app/reports/export-worker.server.ts', import.meta.url).href

function startWorkers(size: number, entry = worker, idleMs?: number) {
  return configureExportPool({
    file: loader,
    database: getEnv().DATABASE_PATH,
    size,
    workerData: { entry },
    idleMs,
  })
}

afterEach(() => {
  configureExportPool(null)
})

const bytes = async (stream: ReadableStream<Uint8Array>) =>
  Buffer.from(await new Response(stream).arrayBuffer())

const AWKWARD = [
  'Plain text.',
  'Commas, "quotes" and\nnew lines\r\nof all kinds',
  '=HYPERLINK("http://evil.example")',
  'Überwachung, Gesichtserkennung — 監視技術の輸出管理 🙂',
  '',
]

async function round() {
  const db = getDb()
  const created = await createConsultation(db, {
    slug: `pool-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: 'Export controls on intrusion software',
    publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
    controls: [
      { reference: 'Item 1', title: 'Intrusion software', questions: ['Scope?', 'Cost?'] },
      { reference: 'Item 2', title: 'Facial recognition' },
    ],
  })
  const [c1, c2] = created.controlIds as [number, number]
  const [q1, q2] = created.questionIds[0] as [number, number]
  for (let i = 0; i < 23; i++) {
    const text = AWKWARD[i % AWKWARD.length]!
    await createResponse(db, {
      consultationId: created.id,
      respondentType: i % 3 ? 'ngo' : 'individual',
      organisation: i % 3 ? `Org, "${i}"` : null,
      authorName: i % 3 ? null : `Person ${i}`,
      publication: i % 4 === 3 ? 'not_published' : i % 2 ? 'named' : 'anonymous',
      status: i % 5 === 4 ? 'received' : 'published',
      contactEmail: `person${i}@example.org`,
      confidential:
        i % 6 === 1 ? { justification: 'Trade secret', publicVersion: `Public ${i}` } : null,
      items: [
        { controlId: null, position: 'support', body: `${text} (round ${i})` },
        {
          controlId: i % 2 ? c1 : c2,
          position: 'oppose',
          body: text,
          answers: i % 2 ? [{ questionId: i % 4 === 1 ? q1 : q2, answer: `Answer, ${i}` }] : [],
        },
      ],
    })
  }
  return created.id
}

describe('exports through the export workers', () => {
  test('CSV and JSON, public and full, are byte for byte those written in-thread', async () => {
    const consultationId = await round()
    for (const full of [false, true]) {
      const csv = await bytes(exportCsv(getDb(), { consultationId, full, batchSize: 3 }))
      const json = await bytes(exportJson(getDb(), { consultationId, full, batchSize: 3 }))
      expect(csv.toString('utf8')).toContain('Item 1')
      expect(JSON.parse(json.toString('utf8'))).toHaveLength(full ? 23 : 15)
      startWorkers(2)
      // Batches of three over two workers: eight batches, finishing in any order.
      expect(await bytes(exportCsv(getDb(), { consultationId, full, batchSize: 3 }))).toEqual(csv)
      expect(await bytes(exportJson(getDb(), { consultationId, full, batchSize: 3 }))).toEqual(json)
      // The workers' own batch size.
      expect(await bytes(exportCsv(getDb(), { consultationId, full }))).toEqual(csv)
      configureExportPool(null)
    }
  })

  test('an empty export is the same through the workers', async () => {
    const db = getDb()
    const { id } = await createConsultation(db, { slug: `empty-${Date.now()}`, title: 'Empty' })
    const csv = await bytes(exportCsv(db, { consultationId: id, full: true }))
    const json = await bytes(exportJson(db, { consultationId: id, full: true }))
    startWorkers(2)
    expect(await bytes(exportCsv(db, { consultationId: id, full: true }))).toEqual(csv)
    expect((await bytes(exportJson(db, { consultationId: id, full: true }))).toString()).toBe(
      json.toString(),
    )
    expect(json.toString()).toBe('[\n\n]\n')
  })

  test('a worker that cannot start fails the download instead of hanging it', async () => {
    const consultationId = await round()
    startWorkers(1, new URL('./no-such-worker.ts', worker).href)
    await expect(bytes(exportCsv(getDb(), { consultationId, full: true }))).rejects.toThrow()
  })

  test('idle workers stop, and the next export starts them again', async () => {
    const consultationId = await round()
    const expected = await bytes(exportCsv(getDb(), { consultationId, full: false }))
    const pool = startWorkers(2, worker, 50)!
    const options = { consultationId, full: false, batchSize: 3 }
    expect(await bytes(exportCsv(getDb(), options))).toEqual(expected)
    expect(pool.threads).toBe(2)
    await expect.poll(() => pool.threads, { timeout: 2000 }).toBe(0)
    expect(await bytes(exportCsv(getDb(), options))).toEqual(expected)
    expect(exportPool()).toBe(pool)
  })
})
