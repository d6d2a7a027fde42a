import { readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  action as respond,
  loader as respondLoader,
} from '#app/routes/consultations.$slug_.respond.tsx'
import { action as editAction } from '#app/routes/responses.$trackingNumber_.edit.tsx'
import {
  loader as viewLoader,
  action as viewAction,
} from '#app/routes/responses.$trackingNumber.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { isPostgres } from '#db/postgres.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import {
  PDF,
  PNG,
  type Upload,
  openRound,
  responseRequest,
  validFields,
} from '#tests/helpers/responses.ts'

type Reply = { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
type Failure = { data: { result: Reply; filesNotKept?: boolean }; init: ResponseInit }

afterEach(() => {
  vi.useRealTimers()
})

async function send(
  slug: string,
  fields: Record<string, string | string[]>,
  options: { uploads?: Upload[]; cookie?: string; client?: string } = {},
) {
  return respond({
    request: responseRequest(`/consultations/${slug}/respond`, fields, options),
    params: { slug },
    context: {
      clientAddress:
        options.client ??
        `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
  }) as Promise<Response | Failure>
}

function receiptOf(response: Response | Failure) {
  if (!(response instanceof Response))
    throw new Error(`expected a redirect, got ${JSON.stringify(response.data)}`)
  const location = new URL(response.headers.get('Location')!, 'http://localhost')
  return {
    tracking: location.pathname.split('/').pop()!,
    key: location.searchParams.get('key')!,
    location,
  }
}

async function responseRows(key: string) {
  return getDb().selectFrom('responses').where('idempotency_key', '=', key).selectAll().execute()
}

describe('validation', () => {
  test('every rule answers at its field, keeps what was typed and sends nothing', async () => {
    const round = await openRound()
    const long = 'x'.repeat(50_001)
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ respondentType: '' }, 'respondentType', 'validation.respondentTypeRequired'],
      [{ country: 'XX' }, 'country', 'validation.countryRequired'],
      [{ publication: '' }, 'publication', 'validation.publicationRequired'],
      [
        { respondentType: 'company', organisation: '' },
        'organisation',
        'validation.organisationRequired',
      ],
      [{ 'scopes[1].position': '' }, 'scopes[1].position', 'validation.positionRequired'],
      [{ 'scopes[1].position': 'maybe' }, 'scopes[1].position', 'validation.positionInvalid'],
      [{ 'scopes[1].body': long }, 'scopes[1].body', 'validation.textTooLong'],
      [{ contactEmail: 'not an address' }, 'contactEmail', 'validation.emailInvalid'],
      [
        { confidential: 'on', publicVersion: 'Public' },
        'confidentialJustification',
        'validation.justificationRequired',
      ],
      [
        { confidential: 'on', confidentialJustification: 'Trade secrets' },
        'publicVersion',
        'validation.publicVersionRequired',
      ],
      [{ submissionKey: 'not-a-uuid' }, 'submissionKey', 'validation.formExpired'],
      [{ website: 'http://spam.example' }, '', 'validation.honeypot'],
      [
        { 'scopes[1].position': '', 'scopes[1].body': '', 'scopes[1].answers[0]': '' },
        '',
        'validation.nothingToSend',
      ],
    ]
    for (const [overrides, field, message] of cases) {
      const fields = validFields(round, { registerId: 'KEEP THIS TEXT', ...overrides })
      const result = (await send(round.slug, fields)) as Failure
      expect(result.init?.status, JSON.stringify(overrides).slice(0, 80)).toBe(400)
      expect(result.data.result.error?.[field], field).toEqual([message])
      expect(result.data.result.initialValue?.organisation ?? '').toBe(fields.organisation)
      expect(JSON.stringify(result.data.result.initialValue)).toContain('KEEP THIS TEXT')
      expect(await responseRows(fields.submissionKey as string)).toEqual([])
    }
    // A text of exactly 50,000 characters is fine, emoji counted as one character each.
    const ok = await send(round.slug, validFields(round, { 'scopes[1].body': '🙂'.repeat(50_000) }))
    expect(ok).toBeInstanceOf(Response)
  })

  test('a PNG renamed .pdf, a file of 10 MB + 1 byte and an eleventh file are refused, and the files must be chosen again', async () => {
    const round = await openRound()
    const renamed = (await send(round.slug, validFields(round), {
      uploads: [{ field: 'files', name: 'evidence.pdf', bytes: PNG, type: 'application/pdf' }],
    })) as Failure
    expect(renamed.data.result.error?.files).toEqual(['validation.fileTypeMismatch'])
    expect(renamed.data.filesNotKept).toBe(true)

    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(PDF)
    const tooBig = (await send(round.slug, validFields(round), {
      uploads: [
        { field: 'confidentialFiles', name: 'annex.pdf', bytes: big, type: 'application/pdf' },
      ],
    })) as Failure
    expect(tooBig.data.result.error?.confidentialFiles).toEqual(['validation.attachmentTooLarge'])

    const exact = new Uint8Array(10 * 1024 * 1024)
    exact.set(PDF)
    expect(
      await send(round.slug, validFields(round), {
        uploads: [{ field: 'files', name: 'full.pdf', bytes: exact }],
      }),
    ).toBeInstanceOf(Response)

    const unknown = (await send(round.slug, validFields(round), {
      uploads: [
        {
          field: 'files',
          name: 'tool.exe',
          bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0xff, 0xff]),
        },
      ],
    })) as Failure
    expect(unknown.data.result.error?.files).toEqual(['validation.fileTypeNotAllowed'])

    const eleven = Array.from({ length: 11 }, (_, i): Upload => ({
      field: 'files',
      name: `f${i}.pdf`,
      bytes: PDF,
    }))
    const tooMany = (await send(round.slug, validFields(round), { uploads: eleven })) as Failure
    expect(tooMany.data.result.error?.files).toEqual(['validation.tooManyFiles'])
  })

  test('a confidential file needs a justification', async () => {
    const round = await openRound()
    const result = (await send(round.slug, validFields(round), {
      uploads: [{ field: 'confidentialFiles', name: 'prices.pdf', bytes: PDF }],
    })) as Failure
    expect(result.data.result.error?.confidentialJustification).toEqual([
      'validation.justificationRequired',
    ])
  })
})

describe('a submission', () => {
  test('stores everything at once, with a receipt whose private link opens it', async () => {
    const round = await openRound()
    const fields = validFields(round, {
      contactEmail: 'rights@example.org',
      contactName: 'Ana',
      confidentialJustification: 'Licence volumes are commercially sensitive.',
    })
    const { tracking, key } = receiptOf(
      await send(round.slug, fields, {
        uploads: [
          { field: 'files', name: 'brief.pdf', bytes: PDF },
          {
            field: 'confidentialFiles',
            name: 'numbers.txt',
            bytes: new TextEncoder().encode('licence volumes\n'),
          },
        ],
      }).then(async (r) => r),
    ).valueOf() as { tracking: string; key: string }
    expect(tracking).toMatch(/^CMT-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const [row] = await responseRows(fields.submissionKey as string)
    expect(row!.status).toBe('received')
    expect(row!.edit_token_hash).not.toContain(key)
    const attachments = await getDb()
      .selectFrom('attachments')
      .where('response_id', '=', row!.id)
      .select(['filename', 'media_type', 'confidential'])
      .orderBy('id')
      .execute()
    expect(attachments).toEqual([
      { filename: 'brief.pdf', media_type: 'application/pdf', confidential: 0 },
      { filename: 'numbers.txt', media_type: 'text/plain', confidential: 1 },
    ])
    const answers = await getDb()
      .selectFrom('response_answers as a')
      .innerJoin('response_items as i', 'i.id', 'a.item_id')
      .where('i.response_id', '=', row!.id)
      .select('a.answer')
      .execute()
    expect(answers.map((a) => a.answer)).toEqual(['Mostly, yes.'])

    const view = await viewLoader({
      request: pageRequest(`/responses/${tracking}?key=${key}&receipt=1`),
      params: { trackingNumber: tracking },
      context,
    })
    expect(view.view.trackingNumber).toBe(tracking)
    expect(view.link).toBe(`http://localhost/responses/${tracking}?key=${key}`)
    // Without the key, or with a wrong one, the response does not exist.
    for (const q of ['', `?key=${key.slice(0, -2)}xx`]) {
      const thrown = await viewLoader({
        request: pageRequest(`/responses/${tracking}${q}`),
        params: { trackingNumber: tracking },
        context,
      }).catch((e: unknown) => e)
      expect((thrown as Response).status).toBe(404)
    }

    // The receipt went to the outbox, with the tracking number and the private link.
    const outbox = process.env.MAIL_OUTBOX!
    // Quoted-printable: soft line breaks and '=' encoded as =3D.
    const decode = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
    const mails = readdirSync(outbox).map((f) => decode(readFileSync(`${outbox}/${f}`, 'utf8')))
    const mail = mails.find((m) => m.includes(tracking))
    expect(mail).toMatch(/^To: rights@example\.org$/m)
    expect(mail).toContain(`key=${key}`)
  })

  test('sent twice with the same form (double click, retry) makes one response and the same receipt', async () => {
    const round = await openRound()
    const fields = validFields(round)
    const [a, b] = await Promise.all([send(round.slug, fields), send(round.slug, fields)])
    const third = await send(round.slug, fields)
    expect(receiptOf(a!).location.href).toBe(receiptOf(b!).location.href)
    expect(receiptOf(third).location.href).toBe(receiptOf(a!).location.href)
    expect(await responseRows(fields.submissionKey as string)).toHaveLength(1)
  })

  test('keeps text exactly as typed: scripts, right-to-left, emoji; only NFC and control characters change', async () => {
    const round = await openRound()
    const typed = '<script>alert("x")</script> שלום עולם مرحبا 👩🏽‍💻 e\u0301\r\nline two\u0007\tend'
    const fields = validFields(round, {
      'scopes[1].body': typed,
      organisation: 'Ünïcödé <b>Org</b>',
    })
    const { tracking, key } = receiptOf(await send(round.slug, fields))
    const view = await viewLoader({
      request: pageRequest(`/responses/${tracking}?key=${key}`),
      params: { trackingNumber: tracking },
      context,
    })
    const body = view.view.items.find((i) => i.controlId === round.controlIds[0])!.body
    expect(body).toBe('<script>alert("x")</script> שלום עולם مرحبا 👩🏽‍💻 \u00e9\nline two\tend')
    expect(view.view.form.organisation).toBe('Ünïcödé <b>Org</b>')
  })

  test('a database error half-way leaves nothing behind', async () => {
    const round = await openRound()
    const db = getDb()
    // A failure at the last write of a submission, in each engine's own trigger syntax.
    if (isPostgres(db)) {
      await sql`create function fail_attachment() returns trigger language plpgsql as $$
        begin
          if new.filename = 'boom.pdf' then raise exception 'disk full (simulated)'; end if;
          return new;
        end $$`.execute(db)
      await sql`create trigger fail_attachment before insert on attachments
        for each row execute function fail_attachment()`.execute(db)
    } else {
      await sql`create trigger fail_attachment before insert on attachments when new.filename = 'boom.pdf'
        begin select raise(abort, 'disk full (simulated)'); end`.execute(db)
    }
    try {
      const fields = validFields(round)
      const before = await db
        .selectFrom('response_items')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      await expect(
        send(round.slug, fields, { uploads: [{ field: 'files', name: 'boom.pdf', bytes: PDF }] }),
      ).rejects.toThrow(/disk full/)
      expect(await responseRows(fields.submissionKey as string)).toEqual([])
      const after = await db
        .selectFrom('response_items')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      expect(after.n).toBe(before.n)
    } finally {
      if (isPostgres(db)) {
        await sql`drop trigger fail_attachment on attachments`.execute(db)
        await sql`drop function fail_attachment()`.execute(db)
      } else {
        await sql`drop trigger fail_attachment`.execute(db)
      }
    }
  })

  test('too many from one client in ten minutes are refused with a wait, and the text is kept', async () => {
    // Windows are whole ten minutes: the clock stands still so the test cannot straddle one.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const round = await openRound()
    for (let i = 0; i < 20; i++)
      await send(round.slug, validFields(round), { client: '203.0.113.200' })
    const refused = (await send(
      round.slug,
      validFields(round, { 'scopes[0].body': 'STILL HERE' }),
      { client: '203.0.113.200' },
    )) as Failure
    expect(refused.init.status).toBe(429)
    expect(refused.data.result.error?.['']?.[0]).toMatch(/^respond\.rateLimited\|\d+$/)
    expect(JSON.stringify(refused.data.result.initialValue)).toContain('STILL HERE')
  })
})

describe('the closing time', () => {
  test('is enforced to the second, for new responses and for edits', async () => {
    const closesAt = new Date(Date.now() + 60 * 60_000)
    const round = await openRound({ closesAt: closesAt.toISOString() })
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(closesAt.getTime() - 1))
    const { tracking, key } = receiptOf(await send(round.slug, validFields(round)))

    vi.setSystemTime(closesAt)
    const late = (await send(
      round.slug,
      validFields(round, { 'scopes[0].body': 'TOO LATE' }),
    )) as Failure
    expect(late.init.status).toBe(409)
    expect(late.data.result.error?.['']).toEqual(['respond.closedWhileWriting'])
    expect(JSON.stringify(late.data.result.initialValue)).toContain('TOO LATE')
    const page = await respondLoader({
      request: pageRequest(`/consultations/${round.slug}/respond`),
      params: { slug: round.slug },
      context,
    })
    expect(page.window.accepting).toBe(false)

    const edit = (await editAction({
      request: responseRequest(`/responses/${tracking}/edit?key=${key}`, validFields(round)),
      params: { trackingNumber: tracking },
      context,
    })) as Failure
    expect(edit.init.status).toBe(409)
    const withdraw = (await viewAction({
      request: pageRequest(`/responses/${tracking}?key=${key}`, {
        form: { intent: 'withdraw', confirm: 'on' },
      }),
      params: { trackingNumber: tracking },
      context,
    })) as unknown as { init: ResponseInit }
    expect(withdraw.init.status).toBe(409)
  })

  test('where the round allows it, a late response is accepted and marked late', async () => {
    const round = await openRound({
      closesAt: new Date(Date.now() - 60_000).toISOString(),
      lateCommentsAllowed: true,
    })
    const fields = validFields(round)
    receiptOf(await send(round.slug, fields))
    const [row] = await responseRows(fields.submissionKey as string)
    expect(row!.is_late).toBe(1)
  })
})

