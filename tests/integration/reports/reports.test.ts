import { parse } from 'csv-parse/sync'
import { describe, expect, test, vi } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { updateCampaigns } from '#app/models/campaigns.server.ts'
import { withdrawResponse } from '#app/models/responses.server.ts'
import {
  checkStatistics,
  officialStatistics,
  recountStatistics,
  roundStatistics,
} from '#app/models/statistics.server.ts'
import { type ExportRecord, exportJson, exportRecords } from '#app/reports/exports.server.ts'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as exportAction } from '#app/routes/manage.rounds.$id_.export.ts'
import { loader as apiList } from '#app/routes/api.v1.consultations._index.ts'
import { loader as apiRound } from '#app/routes/api.v1.consultations.$slug.ts'
import {
  action as apiCommentsAction,
  loader as apiComments,
} from '#app/routes/api.v1.consultations.$slug_.comments.ts'
import { loader as apiStatistics } from '#app/routes/api.v1.consultations.$slug_.statistics.ts'
import { loader as publicReport } from '#app/routes/consultations.$slug_.report[.]pdf.ts'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { docxText, pdfText } from '#tests/helpers/documents.ts'
import { runJobsInThisFile } from '#tests/helpers/job-runner.ts'

// Reports and exports are made by jobs, as the server makes them.
runJobsInThisFile()

const SECRET = {
  email: 'hidden-contact@example.org',
  unpublished: 'UNPUBLISHED-TEXT-7f3a',
  notToPublish: 'DO-NOT-PUBLISH-TEXT-91c2',
  confidential: 'CONFIDENTIAL-TEXT-4d8e',
  justification: 'JUSTIFICATION-TEXT-aa10',
}

async function scenario() {
  const db = getDb()
  const slug = `report-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`
  const round = await createConsultation(db, {
    slug,
    title: 'Export controls on surveillance technologies',
    publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    controls: [
      {
        reference: 'Draft item 1',
        title: 'Commercial spyware',
        questions: ['Is the scope right?'],
      },
      { reference: 'Draft item 2', title: 'Facial recognition' },
    ],
  })
  const [c1, c2] = round.controlIds as [number, number]
  const made = []
  const letter =
    'We support strict licensing of spyware sales to protect journalists and defenders everywhere, now and always.'
  for (let i = 0; i < 4; i++) {
    made.push(
      await createResponse(db, {
        consultationId: round.id,
        respondentType: 'individual',
        authorName: `Signer ${i}`,
        publication: 'named',
        status: 'published',
        country: 'NO',
        contactEmail: SECRET.email,
        items: [{ controlId: c1, position: 'support', body: `${letter} Signed ${i}.` }],
      }),
    )
  }
  made.push(
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'company',
      organisation: 'Vendor AB',
      publication: 'named',
      status: 'published',
      country: 'SE',
      confidential: {
        justification: SECRET.justification,
        publicVersion: 'We ask for a narrower definition.',
      },
      items: [
        {
          controlId: c1,
          position: 'oppose',
          body: SECRET.confidential,
          answers: [{ questionId: round.questionIds[0]![0]!, answer: SECRET.confidential }],
        },
      ],
    }),
  )
  made.push(
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'ngo',
      organisation: 'Rights Watch',
      publication: 'anonymous',
      status: 'published',
      country: 'DK',
      items: [
        { controlId: c2, position: 'support_with_changes', body: 'Ban real-time identification.' },
      ],
    }),
  )
  made.push(
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'academic',
      organisation: 'Uni',
      publication: 'named',
      status: 'received',
      country: 'FI',
      items: [{ controlId: c2, position: 'no_position', body: SECRET.unpublished }],
    }),
  )
  made.push(
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'company',
      organisation: 'Quiet Ltd',
      publication: 'not_published',
      status: 'published',
      country: 'DE',
      items: [{ controlId: c2, position: 'oppose', body: SECRET.notToPublish }],
    }),
  )
  made.push(
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'other',
      publication: 'named',
      status: 'spam',
      country: 'US',
      items: [{ controlId: null, position: 'no_position', body: 'Buy followers now' }],
    }),
  )
  for (const m of made) await updateCampaigns(db, { responseId: m.id, consultationId: round.id })
  return { round: { ...round, slug }, made }
}

async function text(response: Response) {
  return new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()))
}

