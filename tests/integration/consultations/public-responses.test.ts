import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { loader as responsesLoader } from '#app/routes/consultations.$slug_.responses.tsx'
import { loader as roundLoader } from '#app/routes/consultations.$slug.tsx'
import { loader as listLoader } from '#app/routes/consultations._index.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest } from '#tests/helpers/auth.ts'

const day = 86_400_000
const iso = (d: number) => new Date(Date.now() + d * day).toISOString()

describe('published responses on public pages', () => {
  test('honour each publication choice and confidentiality, and page by keyset', async () => {
    const db = getDb()
    const slug = 'public-responses-round'
    const round = await createConsultation(db, {
      slug,
      title: 'Public responses round',
      publishedAt: iso(-10),
      opensAt: iso(-10),
      closesAt: iso(10),
      controls: [
        { reference: 'Draft item 1', title: 'Spyware', questions: ['Is the scope right?'] },
      ],
    })
    const control = round.controlIds[0]!
    const question = round.questionIds[0]![0]!
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'ngo',
      organisation: 'Named Rights Org',
      contactName: 'Secret Contact Person',
      contactEmail: 'secret-contact@example.org',
      publication: 'named',
      status: 'published',
      country: 'NO',
      submittedAt: iso(-3),
      items: [
        {
          controlId: control,
          position: 'support_with_changes',
          body: 'NAMED-TEXT-1',
          answers: [{ questionId: question, answer: 'NAMED-ANSWER' }],
        },
      ],
    })
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'individual',
      authorName: 'Hidden Defender Name',
      organisation: null,
      publication: 'anonymous',
      status: 'published',
      country: 'KE',
      submittedAt: iso(-2),
      items: [{ controlId: null, position: 'oppose', body: 'ANONYMOUS-TEXT-2' }],
    })
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'company',
      organisation: 'Do Not Publish Ltd',
      publication: 'not_published',
      status: 'published',
      submittedAt: iso(-1),
      items: [{ controlId: control, position: 'oppose', body: 'NOT-PUBLISHED-TEXT-3' }],
    })
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'company',
      organisation: 'Confidential Vendor AB',
      publication: 'named',
      confidential: { justification: 'Reveals customer list', publicVersion: 'PUBLIC-VERSION-4' },
      status: 'published',
      country: 'SE',
      submittedAt: iso(-0.5),
      items: [{ controlId: control, position: 'oppose', body: 'CONFIDENTIAL-TEXT-4' }],
    })
    await createResponse(db, {
      consultationId: round.id,
      respondentType: 'academic',
      organisation: 'Unmoderated University',
      publication: 'named',
      status: 'received',
      submittedAt: iso(-0.2),
      items: [{ controlId: control, position: 'support', body: 'UNMODERATED-TEXT-5' }],
    })

    const page = await responsesLoader({
      request: pageRequest(`/consultations/${slug}/responses`),
      params: { slug },
      context,
    })
    const json = JSON.stringify(page)
    for (const secret of [
      'Secret Contact Person',
      'secret-contact@example.org',
      'Hidden Defender Name',
      'NOT-PUBLISHED-TEXT-3',
      'Do Not Publish Ltd',
      'CONFIDENTIAL-TEXT-4',
      'Reveals customer list',
      'UNMODERATED-TEXT-5',
    ]) {
      expect(json).not.toContain(secret)
    }
    expect(page.responses.map((r) => [r.author, r.publicVersion])).toEqual([
      ['Confidential Vendor AB', 'PUBLIC-VERSION-4'],
      [null, null],
      ['Named Rights Org', null],
    ])
    expect(page.responses[2]!.items[0]!.answers).toEqual([
      { question: 'Is the scope right?', answer: 'NAMED-ANSWER' },
    ])
    expect(page.total).toBe(3)

    const small = await import('#app/models/public-responses.server.ts')
    const first = await small.listPublishedResponses(db, { consultationId: round.id, limit: 2 })
    expect(first.responses).toHaveLength(2)
    const second = await small.listPublishedResponses(db, {
      consultationId: round.id,
      limit: 2,
      cursor: first.nextCursor,
    })
    expect(second.responses.map((r) => r.author)).toEqual(['Named Rights Org'])
    expect(second.nextCursor).toBeNull()

    const roundPage = await roundLoader({
      request: pageRequest(`/consultations/${slug}`),
      params: { slug },
      context,
    })
    expect(roundPage.counts.total).toBe(3)
    expect(roundPage.counts.byCountry.map((c) => c.key).sort()).toEqual(['KE', 'NO', 'SE'])
    expect(roundPage.counts.byType).toEqual([
      { key: 'company', count: 1 },
      { key: 'individual', count: 1 },
      { key: 'ngo', count: 1 },
    ])
  })

  test('a malformed cursor is ignored rather than an error', async () => {
    const db = getDb()
    await createConsultation(db, {
      slug: 'cursor-round',
      title: 'Cursor',
      publishedAt: iso(-1),
      opensAt: iso(-1),
      closesAt: iso(1),
    })
    const page = await responsesLoader({
      request: pageRequest('/consultations/cursor-round/responses?after=%%%not-a-cursor'),
      params: { slug: 'cursor-round' },
      context,
    })
    expect(page.responses).toEqual([])
  })
})

describe('the list of consultations', () => {
  test('searches words in title and summary, accents and case aside, and filters by status and commitment', async () => {
    const db = getDb()
    await createConsultation(db, {
      slug: 'biometrie',
      title: 'Contrôles de la biométrie',
      summary: 'Reconnaissance faciale',
      commitments: [1, 2],
      publishedAt: iso(-5),
      opensAt: iso(-5),
      closesAt: iso(5),
    })
    await createConsultation(db, {
      slug: 'spyware-later',
      title: 'Spyware guidance',
      summary: 'Due diligence',
      commitments: [5],
      publishedAt: iso(-1),
      opensAt: iso(3),
      closesAt: iso(30),
    })
    await createConsultation(db, {
      slug: 'old-round',
      title: 'Old spyware round',
      commitments: [2],
      publishedAt: iso(-60),
      opensAt: iso(-60),
      closesAt: iso(-30),
    })
    await createConsultation(db, {
      slug: 'draft-spyware',
      title: 'Draft spyware round',
      commitments: [2],
    })
    const search = async (query: string) => {
      const page = await listLoader({
        request: pageRequest(`/consultations?${query}`),
        params: {},
        context,
      })
      return page.rounds.map((r) => r.slug).sort()
    }
    expect(await search('q=SPYWARE')).toEqual(['old-round', 'spyware-later'])
    expect(await search('q=biometrie')).toEqual(['biometrie'])
    expect(await search('q=spyware&status=upcoming')).toEqual(['spyware-later'])
    expect(await search('commitment=5')).toEqual(['spyware-later'])
    expect(await search('q=faciale+reconnaissance')).toEqual(['biometrie'])
    // Nonsense filters are ignored, not errors.
    expect(await search('q=spyware&status=bogus&commitment=99')).toEqual([
      'old-round',
      'spyware-later',
    ])
  })
})