describe('editing and withdrawing through the private link', () => {
  test('an edit replaces the content; a withdrawal hides it and forgets the contact details', async () => {
    const round = await openRound()
    const fields = validFields(round, { contactEmail: 'me@example.net' })
    const { tracking, key } = receiptOf(
      await send(round.slug, fields, {
        uploads: [{ field: 'files', name: 'old.pdf', bytes: PDF }],
      }),
    )
    const [row] = await responseRows(fields.submissionKey as string)
    const [old] = await getDb()
      .selectFrom('attachments')
      .where('response_id', '=', row!.id)
      .select('id')
      .execute()

    const edited = await editAction({
      request: responseRequest(
        `/responses/${tracking}/edit?key=${key}`,
        validFields(round, {
          'scopes[1].position': 'oppose',
          'scopes[1].body': 'Changed my mind.',
          'scopes[2].position': 'support',
          removeAttachments: String(old!.id),
          contactEmail: 'me@example.net',
        }),
        { uploads: [{ field: 'files', name: 'new.txt', bytes: new TextEncoder().encode('new') }] },
      ),
      params: { trackingNumber: tracking },
      context,
    })
    expect(edited).toBeInstanceOf(Response)
    const view = await viewLoader({
      request: pageRequest(`/responses/${tracking}?key=${key}`),
      params: { trackingNumber: tracking },
      context,
    })
    expect(view.view.items.map((i) => [i.controlId, i.position, i.body])).toEqual([
      [round.controlIds[0], 'oppose', 'Changed my mind.'],
      [round.controlIds[1], 'support', ''],
    ])
    expect(view.view.attachments.map((a) => a.filename)).toEqual(['new.txt'])

    const refused = (await viewAction({
      request: pageRequest(`/responses/${tracking}?key=${key}`, { form: { intent: 'withdraw' } }),
      params: { trackingNumber: tracking },
      context,
    })) as unknown as { init: ResponseInit }
    expect(refused.init.status).toBe(400)
    await viewAction({
      request: pageRequest(`/responses/${tracking}?key=${key}`, {
        form: { intent: 'withdraw', confirm: 'on' },
      }),
      params: { trackingNumber: tracking },
      context,
    })
    const after = await getDb()
      .selectFrom('responses')
      .where('id', '=', row!.id)
      .select(['status', 'contact_email', 'withdrawn_at'])
      .executeTakeFirstOrThrow()
    expect(after.status).toBe('withdrawn')
    expect(after.contact_email).toBeNull()
    expect(after.withdrawn_at).not.toBeNull()
  })
})