describe('statistics', () => {
  test('count responses by type, country, control and position, with campaigns counted both ways', async () => {
    const { round } = await scenario()
    const stats = await roundStatistics(getDb(), { consultationId: round.id })
    expect(stats.total).toBe(8) // spam left out
    expect(stats.uniqueTexts).toBe(5) // the four letters are one campaign
    expect(stats.byType.find((t) => t.key === 'individual')).toEqual({
      key: 'individual',
      count: 4,
      unique: 1,
    })
    expect(stats.byStakeholder.find((g) => g.key === 'private_sector')?.count).toBe(2)
    const spyware = stats.byControl.find((c) => c.reference === 'Draft item 1')!
    expect(spyware.positions.map((p) => [p.key, p.count, p.unique])).toEqual(
      expect.arrayContaining([
        ['support', 4, 1],
        ['oppose', 1, 1],
      ]),
    )
    const published = await roundStatistics(getDb(), {
      consultationId: round.id,
      publishedOnly: true,
    })
    expect(published.total).toBe(6)
  })
})

describe('exports', () => {
  test('the CSV opens in Excel (BOM), round-trips through a CSV parser, and holds the same rows as the database', async () => {
    const { round } = await scenario()
    const official = await signedInUser('official')
    const post = (form: Record<string, string>) =>
      exportAction({
        request: pageRequest(`/manage/rounds/${round.id}/export`, {
          cookie: official.cookie,
          form,
        }),
        params: { id: String(round.id) },
        context,
      }) as Promise<Response>
    const full = await post({ format: 'csv', full: 'yes' })
    expect(full.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await full.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(Buffer.from(bytes), { columns: true, bom: true }) as Record<string, string>[]
    const db = await getDb()
      .selectFrom('responses')
      .where('consultation_id', '=', round.id)
      .where('status', '!=', 'draft')
      .select(['id', 'country', 'status', 'contact_email'])
      .orderBy('id')
      .execute()
    expect(
      rows.map((r) => [Number(r.response_id), r.country, r.status, r.contact_email || null]),
    ).toEqual(db.map((d) => [d.id, d.country, d.status, d.contact_email]))
    expect(rows.some((r) => r['text: Draft item 1']?.includes(SECRET.confidential))).toBe(true)
    const audit = await getDb()
      .selectFrom('audit_log')
      .where('action', '=', 'export.full')
      .where('entity_id', '=', String(round.id))
      .select('actor_id')
      .execute()
    expect(audit).toEqual([{ actor_id: official.id }])

    const json = JSON.parse(await text(await post({ format: 'json' }))) as Record<string, unknown>[]
    expect(json.map((r) => r.response_id)).toEqual(
      db
        .filter((d) => d.status === 'published')
        .map((d) => d.id)
        .filter((id) => json.some((r) => r.response_id === id)),
    )
  })

  test('the export has one row per response with its answers, sorted tags, attachments and hidden text, whatever the batch size', async () => {
    const { round, made } = await scenario()
    const db = getDb()
    const now = new Date().toISOString()
    const [vendor, rights] = [made[4]!.id, made[5]!.id]
    const tagIds = []
    for (const name of ['zeta', 'Alpha', 'mid']) {
      const tag = await db
        .insertInto('tags')
        .values({ consultation_id: round.id, name, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      tagIds.push(tag.id)
    }
    await db
      .insertInto('response_tags')
      .values(
        [...tagIds, tagIds[0]!].map((tagId) => ({
          response_id: vendor,
          tag_id: tagId,
          created_at: now,
        })),
      )
      .execute()
    await db
      .insertInto('attachments')
      .values(
        [1, 2].map((n) => ({
          response_id: vendor,
          filename: `annex-${n}.pdf`,
          media_type: 'application/pdf',
          size_bytes: 3,
          sha256: 'x',
          blob_id: null,
          created_at: now,
        })),
      )
      .execute()
    const read = async (full: boolean, batchSize: number) => {
      const records: ExportRecord[] = []
      for await (const record of exportRecords(db, { consultationId: round.id, full, batchSize }))
        records.push(record)
      return records
    }
    const full = await read(true, 2000)
    // Every response that is not a draft, spam included: officials decide what it is.
    expect(full.map((r) => r.response_id)).toEqual(made.map((m) => m.id))
    const vendorRow = full.find((r) => r.response_id === vendor)!
    expect(vendorRow).toMatchObject({
      tags: 'Alpha; mid; zeta',
      attachments: 2,
      confidential: true,
      'position: Draft item 1': 'oppose',
      'text: Draft item 1': SECRET.confidential,
      'answer: Draft item 1 Q1': SECRET.confidential,
      'position: Draft item 2': null,
      contact_email: null,
      confidential_justification: SECRET.justification,
    })
    expect(full.find((r) => r.response_id === rights)).toMatchObject({
      name: 'Rights Watch',
      attachments: 0,
      tags: '',
      'position: Draft item 2': 'support_with_changes',
    })
    const published = await read(false, 2000)
    expect(published.find((r) => r.response_id === vendor)).toEqual(
      expect.objectContaining({
        public_version: 'We ask for a narrower definition.',
        'position: Draft item 1': 'oppose',
        'text: Draft item 1': null,
        'answer: Draft item 1 Q1': null,
        tags: 'Alpha; mid; zeta',
      }),
    )
    expect(published.find((r) => r.response_id === rights)?.name).toBeNull() // anonymous
    for (const batchSize of [1, 2, 3]) {
      expect(await read(true, batchSize)).toEqual(full)
      expect(await read(false, batchSize)).toEqual(published)
    }
  })

  test('the JSON export is each record as JSON.stringify writes it, and repeated references get numbered columns', async () => {
    const db = getDb()
    const round = await createConsultation(db, {
      slug: `json-${Date.now()}`,
      title: 'JSON',
      publishedAt: new Date().toISOString(),
      controls: [
        { reference: 'Item 1', title: 'A' },
        { reference: 'Item 1', title: 'B' },
      ],
    })
    const [a, b] = round.controlIds as [number, number]
    for (const body of [
      'Plain text.',
      'Quotes " and \\ backslashes, 監視技術, emoji 🛰️\nnew line',
    ]) {
      await createResponse(db, {
        consultationId: round.id,
        status: 'published',
        items: [
          { controlId: a, position: 'support', body },
          { controlId: b, position: 'oppose', body: `${body} (second)` },
        ],
      })
    }
    const records: ExportRecord[] = []
    for await (const record of exportRecords(db, { consultationId: round.id, full: false }))
      records.push(record)
    expect(Object.keys(records[0]!)).toEqual(
      expect.arrayContaining(['text: Item 1', 'text: Item 1 (2)']),
    )
    expect(records[1]!['text: Item 1 (2)']).toMatch(/\(second\)$/)
    const text = new TextDecoder().decode(
      new Uint8Array(
        await new Response(exportJson(db, { consultationId: round.id, full: false })).arrayBuffer(),
      ),
    )
    expect(text).toBe(`[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`)
  })

  test('a default export and the public API hold no email, no unpublished response, no confidential text', async () => {
    const { round } = await scenario()
    const official = await signedInUser('official')
    const bodies: string[] = []
    for (const format of ['csv', 'json']) {
      bodies.push(
        await text(
          (await exportAction({
            request: pageRequest(`/manage/rounds/${round.id}/export`, {
              cookie: official.cookie,
              form: { format },
            }),
            params: { id: String(round.id) },
            context,
          })) as Response,
        ),
      )
    }
    const slug = round.slug
    const api = [
      await apiList({ request: pageRequest('/api/v1/consultations'), params: {}, context }),
      await apiRound({
        request: pageRequest(`/api/v1/consultations/${slug}`),
        params: { slug },
        context,
      }),
      await apiComments({
        request: pageRequest(`/api/v1/consultations/${slug}/comments?limit=100`),
        params: { slug },
        context,
      }),
      await apiComments({
        request: pageRequest(`/api/v1/consultations/${slug}/comments?format=csv`),
        params: { slug },
        context,
      }),
      await apiStatistics({
        request: pageRequest(`/api/v1/consultations/${slug}/statistics`),
        params: { slug },
        context,
      }),
    ]
    for (const response of api) bodies.push(await text(response))
    const all = bodies.join('\n')
    expect(all).toContain('We ask for a narrower definition.')
    expect(all).toContain('Ban real-time identification.')
    for (const secret of Object.values(SECRET)) expect(all).not.toContain(secret)
    expect(all).not.toContain('Rights Watch') // anonymous: no organisation
    expect(all).not.toContain('Quiet Ltd')
    expect(all).not.toMatch(/@example\.org/)
  })
})

describe('summaries and the report', () => {
  test('approved summaries, the title and the statistics are in the PDF and the DOCX; drafts are not', async () => {
    const { round } = await scenario()
    const official = await signedInUser('official')
    const post = (form: Record<string, string>) =>
      analysisAction({
        request: pageRequest(`/manage/rounds/${round.id}/analysis`, {
          cookie: official.cookie,
          form,
        }),
        params: { id: String(round.id) },
        context,
      })
    await post({
      intent: 'save',
      controlId: String(round.controlIds[0]),
      tagId: '',
      body: 'Most respondents back **licensing** of spyware sales.',
    })
    await post({
      intent: 'save',
      controlId: String(round.controlIds[1]),
      tagId: '',
      body: 'DRAFT ONLY summary on facial recognition.',
    })
    const summary = await getDb()
      .selectFrom('summaries')
      .where('control_id', '=', round.controlIds[0]!)
      .select('id')
      .executeTakeFirstOrThrow()
    await post({ intent: 'approve', summaryId: String(summary.id) })

    // The old suggestion from key words is gone: suggested summaries come from themes now.
    const suggestion = (await post({
      intent: 'suggest',
      controlId: String(round.controlIds[0]),
      tagId: '',
    })) as { init: { status: number } | null }
    expect(suggestion.init?.status).toBe(400)

    const download = async (format: string) =>
      new Uint8Array(
        await (
          (await exportAction({
            request: pageRequest(`/manage/rounds/${round.id}/export`, {
              cookie: official.cookie,
              form: { format },
            }),
            params: { id: String(round.id) },
            context,
          })) as Response
        ).arrayBuffer(),
      )
    for (const [format, read] of [
      ['pdf', pdfText],
      ['docx', docxText],
    ] as const) {
      const content = (await read(await download(format))).replace(/\s+/g, ' ')
      expect(content, format).toContain('Export controls on surveillance technologies')
      expect(content, format).toContain('Most respondents back licensing of spyware sales.')
      expect(content, format).not.toContain('DRAFT ONLY')
      expect(content, format).toContain('Draft item 1')
      expect(content, format).toMatch(/Individual\s+4\s+1/)
      expect(content, format).toContain('Vendor AB')
      expect(content, format).not.toContain('Quiet Ltd')
    }

    // The public report appears only once published.
    const before = await publicReport({
      request: pageRequest(`/consultations/${round.slug}/report.pdf`),
      params: { slug: round.slug },
      context,
    }).catch((e: unknown) => e)
    expect((before as Response).status).toBe(404)
    await post({ intent: 'publish-report', publish: 'yes' })
    const published = await publicReport({
      request: pageRequest(`/consultations/${round.slug}/report.pdf`),
      params: { slug: round.slug },
      context,
    })
    expect(published.headers.get('Content-Type')).toBe('application/pdf')
    // As in production, where the public copy is kept: an approved change shows at once.
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const publicText = async () =>
        (
          await pdfText(
            new Uint8Array(
              await (
                await publicReport({
                  request: pageRequest(`/consultations/${round.slug}/report.pdf`),
                  params: { slug: round.slug },
                  context,
                })
              ).arrayBuffer(),
            ),
          )
        ).replace(/\s+/g, ' ')
      expect(await publicText()).not.toContain('Facial recognition worries NGOs most.')
      await post({
        intent: 'save',
        controlId: String(round.controlIds[1]),
        tagId: '',
        body: 'Facial recognition worries NGOs most.',
      })
      // Kept: a draft is not in the report.
      expect(await publicText()).not.toContain('Facial recognition worries NGOs most.')
      const summary = await getDb()
        .selectFrom('summaries')
        .where('consultation_id', '=', round.id)
        .where('control_id', '=', round.controlIds[1]!)
        .select('id')
        .executeTakeFirstOrThrow()
      await post({ intent: 'approve', summaryId: String(summary.id) })
      expect(await publicText()).toContain('Facial recognition worries NGOs most.')
    } finally {
      vi.unstubAllEnvs()
    }
    const actions = await getDb()
      .selectFrom('audit_log')
      .where('actor_id', '=', official.id)
      .select('action')
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action).filter((a) => a !== 'user.created')).toEqual([
      'summary.saved',
      'summary.saved',
      'summary.approved',
      'export.default',
      'job.queued',
      'export.default',
      'job.queued',
      'report.published',
      'summary.saved',
      'summary.approved',
    ])
  })
})

