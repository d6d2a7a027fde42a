import { parse } from 'csv-parse/sync'
import { runJobsInThisFile } from '#tests/helpers/job-runner.ts'
import { campaignOf } from '#app/models/campaigns.server.ts'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { loader as accountLoader } from '#app/routes/account.tsx'
import { loader as apiComments } from '#app/routes/api.v1.consultations.$slug_.comments.ts'
import { loader as apiStatistics } from '#app/routes/api.v1.consultations.$slug_.statistics.ts'
import { loader as roundLoader } from '#app/routes/consultations.$slug.tsx'
import { loader as publicReport } from '#app/routes/consultations.$slug_.report[.]pdf.ts'
import {
  action as respondAction,
  loader as respondLoader,
} from '#app/routes/consultations.$slug_.respond.tsx'
import { loader as publishedLoader } from '#app/routes/consultations.$slug_.responses.tsx'
import { action as responseAction } from '#app/routes/manage.responses.$responseId.tsx'
import { loader as officialAttachment } from '#app/routes/manage.responses.$responseId_.attachments.$attachmentId.ts'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as exportAction } from '#app/routes/manage.rounds.$id_.export.ts'
import { loader as ownAttachment } from '#app/routes/responses.$trackingNumber_.attachments.$attachmentId.ts'
import {
  action as editAction,
  loader as editLoader,
} from '#app/routes/responses.$trackingNumber_.edit.tsx'
import {
  action as viewAction,
  loader as viewLoader,
} from '#app/routes/responses.$trackingNumber.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { docxText, pdfText } from '#tests/helpers/documents.ts'
import {
  PDF,
  type Upload,
  openRound,
  responseRequest,
  validFields,
} from '#tests/helpers/responses.ts'

// Record-level access: the route matrix (route-access.test.ts) says who may load a route; these
// tests say which rows each of them reaches through it. Nobody reaches another's response by
// changing an id, a tracking number or a key, and what is not published never leaves.

let client = 0

interface Sent {
  id: number
  tracking: string
  key: string
}

/** Sends a response through the form; returns its id, tracking number and private key. */
async function send(
  slug: string,
  fields: Record<string, string | string[]>,
  { uploads = [], cookie }: { uploads?: Upload[]; cookie?: string } = {},
): Promise<Sent> {
  const result = await respondAction({
    request: responseRequest(`/consultations/${slug}/respond`, fields, { uploads, cookie }),
    params: { slug },
    context: { clientAddress: `203.0.113.${++client}` },
  })
  if (!(result instanceof Response)) throw new Error(`refused: ${JSON.stringify(result)}`)
  const location = new URL(result.headers.get('Location')!, 'http://localhost')
  const tracking = location.pathname.split('/').pop()!
  const { id } = await getDb()
    .selectFrom('responses')
    .where('tracking_number', '=', tracking)
    .select('id')
    .executeTakeFirstOrThrow()
  return { id, tracking, key: location.searchParams.get('key')! }
}

