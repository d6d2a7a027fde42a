import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { parseSearch } from '#app/analysis/search-query.ts'
import { listQueue } from '#app/models/review.server.ts'
import {
  MARK_END,
  MARK_START,
  expandPrefixes,
  indexResponse,
  reindexAll,
} from '#app/models/search-index.server.ts'
import { loader as queueLoader } from '#app/routes/manage.rounds.$id_.responses.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { isPostgres } from '#db/postgres.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

const corpus = [
  'Commercial spyware is sold to governments that target journalists. Spyware vendors must be licensed.',
  'The definition of intrusion software should exclude penetration testing tools used by defenders.',
  'La biométrie faciale dans les espaces publics menace la liberté de réunion.',
  'Zero-click exploits show why spyware, spyware brokers and spyware-as-a-service need one control.',
  '監視技術の輸出管理には、顔認証システムも含めるべきです。',
  '얼굴 인식 기술의 수출 통제가 필요합니다.',
  'Licensing delays harm small companies; licence processing times must be published.',
]

async function seedCorpus() {
  const db = getDb()
  const slug = `search-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`
  const round = await createConsultation(db, {
    slug,
    title: 'Search corpus',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'R1', title: 'C' }],
  })
  const ids: number[] = []
  for (const [i, body] of corpus.entries()) {
    const r = await createResponse(db, {
      consultationId: round.id,
      submittedAt: new Date(Date.UTC(2027, 0, 1 + i)).toISOString(),
      items: [{ controlId: round.controlIds[0]!, position: 'support', body }],
    })
    ids.push(r.id)
  }
  return { round, ids }
}

async function search(consultationId: number, q: string, sort: 'newest' | 'relevance' = 'newest') {
  const parsed = parseSearch(q)
  if (!parsed.ok) throw new Error(parsed.error)
  const page = await listQueue(getDb(), { consultationId, filters: { search: parsed, sort } })
  return page.rows
}

describe('full-text search of responses', () => {
  test('finds words, phrases and prefixes, folds accents and case, and searches CJK text', async () => {
    const { round, ids } = await seedCorpus()
    const idsOf = async (q: string) =>
      (await search(round.id, q)).map((r) => r.id).sort((a, b) => a - b)
    expect(await idsOf('SPYWARE')).toEqual([ids[0], ids[3]])
    expect(await idsOf('"penetration testing"')).toEqual([ids[1]])
    expect(await idsOf('"testing penetration"')).toEqual([])
    expect(await idsOf('licen*')).toEqual([ids[0], ids[6]])
    expect(await idsOf('biometrie liberte')).toEqual([ids[2]])
    expect(await idsOf('spyware -journalists')).toEqual([ids[3]])
    expect(await idsOf('顔認証システム')).toEqual([ids[4]])
    expect(await idsOf('얼굴')).toEqual([ids[5]])
  })

  test('a prefix finds every word it begins, accents and case folded, with snippets', async () => {
    const { round, ids } = await seedCorpus()
    const idsOf = async (q: string) =>
      (await search(round.id, q)).map((r) => r.id).sort((a, b) => a - b)
    // Expanded through the index's vocabulary into the words it begins, searched lazily.
    const parsed = parseSearch('Licen*')
    if (!parsed.ok) throw new Error(parsed.error)
    // On PostgreSQL the GIN index answers a prefix itself.
    expect((await expandPrefixes(getDb(), parsed)).fts).toBe(
      isPostgres(getDb()) ? parsed.fts : '("licence" OR "licensed" OR "licensing")',
    )
    expect(await idsOf('Licen*')).toEqual([ids[0], ids[6]])
    expect(await idsOf('BIOMÉ*')).toEqual([ids[2]])
    expect(await idsOf('spyware -journ*')).toEqual([ids[3]])
    expect(await idsOf('nothingbeginslikethis*')).toEqual([])
    const [row] = await search(round.id, 'process*')
    expect(row?.snippet).toContain(`${MARK_START}processing${MARK_END}`)
    // A prefix the tokenizer would split is searched as FTS5 reads it.
    expect(await idsOf('spyware-as*')).toEqual([ids[3]])
  })

  test("each response's snippet is its own", async () => {
    const { round, ids } = await seedCorpus()
    const rows = await search(round.id, 'spyware')
    const snippetOf = (id: number | undefined) => rows.find((r) => r.id === id)?.snippet ?? ''
    expect(snippetOf(ids[0])).toContain('journalists')
    expect(snippetOf(ids[0])).not.toContain('Zero-click')
    expect(snippetOf(ids[3])).toContain('Zero-click')
    expect(snippetOf(ids[3])).not.toContain('journalists')
  })

  test('ranks by bm25 when asked, and highlights the matches in a snippet', async () => {
    const { round, ids } = await seedCorpus()
    const ranked = await search(round.id, 'spyware', 'relevance')
    expect(ranked.map((r) => r.id)).toEqual([ids[3], ids[0]])
    const snippet = ranked[0]!.snippet!
    expect(snippet).toContain(`${MARK_START}spyware${MARK_END}`)
    // Newest first is the default.
    expect((await search(round.id, 'spyware')).map((r) => r.id)).toEqual([ids[3], ids[0]])
    expect((await search(round.id, 'licensed')).map((r) => r.id)).toEqual([ids[0]])
  })

  test('an index rebuilt in batches finds what the index written with each response found', async () => {
    const { round, ids } = await seedCorpus()
    const queries = [
      'spyware',
      '"penetration testing"',
      'licen*',
      'biometrie',
      '顔認証システム',
      '얼굴',
    ]
    const results = async () => {
      const found: Record<string, (string | null)[]> = {}
      for (const q of queries) {
        found[q] = (await search(round.id, q)).map((r) => `${r.id}:${r.snippet}`)
      }
      return found
    }
    const before = await results()
    expect(before['spyware']).toHaveLength(2)
    // Emptied first, so that only the rebuild can find anything.
    const db = getDb()
    for (const id of ids) await indexResponse(db, id, '')
    expect((await search(round.id, 'spyware')).length).toBe(0)
    expect(await reindexAll(db)).toBeGreaterThanOrEqual(ids.length)
    expect(await results()).toEqual(before)
  })

  test('malformed search syntax gets a message, never an error', async () => {
    const { round } = await seedCorpus()
    const { cookie } = await signedInUser('official')
    for (const q of ['"unclosed', 'NEAR(', '*', 'AND OR NOT', '-x']) {
      const page = await queueLoader({
        request: pageRequest(`/manage/rounds/${round.id}/responses?q=${encodeURIComponent(q)}`, {
          cookie,
        }),
        params: { id: String(round.id) },
        context,
      })
      expect(page.searchError, q).toMatch(/^review\.searchError\./)
      expect(page.rows).toEqual([])
    }
    const fine = await queueLoader({
      request: pageRequest(
        `/manage/rounds/${round.id}/responses?q=${encodeURIComponent('spyware) OR (')}`,
        { cookie },
      ),
      params: { id: String(round.id) },
      context,
    })
    expect(fine.searchError).toBeNull()
  })
})