describe('signed-in participants', () => {
  test('save a draft, find it again, and see their response on their account once sent', async () => {
    const round = await openRound()
    const user = await signedInUser('participant')
    const draftFields = validFields(round, {
      intent: 'draft',
      respondentType: '',
      'scopes[1].body': 'Half-written thought',
    })
    const saved = (await send(round.slug, draftFields, { cookie: user.cookie })) as Response
    expect(saved.headers.get('Location')).toBe('/account?notice=draft#responses')
    expect(await responseRows(draftFields.submissionKey as string)).toEqual([])

    const page = await respondLoader({
      request: pageRequest(`/consultations/${round.slug}/respond`, { cookie: user.cookie }),
      params: { slug: round.slug },
      context,
    })
    expect(page.submissionKey).toBe(draftFields.submissionKey)
    expect(JSON.stringify(page.defaults)).toContain('Half-written thought')

    const { listOwnResponses } = await import('#app/models/responses.server.ts')
    expect((await listOwnResponses(getDb(), { userId: user.id })).map((r) => r.kind)).toEqual([
      'draft',
    ])

    const { tracking } = receiptOf(
      await send(
        round.slug,
        { ...validFields(round), submissionKey: draftFields.submissionKey as string },
        { cookie: user.cookie },
      ),
    )
    const own = await listOwnResponses(getDb(), { userId: user.id })
    expect(own.map((r) => [r.kind, r.trackingNumber])).toEqual([['response', tracking]])
    // The account's session opens its own response without the private key.
    const view = await viewLoader({
      request: pageRequest(`/responses/${tracking}`, { cookie: user.cookie }),
      params: { trackingNumber: tracking },
      context,
    })
    expect(view.view.trackingNumber).toBe(tracking)
  })

  test('an anonymous visitor cannot save a draft', async () => {
    const round = await openRound()
    const thrown = await send(round.slug, validFields(round, { intent: 'draft' })).catch(
      (e: unknown) => e,
    )
    expect((thrown as Response).status).toBe(403)
  })
})

describe('odd requests', () => {
  test('a url-encoded or garbled post gets validation messages, not an error page', async () => {
    const round = await openRound()
    const encoded = (await respond({
      request: pageRequest(`/consultations/${round.slug}/respond`, {
        form: { respondentType: 'ngo' },
      }),
      params: { slug: round.slug },
      context,
    })) as Failure
    expect(encoded.init.status).toBe(400)
    expect(encoded.data.result.error?.country).toEqual(['validation.countryRequired'])
    const garbled = (await respond({
      request: new Request(`http://localhost/consultations/${round.slug}/respond`, {
        method: 'POST',
        headers: {
          'Content-Type': 'multipart/form-data; boundary=nope',
          Origin: 'http://localhost',
        },
        body: 'this is not multipart',
      }),
      params: { slug: round.slug },
      context,
    }).catch((e: unknown) => e)) as Failure | Response
    expect(garbled instanceof Response ? garbled.status : garbled.init.status).toBe(400)
  })
})