/** The status a loader or action answers with: a thrown or returned Response's, else 200. */
async function statusOf(run: () => unknown): Promise<number> {
  try {
    const result = await run()
    if (result instanceof Response) return result.status
    const init = (result as { init?: ResponseInit | null } | null)?.init
    return init?.status ?? 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

const query = (key?: string) => (key ? `?key=${key}` : '')

async function row(id: number) {
  return getDb()
    .selectFrom('responses')
    .where('id', '=', id)
    .select(['status', 'organisation', 'contact_email', 'withdrawn_at'])
    .executeTakeFirstOrThrow()
}

async function bodies(id: number) {
  const items = await getDb()
    .selectFrom('response_items')
    .where('response_id', '=', id)
    .orderBy('id')
    .select(['control_id', 'body'])
    .execute()
  return items
}

async function attachmentsOf(id: number) {
  return getDb()
    .selectFrom('attachments')
    .where('response_id', '=', id)
    .orderBy('id')
    .select(['id', 'filename'])
    .execute()
}

const text = (s: string) => new TextEncoder().encode(s)

// Exports and the public report are made as jobs, as the server makes them.
runJobsInThisFile()

describe('a response’s own pages', () => {
  let round: Awaited<ReturnType<typeof openRound>>
  let a: Sent, b: Sent, c: Sent
  let author: Awaited<ReturnType<typeof signedInUser>>
  let other: Awaited<ReturnType<typeof signedInUser>>
  let official: Awaited<ReturnType<typeof signedInUser>>
  const files = {
    a: text('file of response A\n'),
    aSecret: text('confidential file of response A\n'),
    b: text('file of response B\n'),
    c: text('file of response C\n'),
  }

  beforeAll(async () => {
    round = await openRound()
    author = await signedInUser('participant')
    other = await signedInUser('participant')
    official = await signedInUser('official')
    a = await send(
      round.slug,
      validFields(round, {
        organisation: 'Response A Org',
        contactEmail: 'a-contact@example.org',
        confidentialJustification: 'Customer names.',
        'scopes[1].body': 'TEXT OF A',
      }),
      {
        uploads: [
          { field: 'files', name: 'a.txt', bytes: files.a },
          { field: 'confidentialFiles', name: 'a-secret.txt', bytes: files.aSecret },
        ],
      },
    )
    b = await send(
      round.slug,
      validFields(round, { organisation: 'Response B Org', 'scopes[1].body': 'TEXT OF B' }),
      { uploads: [{ field: 'files', name: 'b.pdf', bytes: PDF }] },
    )
    c = await send(
      round.slug,
      validFields(round, { organisation: 'Response C Org', 'scopes[1].body': 'TEXT OF C' }),
      { uploads: [{ field: 'files', name: 'c.txt', bytes: files.c }], cookie: author.cookie },
    )
  })

  /** Who asks for which response: a tracking number, a key and a session. */
  type Visitor = [
    label: string,
    tracking: () => string,
    key: () => string | undefined,
    cookie: () => string | undefined,
  ]
  const allowed: Visitor[] = [
    ['A with its own key', () => a.tracking, () => a.key, () => undefined],
    ['B with its own key', () => b.tracking, () => b.key, () => undefined],
    ['C with its own key', () => c.tracking, () => c.key, () => undefined],
    ['C by the account that sent it', () => c.tracking, () => undefined, () => author.cookie],
  ]
  const refused: Visitor[] = [
    ['A with B’s key', () => a.tracking, () => b.key, () => undefined],
    ['B with A’s key', () => b.tracking, () => a.key, () => undefined],
    ['A without a key', () => a.tracking, () => undefined, () => undefined],
    [
      'A with its key one character off',
      () => a.tracking,
      () => `${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`,
      () => undefined,
    ],
    ['A with its key cut short', () => a.tracking, () => a.key.slice(0, 20), () => undefined],
    ['A’s key on an unknown tracking number', () => 'CMT-0000-0000', () => a.key, () => undefined],
    [
      'A’s key on a lower-case tracking number',
      () => a.tracking.toLowerCase(),
      () => a.key,
      () => undefined,
    ],
    ['C by another participant', () => c.tracking, () => undefined, () => other.cookie],
    ['C by another participant with A’s key', () => c.tracking, () => a.key, () => other.cookie],
    ['C by an official', () => c.tracking, () => undefined, () => official.cookie],
    ['A by the account that sent C', () => a.tracking, () => undefined, () => author.cookie],
  ]

  test('the private page and /edit open for the key holder or the sending account, and are 404 for everyone else', async () => {
    for (const [label, tracking, key, cookie] of [...allowed, ...refused]) {
      const expected = allowed.some(([l]) => l === label) ? 200 : 404
      for (const [page, loader] of [
        ['', viewLoader],
        ['/edit', editLoader],
      ] as const) {
        const status = await statusOf(() =>
          loader({
            request: pageRequest(`/responses/${tracking()}${page}${query(key())}`, {
              cookie: cookie(),
            }),
            params: { trackingNumber: tracking() },
            context,
          }),
        )
        expect(`${label}${page}: ${status}`).toBe(`${label}${page}: ${expected}`)
      }
    }
    // And what opens is that response, not another.
    const view = await viewLoader({
      request: pageRequest(`/responses/${c.tracking}`, { cookie: author.cookie }),
      params: { trackingNumber: c.tracking },
      context,
    })
    expect(view.view.id).toBe(c.id)
    expect(view.view.form.organisation).toBe('Response C Org')
  })

  test('an edit or a withdrawal of another’s response is a 404 and changes nothing', async () => {
    const before = {
      a: [await row(a.id), await bodies(a.id)],
      b: [await row(b.id), await bodies(b.id)],
      c: [await row(c.id), await bodies(c.id)],
    }
    for (const [label, tracking, key, cookie] of refused) {
      const path = `/responses/${tracking()}`
      const edit = await statusOf(() =>
        editAction({
          request: responseRequest(
            `${path}/edit${query(key())}`,
            validFields(round, { organisation: 'Taken over', 'scopes[1].body': 'HIJACKED' }),
            { cookie: cookie() },
          ),
          params: { trackingNumber: tracking() },
          context,
        }),
      )
      expect(`${label} edit: ${edit}`).toBe(`${label} edit: 404`)
      const withdraw = await statusOf(() =>
        viewAction({
          request: pageRequest(`${path}${query(key())}`, {
            cookie: cookie(),
            form: { intent: 'withdraw', confirm: 'on' },
          }),
          params: { trackingNumber: tracking() },
          context,
        }),
      )
      expect(`${label} withdraw: ${withdraw}`).toBe(`${label} withdraw: 404`)
    }
    expect({
      a: [await row(a.id), await bodies(a.id)],
      b: [await row(b.id), await bodies(b.id)],
      c: [await row(c.id), await bodies(c.id)],
    }).toEqual(before)

    // The same requests with the right key do what they say (so the refusals above were real).
    const edited = await editAction({
      request: responseRequest(
        `/responses/${b.tracking}/edit${query(b.key)}`,
        validFields(round, { organisation: 'Response B Org', 'scopes[1].body': 'B EDITED' }),
      ),
      params: { trackingNumber: b.tracking },
      context,
    })
    expect(edited).toBeInstanceOf(Response)
    expect((await bodies(b.id)).map((i) => i.body)).toContain('B EDITED')
  })

  test('an edit cannot remove another response’s attachment or write into another round', async () => {
    const elsewhere = await openRound()
    const bFiles = await attachmentsOf(b.id)
    const aFields = {
      organisation: 'Response A Org',
      confidentialJustification: 'Customer names.',
      'scopes[1].body': 'TEXT OF A',
    }
    const edit = (overrides: Record<string, string | string[]>) =>
      statusOf(() =>
        editAction({
          request: responseRequest(
            `/responses/${a.tracking}/edit${query(a.key)}`,
            validFields(round, { ...aFields, ...overrides }),
          ),
          params: { trackingNumber: a.tracking },
          context,
        }),
      )
    // B's attachment ids in A's "remove these files": A's edit is saved, B's files stay.
    expect(await edit({ removeAttachments: bFiles.map((f) => String(f.id)) })).toBe(302)
    expect(await attachmentsOf(b.id)).toEqual(bFiles)
    expect((await attachmentsOf(a.id)).map((f) => f.filename)).toEqual(['a.txt', 'a-secret.txt'])
    // A control of another round in place of this round's: refused, nothing written.
    const before = await bodies(a.id)
    expect(
      await edit({
        'scopes[2].controlId': String(elsewhere.controlIds[0]),
        'scopes[2].position': 'oppose',
        'scopes[2].body': 'INTO ANOTHER ROUND',
      }),
    ).toBe(400)
    expect(await bodies(a.id)).toEqual(before)
    const written = await getDb()
      .selectFrom('response_items')
      .where('control_id', 'in', elsewhere.controlIds)
      .select('body')
      .execute()
    expect(written).toEqual([])
  })

  test('an account lists and drafts only its own responses', async () => {
    const listed = async (cookie: string) =>
      JSON.stringify(
        (await accountLoader({ request: pageRequest('/account', { cookie }), params: {}, context }))
          .responses,
      )
    expect(await listed(author.cookie)).toContain(c.tracking)
    for (const cookie of [other.cookie, official.cookie]) {
      const list = await listed(cookie)
      for (const sent of [a, b, c]) expect(list).not.toContain(sent.tracking)
    }
    // A draft is its author's alone: another account opening the same round starts afresh.
    const draftRound = await openRound()
    const draft = validFields(draftRound, {
      intent: 'draft',
      'scopes[1].body': 'HALF-WRITTEN BY THE AUTHOR',
    })
    const saved = await respondAction({
      request: responseRequest(`/consultations/${draftRound.slug}/respond`, draft, {
        cookie: author.cookie,
      }),
      params: { slug: draftRound.slug },
      context: { clientAddress: `203.0.113.${++client}` },
    })
    expect(saved).toBeInstanceOf(Response)
    const form = async (cookie?: string) =>
      respondLoader({
        request: pageRequest(`/consultations/${draftRound.slug}/respond`, { cookie }),
        params: { slug: draftRound.slug },
        context,
      })
    const own = await form(author.cookie)
    expect(own.submissionKey).toBe(draft.submissionKey)
    expect(JSON.stringify(own.defaults)).toContain('HALF-WRITTEN BY THE AUTHOR')
    for (const cookie of [other.cookie, official.cookie, undefined]) {
      const page = await form(cookie)
      expect(page.submissionKey).not.toBe(draft.submissionKey)
      expect(JSON.stringify(page)).not.toContain('HALF-WRITTEN BY THE AUTHOR')
    }
    expect(await listed(other.cookie)).not.toContain(draftRound.slug)
  })

  test('an attachment is served only with its own response’s key or account', async () => {
    const [aFile, aSecret] = await attachmentsOf(a.id)
    const [bFile] = await attachmentsOf(b.id)
    const [cFile] = await attachmentsOf(c.id)
    const download = async (
      tracking: string,
      attachmentId: number,
      key?: string,
      cookie?: string,
    ): Promise<number | Uint8Array> => {
      try {
        const response = await ownAttachment({
          request: pageRequest(`/responses/${tracking}/attachments/${attachmentId}${query(key)}`, {
            cookie,
          }),
          params: { trackingNumber: tracking, attachmentId: String(attachmentId) },
          context,
        })
        expect(response.headers.get('Content-Disposition')).toMatch(/^attachment;/)
        return new Uint8Array(await response.arrayBuffer())
      } catch (thrown) {
        if (thrown instanceof Response) return thrown.status
        throw thrown
      }
    }
    expect(await download(a.tracking, aFile!.id, a.key)).toEqual(files.a)
    expect(await download(a.tracking, aSecret!.id, a.key)).toEqual(files.aSecret)
    expect(await download(b.tracking, bFile!.id, b.key)).toEqual(PDF)
    expect(await download(c.tracking, cFile!.id, undefined, author.cookie)).toEqual(files.c)
    expect(await download(c.tracking, cFile!.id, c.key)).toEqual(files.c)
    const refusals: [string, number | Uint8Array][] = [
      ['A’s file with B’s key', await download(a.tracking, aFile!.id, b.key)],
      ['A’s confidential file with B’s key', await download(a.tracking, aSecret!.id, b.key)],
      ['A’s file without a key', await download(a.tracking, aFile!.id)],
      ['B’s file under A with A’s key', await download(a.tracking, bFile!.id, a.key)],
      ['A’s file under B with B’s key', await download(b.tracking, aFile!.id, b.key)],
      ['B’s file with A’s key', await download(b.tracking, bFile!.id, a.key)],
      [
        'C’s file by another participant',
        await download(c.tracking, cFile!.id, undefined, other.cookie),
      ],
      [
        'C’s file by an official',
        await download(c.tracking, cFile!.id, undefined, official.cookie),
      ],
      [
        'A’s file under C by C’s account',
        await download(c.tracking, aFile!.id, undefined, author.cookie),
      ],
      ['an unknown file with A’s key', await download(a.tracking, 999_999, a.key)],
    ]
    expect(refusals).toEqual(refusals.map(([label]) => [label, 404]))
  })

  test('the officials’ attachment route serves officials only, and only the response’s own files', async () => {
    const [aFile, aSecret] = await attachmentsOf(a.id)
    const [bFile] = await attachmentsOf(b.id)
    const get = async (responseId: number, attachmentId: number, cookie?: string) => {
      try {
        const response = await officialAttachment({
          request: pageRequest(`/manage/responses/${responseId}/attachments/${attachmentId}`, {
            cookie,
          }),
          params: { responseId: String(responseId), attachmentId: String(attachmentId) },
          context,
        })
        return new Uint8Array(await response.arrayBuffer())
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown
        const location = thrown.headers.get('Location')
        return location ? `${thrown.status} ${location.split('?')[0]}` : thrown.status
      }
    }
    expect(await get(a.id, aFile!.id, official.cookie)).toEqual(files.a)
    expect(await get(a.id, aSecret!.id, official.cookie)).toEqual(files.aSecret)
    expect(await get(b.id, bFile!.id, official.cookie)).toEqual(PDF)
    expect([
      await get(a.id, aFile!.id),
      await get(c.id, (await attachmentsOf(c.id))[0]!.id, author.cookie),
      await get(a.id, aFile!.id, other.cookie),
      await get(a.id, bFile!.id, official.cookie),
      await get(b.id, aSecret!.id, official.cookie),
      await get(999_999, aFile!.id, official.cookie),
    ]).toEqual(['302 /signin', 403, 403, 404, 404, 404])
  })
})

/** The text of every export format an official can download, as one string per format. */
async function officialExports(roundId: number, cookie: string, full: boolean) {
  const out: Record<string, string> = {}
  for (const format of ['csv', 'json', 'pdf', 'docx'] as const) {
    const response = (await exportAction({
      request: pageRequest(`/manage/rounds/${roundId}/export`, {
        cookie,
        form: full ? { format, full: 'yes' } : { format },
      }),
      params: { id: String(roundId) },
      context,
    })) as Response
    const bytes = new Uint8Array(await response.arrayBuffer())
    out[format] =
      format === 'pdf'
        ? await pdfText(bytes)
        : format === 'docx'
          ? await docxText(bytes)
          : new TextDecoder().decode(bytes)
  }
  return out
}

const squeeze = (s: string) => s.replace(/\s+/g, '')

const OTHER_LETTER =
  'Our members sell network test equipment to carriers; a licence for each shipment would take ' +
  'months, so we propose general licences for allied countries and a published list of end users.'

const LETTER =
  'We ask that every licence for intrusion software be published, that brokers be covered as ' +
  'well as vendors, and that human rights defenders be consulted before any licence is granted.'

describe('an official’s export without “include contact details, confidential text and unpublished responses”', () => {
  test('holds no contact detail, confidential text or unpublished response, in CSV, JSON, PDF or DOCX', async () => {
    const round = await openRound()
    const official = await signedInUser('official')
    const moderate = async (id: number, action: string, reason = '') =>
      responseAction({
        request: pageRequest(`/manage/responses/${id}`, {
          cookie: official.cookie,
          form: { intent: 'moderate', action, reason },
        }),
        params: { responseId: String(id) },
        context,
      })
    const secret = {
      contactName: 'SECRET-CONTACT-NAME',
      contactEmail: 'secret-contact@example.org',
      confidentialBody: 'SECRET-CONFIDENTIAL-BODY',
      confidentialAnswer: 'SECRET-CONFIDENTIAL-ANSWER',
      justification: 'SECRET-JUSTIFICATION',
      confidentialFile: 'SECRET-FILE-NAME.txt',
      unmoderated: 'SECRET-UNMODERATED-TEXT',
      notPublished: 'SECRET-NOT-PUBLISHED-TEXT',
      notPublishedName: 'Secret Quiet Ltd',
      withheld: 'SECRET-WITHHELD-TEXT',
      withheldReason: 'SECRET-WITHHELD-REASON',
      spam: 'SECRET-SPAM-TEXT',
      withdrawn: 'SECRET-WITHDRAWN-TEXT',
      withdrawnName: 'Secret Withdrawn Org',
      anonymousName: 'Secret Anonymous Org',
      firstLetter: 'SECRET-SIGNATURE-OF-AN-UNPUBLISHED-LETTER',
      firstLetterName: 'Secret Letter Writer',
      confidentialLetter: 'SECRET-CONFIDENTIAL-LETTER-CLAUSE',
    }
    const fields = (overrides: Record<string, string>) =>
      validFields(round, {
        contactName: secret.contactName,
        contactEmail: secret.contactEmail,
        'scopes[1].answers[0]': '',
        ...overrides,
      })

    // Two campaigns, as the report quotes them: one begun by a letter its author asked not to
    // publish, one by a business-confidential letter (published as its public version only).
    const firstLetter = await send(
      round.slug,
      fields({
        organisation: secret.firstLetterName,
        publication: 'not_published',
        'scopes[1].body': `${LETTER} ${secret.firstLetter}`,
      }),
    )
    const confidentialLetter = await send(
      round.slug,
      fields({
        organisation: 'Letter Vendor AB',
        'scopes[1].body': `${OTHER_LETTER} ${secret.confidentialLetter}`,
        confidential: 'on',
        confidentialJustification: secret.justification,
        publicVersion: 'VISIBLE-LETTER-PUBLIC-VERSION',
      }),
    )
    const letters = []
    const otherLetters = []
    for (const signer of ['Ana', 'Bo', 'Carl']) {
      letters.push(
        await send(
          round.slug,
          fields({
            organisation: `Signer ${signer}`,
            'scopes[1].body': `${LETTER} Signed ${signer}.`,
          }),
        ),
      )
      otherLetters.push(
        await send(
          round.slug,
          fields({
            organisation: `Co-signer ${signer}`,
            'scopes[1].body': `${OTHER_LETTER} Signed ${signer}.`,
          }),
        ),
      )
    }
    const published = await send(
      round.slug,
      fields({ organisation: 'Published Org', 'scopes[1].body': 'VISIBLE-PUBLISHED-TEXT' }),
    )
    const confidential = await send(
      round.slug,
      fields({
        organisation: 'Vendor AB',
        'scopes[1].body': secret.confidentialBody,
        'scopes[1].answers[0]': secret.confidentialAnswer,
        confidential: 'on',
        confidentialJustification: secret.justification,
        publicVersion: 'VISIBLE-PUBLIC-VERSION',
      }),
      {
        uploads: [{ field: 'confidentialFiles', name: secret.confidentialFile, bytes: text('x') }],
      },
    )
    const anonymous = await send(
      round.slug,
      fields({
        organisation: secret.anonymousName,
        publication: 'anonymous',
        'scopes[1].body': 'VISIBLE-ANONYMOUS-TEXT',
      }),
    )
    const unmoderated = await send(round.slug, fields({ 'scopes[1].body': secret.unmoderated }))
    const notPublished = await send(
      round.slug,
      fields({
        organisation: secret.notPublishedName,
        publication: 'not_published',
        'scopes[1].body': secret.notPublished,
      }),
    )
    const withheld = await send(round.slug, fields({ 'scopes[1].body': secret.withheld }))
    const spam = await send(round.slug, fields({ 'scopes[1].body': secret.spam }))
    const withdrawn = await send(
      round.slug,
      fields({ organisation: secret.withdrawnName, 'scopes[1].body': secret.withdrawn }),
    )
    for (const sent of [
      firstLetter,
      confidentialLetter,
      ...letters,
      ...otherLetters,
      published,
      confidential,
      anonymous,
      notPublished,
      withdrawn,
    ])
      await moderate(sent.id, 'publish')
    await moderate(withheld.id, 'withhold', secret.withheldReason)
    await moderate(spam.id, 'spam')
    await viewAction({
      request: pageRequest(`/responses/${withdrawn.tracking}?key=${withdrawn.key}`, {
        form: { intent: 'withdraw', confirm: 'on' },
      }),
      params: { trackingNumber: withdrawn.tracking },
      context,
    })
    expect((await row(withdrawn.id)).status).toBe('withdrawn')
    expect((await row(notPublished.id)).status).toBe('received') // never published
    expect((await row(firstLetter.id)).status).toBe('received') // asked not to be published
    for (const campaign of [
      [firstLetter, ...letters],
      [confidentialLetter, ...otherLetters],
    ]) {
      const clusters = [
        ...new Set(
          await Promise.all(campaign.map((l) => campaignOf(getDb(), { responseId: l.id }))),
        ),
      ].map((cluster_id) => ({ cluster_id }))
      expect(clusters).toHaveLength(1)
      expect(clusters[0]!.cluster_id).not.toBeNull()
    }

    const trackingNumbers = [
      firstLetter,
      confidentialLetter,
      ...otherLetters,
      ...letters,
      published,
      confidential,
      anonymous,
      unmoderated,
      notPublished,
      withheld,
      spam,
      withdrawn,
    ].map((s) => s.tracking)
    const exported = await officialExports(round.id, official.cookie, false)
    // The published report (public) is made from the same model as the officials' PDF.
    await analysisAction({
      request: pageRequest(`/manage/rounds/${round.id}/analysis`, {
        cookie: official.cookie,
        form: { intent: 'publish-report', publish: 'yes' },
      }),
      params: { id: String(round.id) },
      context,
    })
    exported['public report'] = await pdfText(
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
    const leaks: string[] = []
    for (const [format, content] of Object.entries(exported)) {
      const flat = squeeze(content)
      // The reports name respondents and quote campaigns, never single responses.
      const visible = ['csv', 'json'].includes(format) ? 'VISIBLE-PUBLISHED-TEXT' : 'Published Org'
      expect(flat, format).toContain(squeeze(visible))
      if (/@example\.org/.test(flat)) leaks.push(`${format}: an email address`)
      for (const [name, value] of Object.entries(secret))
        if (flat.includes(squeeze(value))) leaks.push(`${format}: ${name}`)
      for (const tracking of trackingNumbers)
        if (flat.includes(tracking)) leaks.push(`${format}: tracking number ${tracking}`)
    }
    // Soft: a leak is reported with every format it reached, and the checks below still run.
    expect.soft(leaks).toEqual([])
    for (const format of ['csv', 'json']) {
      expect(exported[format], format).toContain('VISIBLE-PUBLIC-VERSION')
      expect(exported[format], format).toContain('VISIBLE-ANONYMOUS-TEXT')
    }
    const rows = parse(exported.csv!, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows.map((r) => Number(r.response_id)).sort((x, y) => x - y)).toEqual(
      [confidentialLetter, ...letters, ...otherLetters, published, confidential, anonymous]
        .map((s) => s.id)
        .sort((x, y) => x - y),
    )
    const json = JSON.parse(exported.json!) as Record<string, unknown>[]
    expect(json.map((r) => r.response_id)).toEqual(rows.map((r) => Number(r.response_id)))
    expect(json[0]).not.toHaveProperty('contact_email')

    // With the box ticked the same secrets are there: the checks above looked at real data.
    const full = await officialExports(round.id, official.cookie, true)
    for (const value of [
      secret.contactEmail,
      secret.confidentialBody,
      secret.justification,
      secret.unmoderated,
    ])
      expect(full.csv).toContain(value)
  })
})

describe('a withdrawn response', () => {
  async function scenario() {
    const round = await openRound()
    const official = await signedInUser('official')
    const publish = async (id: number) =>
      responseAction({
        request: pageRequest(`/manage/responses/${id}`, {
          cookie: official.cookie,
          form: { intent: 'moderate', action: 'publish' },
        }),
        params: { responseId: String(id) },
        context,
      })
    // The first letter of a campaign (the text its report quotes), from the only respondent in
    // Belarus, and two more letters and one other response that stay.
    const leaving = await send(
      round.slug,
      validFields(round, {
        organisation: 'Leaving Defenders Network',
        country: 'BY',
        'scopes[1].body': `${LETTER} LEAVING-SIGNATURE.`,
        'scopes[1].answers[0]': 'LEAVING-ANSWER',
      }),
    )
    const staying = []
    for (const signer of ['Ana', 'Bo'])
      staying.push(
        await send(
          round.slug,
          validFields(round, {
            organisation: `Signer ${signer}`,
            'scopes[1].body': `${LETTER} Signed ${signer}.`,
            'scopes[1].answers[0]': '',
          }),
        ),
      )
    staying.push(
      await send(
        round.slug,
        validFields(round, { organisation: 'Staying Org', 'scopes[1].answers[0]': '' }),
      ),
    )
    for (const sent of [leaving, ...staying]) await publish(sent.id)
    await analysisAction({
      request: pageRequest(`/manage/rounds/${round.id}/analysis`, {
        cookie: official.cookie,
        form: { intent: 'publish-report', publish: 'yes' },
      }),
      params: { id: String(round.id) },
      context,
    })
    return { round, leaving, staying }
  }

  /** Every public place a response can be seen or counted, read as the public reads it. */
  async function publicViews(slug: string) {
    const args = (path: string) => ({ request: pageRequest(path), params: { slug }, context })
    const page = await roundLoader(args(`/consultations/${slug}`))
    const list = await publishedLoader(args(`/consultations/${slug}/responses`))
    const comments = (await (
      await apiComments(args(`/api/v1/consultations/${slug}/comments?limit=100`))
    ).json()) as { data: { id: number }[] }
    const csv = await (
      await apiComments(args(`/api/v1/consultations/${slug}/comments?format=csv`))
    ).text()
    const statistics = (await (
      await apiStatistics(args(`/api/v1/consultations/${slug}/statistics`))
    ).json()) as { data: { published_responses: number; by_country: { key: string }[] } }
    const report = await pdfText(
      new Uint8Array(
        await (await publicReport(args(`/consultations/${slug}/report.pdf`))).arrayBuffer(),
      ),
    )
    return {
      counts: {
        roundTotal: page.counts.total,
        roundCountries: page.counts.byCountry.map((c) => c.key).sort(),
        listTotal: list.total,
        listIds: list.responses.map((r) => r.id).sort((x, y) => x - y),
        apiIds: comments.data.map((c) => c.id).sort((x, y) => x - y),
        statisticsTotal: statistics.data.published_responses,
        statisticsCountries: statistics.data.by_country.map((c) => c.key).sort(),
      },
      places: {
        'round page': JSON.stringify(page),
        'published responses': JSON.stringify(list),
        'API comments': JSON.stringify(comments),
        'API comments CSV': csv,
        'public report PDF': report,
      },
    }
  }

  const traces = ['Leaving Defenders Network', 'LEAVING-SIGNATURE', 'LEAVING-ANSWER']

  /** Where each trace of the withdrawn response can still be read. */
  function tracesIn(places: Record<string, string>) {
    return Object.entries(places).flatMap(([place, content]) =>
      traces.filter((t) => squeeze(content).includes(squeeze(t))).map((t) => `${place}: ${t}`),
    )
  }

  async function withdraw(sent: Sent) {
    const result = await viewAction({
      request: pageRequest(`/responses/${sent.tracking}?key=${sent.key}`, {
        form: { intent: 'withdraw', confirm: 'on' },
      }),
      params: { trackingNumber: sent.tracking },
      context,
    })
    expect(result).toBeInstanceOf(Response)
  }

  test('disappears from the round page’s counts, the published list, the API, its CSV and statistics, and the public report', async () => {
    const { round, leaving, staying } = await scenario()
    const ids = (list: Sent[]) => list.map((s) => s.id).sort((x, y) => x - y)
    const before = await publicViews(round.slug)
    expect(before.counts).toEqual({
      roundTotal: 4,
      roundCountries: ['BY', 'NO'],
      listTotal: 4,
      listIds: ids([leaving, ...staying]),
      apiIds: ids([leaving, ...staying]),
      statisticsTotal: 4,
      statisticsCountries: ['BY', 'NO'],
    })
    // Each trace is somewhere before: the name on the pages, the texts in the API and its CSV.
    const found = tracesIn(before.places)
    for (const trace of traces) expect(found.join('\n')).toContain(trace)
    expect(found).toEqual(expect.arrayContaining(['public report PDF: Leaving Defenders Network']))

    await withdraw(leaving)
    const after = await publicViews(round.slug)
    expect(after.counts).toEqual({
      roundTotal: 3,
      roundCountries: ['NO'],
      listTotal: 3,
      listIds: ids(staying),
      apiIds: ids(staying),
      statisticsTotal: 3,
      statisticsCountries: ['NO'],
    })
    expect.soft(tracesIn(after.places)).toEqual([])
    expect(squeeze(after.places['published responses'])).toContain(squeeze('Staying Org'))
  })

  test('disappears at once where the public’s views are kept (as in production)', async () => {
    const { round, leaving } = await scenario()
    vi.stubEnv('NODE_ENV', 'production')
    try {
      clearCache()
      const before = await publicViews(round.slug)
      expect(before.counts.roundTotal).toBe(4)
      await withdraw(leaving)
      const after = await publicViews(round.slug)
      expect({
        roundTotal: after.counts.roundTotal,
        listTotal: after.counts.listTotal,
        statisticsTotal: after.counts.statisticsTotal,
        traces: tracesIn(after.places),
      }).toEqual({ roundTotal: 3, listTotal: 3, statisticsTotal: 3, traces: [] })
    } finally {
      vi.unstubAllEnvs()
      vi.stubEnv('NODE_ENV', 'test')
      clearCache()
    }
  })
})