describe('the annex of named respondents', () => {
  test('lists names up to its limit, then says how many more there are', async () => {
    const { round } = await scenario()
    const { translatorFor } = await import('#app/i18next.server.ts')
    const { buildReportModel } = await import('#app/reports/report-model.server.ts')
    const t = await translatorFor(new Request('http://localhost/'))
    const options = { consultationId: round.id, t, locale: 'en', timeZone: 'UTC' }
    const all = await buildReportModel(getDb(), options)
    // Four signers and a company, named and published.
    expect(all.namedRespondents).toEqual([
      'Signer 0',
      'Signer 1',
      'Signer 2',
      'Signer 3',
      'Vendor AB',
    ])
    expect(all.namedMore).toBeNull()
    const capped = await buildReportModel(getDb(), { ...options, namedMax: 2 })
    expect(capped.namedRespondents).toEqual(['Signer 0', 'Signer 1'])
    expect(capped.namedMore).toContain('3 more respondents who agreed to be named')
  })
})

describe('the public API', () => {
  test('answers with CORS, pages by cursor, refuses writes and says 404 in JSON', async () => {
    const { round } = await scenario()
    const slug = round.slug
    const first = await apiComments({
      request: pageRequest(`/api/v1/consultations/${slug}/comments?limit=2`),
      params: { slug },
      context,
    })
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const page1 = (await first.json()) as {
      data: { id: number; author: string | null }[]
      next_cursor: string
    }
    expect(page1.data).toHaveLength(2)
    const second = await apiComments({
      request: pageRequest(
        `/api/v1/consultations/${slug}/comments?limit=2&cursor=${page1.next_cursor}`,
      ),
      params: { slug },
      context,
    })
    const page2 = (await second.json()) as { data: { id: number }[] }
    expect(page2.data.map((d) => d.id)).not.toContain(page1.data[0]!.id)
    const missing = await apiRound({
      request: pageRequest('/api/v1/consultations/nope'),
      params: { slug: 'nope' },
      context,
    })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      error: { status: 404, message: 'No published consultation has that slug.' },
    })
    const preflight = apiCommentsAction({
      request: new Request('http://localhost/api/v1/x', { method: 'OPTIONS' }),
      params: {},
      context,
    })
    expect(preflight.status).toBe(204)
    const write = apiCommentsAction({
      request: new Request('http://localhost/api/v1/x', { method: 'POST' }),
      params: {},
      context,
    })
    expect(write.status).toBe(405)
  })

  test('limits each client to 300 requests a minute', async () => {
    const client = { clientAddress: '203.0.113.250' }
    let last: Response | undefined
    // The clock stands still: windows are whole minutes, and 301 requests straddling the turn of
    // one would each land in a window with room.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    try {
      for (let i = 0; i < 301; i++) {
        last = await apiList({
          request: pageRequest('/api/v1/consultations'),
          params: {},
          context: client,
        }).catch((e: unknown) => e as Response)
      }
    } finally {
      vi.useRealTimers()
    }
    expect(last!.status).toBe(429)
    expect(Number(last!.headers.get('Retry-After'))).toBeGreaterThan(0)
  })
})

describe("officials' statistics", () => {
  test('are kept as responses change: never stale, and the same as a count from scratch', async () => {
    const { round } = await scenario()
    const db = getDb()
    const first = await officialStatistics(db, { consultationId: round.id })
    expect(first.total).toBe((await recountStatistics(db, { consultationId: round.id })).total)
    expect(Date.now() - Date.parse(first.countedAt)).toBeLessThan(5000)
    const late = await createResponse(db, {
      consultationId: round.id,
      respondentType: 'academic',
      organisation: 'University of Oslo',
      country: 'NO',
      items: [{ controlId: null, position: 'support', body: 'A late thought on the round.' }],
    })
    const fresh = await officialStatistics(db, { consultationId: round.id })
    expect(fresh.total).toBe(first.total + 1)
    expect(fresh.byCountry.find((c) => c.key === 'NO')?.count).toBe(
      (first.byCountry.find((c) => c.key === 'NO')?.count ?? 0) + 1,
    )
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
    await withdrawResponse(db, { responseId: late.id })
    expect((await officialStatistics(db, { consultationId: round.id })).total).toBe(first.total)
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
  })
})
