import { afterEach, describe, expect, test, vi } from 'vitest'
import { action as newRoundAction } from '#app/routes/manage.rounds.new.tsx'
import { action as roundAction, loader as manageLoader } from '#app/routes/manage.rounds.$id.tsx'
import { action as newControlAction } from '#app/routes/manage.rounds.$id_.controls.new.tsx'
import { action as editControlAction } from '#app/routes/manage.rounds.$id_.controls.$controlId.tsx'
import { loader as roundLoader } from '#app/routes/consultations.$slug.tsx'
import { loader as documentLoader } from '#app/routes/consultations.$slug_.documents.$documentId.ts'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

type Reply = { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
type DataResult = {
  data: Reply | { intent: string; result?: Reply; message?: string }
  init: ResponseInit | null
}

afterEach(() => {
  vi.useRealTimers()
})

const roundForm = (overrides: Record<string, string> = {}) => ({
  title: 'Controls on intrusion software',
  slug: `round-${Math.random().toString(36).slice(2, 10)}`,
  summary: 'Views sought on draft controls.',
  background: 'Background text',
  commitments: '2',
  timeZone: 'Europe/Copenhagen',
  opensAt: '',
  closesAt: '',
  contactPoint: 'Unit, unit@example.org',
  ...overrides,
})

async function createRoundAs(cookie: string, form: Record<string, string>) {
  const result = await newRoundAction({
    request: pageRequest('/manage/rounds/new', { cookie, form }),
    params: {},
    context,
  })
  if (!(result instanceof Response)) return { id: null, result: result as unknown as DataResult }
  return {
    id: Number(/\/manage\/rounds\/(\d+)/.exec(result.headers.get('Location')!)![1]),
    result: null,
  }
}

async function post(
  cookie: string,
  id: number,
  form: Record<string, string>,
  path = `/manage/rounds/${id}`,
) {
  return roundAction({
    request: pageRequest(path, { cookie, form }),
    params: { id: String(id) },
    context,
  }) as Promise<Response | DataResult>
}

async function addControl(cookie: string, id: number, n: number) {
  const result = await newControlAction({
    request: pageRequest(`/manage/rounds/${id}/controls/new`, {
      cookie,
      form: {
        reference: `Draft item ${n}`,
        title: `Control ${n}`,
        body: `Text of control ${n}`,
        questions: `Question ${n}a\nQuestion ${n}b`,
      },
    }),
    params: { id: String(id) },
    context,
  })
  expect(result).toBeInstanceOf(Response)
}

describe('creating a round', () => {
  test('stores the dates in UTC from the zone they were entered in, winter and summer', async () => {
    const { cookie } = await signedInUser('official')
    const { id } = await createRoundAs(
      cookie,
      roundForm({ opensAt: '2027-01-15T09:00', closesAt: '2027-07-15T17:00' }),
    )
    const row = await getDb()
      .selectFrom('consultations')
      .where('id', '=', id!)
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row.opens_at).toBe('2027-01-15T08:00:00.000Z') // CET, UTC+1
    expect(row.closes_at).toBe('2027-07-15T15:00:00.000Z') // CEST, UTC+2
    expect(row.published_at).toBeNull()
    const audit = await getDb()
      .selectFrom('audit_log')
      .where('entity_type', '=', 'consultation')
      .where('entity_id', '=', String(id))
      .select('action')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['consultation.created'])
  })

  test('bad input gets a message per field and everything typed back', async () => {
    const { cookie } = await signedInUser('official')
    const taken = roundForm()
    await createRoundAs(cookie, taken)
    const cases: [Record<string, string>, string, string][] = [
      [{ title: '' }, 'title', 'validation.titleRequired'],
      [{ slug: 'Not A Slug!' }, 'slug', 'validation.slugInvalid'],
      [
        { opensAt: '2027-02-10T10:00', closesAt: '2027-02-01T10:00' },
        'closesAt',
        'validation.closeBeforeOpen',
      ],
      [{ opensAt: '2027-03-28T02:30' }, 'opensAt', 'validation.timeNonexistent'],
      [{ timeZone: 'Mars/Base' }, 'timeZone', 'validation.timeZoneInvalid'],
      [{ slug: taken.slug }, 'slug', 'validation.slugTaken'],
    ]
    for (const [overrides, field, message] of cases) {
      const form = roundForm(overrides)
      const { result } = await createRoundAs(cookie, form)
      expect(result, JSON.stringify(overrides)).not.toBeNull()
      const reply = result!.data as Reply
      expect(reply.error?.[field], field).toEqual([message])
      expect(reply.initialValue?.summary).toBe(form.summary)
      expect(reply.initialValue?.background).toBe(form.background)
    }
  })
})

describe('the lifecycle of a round', () => {
  test('schedule needs a future opening, a closing and a control; then it opens and closes on the second', async () => {
    const { cookie } = await signedInUser('official')
    const { id } = await createRoundAs(
      cookie,
      roundForm({ opensAt: '2031-01-10T09:00', closesAt: '2031-02-10T17:00' }),
    )
    const refused = (await post(cookie, id!, {
      intent: 'transition',
      transition: 'schedule',
    })) as DataResult
    expect(refused.init?.status).toBe(409)
    expect((refused.data as { message: string }).message).toBe('manage.needControl')

    await addControl(cookie, id!, 1)
    expect(
      await post(cookie, id!, { intent: 'transition', transition: 'schedule' }),
    ).toBeInstanceOf(Response)
    const row = await getDb()
      .selectFrom('consultations')
      .where('id', '=', id!)
      .select(['slug', 'published_at'])
      .executeTakeFirstOrThrow()
    expect(row.published_at).not.toBeNull()

    const statusAt = async (iso: string) => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date(iso))
      const page = (await roundLoader({
        request: pageRequest(`/consultations/${row.slug}`),
        params: { slug: row.slug },
        context,
      })) as {
        round: { status: string }
      }
      vi.useRealTimers()
      return page.round.status
    }
    // 09:00 in Copenhagen in January is 08:00 UTC; 17:00 in February is 16:00 UTC.
    expect(await statusAt('2031-01-10T07:59:59.999Z')).toBe('upcoming')
    expect(await statusAt('2031-01-10T08:00:00.000Z')).toBe('open')
    expect(await statusAt('2031-02-10T15:59:59.999Z')).toBe('open')
    expect(await statusAt('2031-02-10T16:00:00.000Z')).toBe('closed')
  })

  test('a deadline just after the spring change and one just after the autumn change close at the right UTC second', async () => {
    const { cookie } = await signedInUser('official')
    const cases = [
      // Clocks go forward at 02:00 on 30 March 2031 in Europe: 03:30 is CEST, 01:30 UTC.
      { zone: 'Europe/Oslo', closesAt: '2031-03-30T03:30', utc: '2031-03-30T01:30:00.000Z' },
      // Clocks go back at 03:00 on 26 October 2031: 02:30 happens twice; the first is 00:30 UTC.
      { zone: 'Europe/Oslo', closesAt: '2031-10-26T02:30', utc: '2031-10-26T00:30:00.000Z' },
      // Sydney moves the other way: back on 6 April 2031, so 02:30 is first AEDT (UTC+11).
      { zone: 'Australia/Sydney', closesAt: '2031-04-06T02:30', utc: '2031-04-05T15:30:00.000Z' },
      { zone: 'America/New_York', closesAt: '2031-03-09T03:30', utc: '2031-03-09T07:30:00.000Z' },
    ]
    for (const c of cases) {
      const { id } = await createRoundAs(
        cookie,
        roundForm({ timeZone: c.zone, opensAt: '2031-01-01T09:00', closesAt: c.closesAt }),
      )
      expect(id, c.zone).not.toBeNull()
      const row = await getDb()
        .selectFrom('consultations')
        .where('id', '=', id!)
        .select('closes_at')
        .executeTakeFirstOrThrow()
      expect(row.closes_at, `${c.zone} ${c.closesAt}`).toBe(c.utc)
      // And it reads back as the same wall-clock time for editing.
      const page = (await manageLoader({
        request: pageRequest(`/manage/rounds/${id}`, { cookie }),
        params: { id: String(id) },
        context,
      })) as {
        formDefaults: { closesAt: string }
      }
      expect(page.formDefaults.closesAt).toBe(c.closesAt)
    }
  })

  test('open, close and archive are audit-logged with what changed', async () => {
    const official = await signedInUser('official')
    const { id } = await createRoundAs(official.cookie, roundForm({ closesAt: '2031-05-01T12:00' }))
    await addControl(official.cookie, id!, 1)
    for (const transition of ['open', 'close', 'archive']) {
      expect(await post(official.cookie, id!, { intent: 'transition', transition })).toBeInstanceOf(
        Response,
      )
    }
    const entries = await getDb()
      .selectFrom('audit_log')
      .where('entity_type', '=', 'consultation')
      .where('entity_id', '=', String(id))
      .select(['action', 'actor_id', 'after'])
      .orderBy('id')
      .execute()
    expect(entries.map((e) => e.action)).toEqual([
      'consultation.created',
      'consultation.open',
      'consultation.close',
      'consultation.archive',
    ])
    expect(new Set(entries.map((e) => e.actor_id))).toEqual(new Set([official.id]))
    expect(Object.keys(JSON.parse(entries[1]!.after!))).toEqual(['published_at', 'opens_at'])
  })
})

describe('proposed controls', () => {
  test("a reference another control of the round has is refused, with the form's text kept", async () => {
    const { cookie } = await signedInUser('official')
    const { id } = await createRoundAs(cookie, roundForm())
    for (const n of [1, 2]) await addControl(cookie, id!, n)
    const form = {
      reference: 'Draft item 1',
      title: 'A third control',
      body: 'Its text',
      questions: '',
    }
    const added = (await newControlAction({
      request: pageRequest(`/manage/rounds/${id}/controls/new`, { cookie, form }),
      params: { id: String(id) },
      context,
    })) as unknown as DataResult
    expect(added.init?.status).toBe(400)
    const reply = added.data as Reply
    expect(reply.error?.reference).toEqual(['validation.referenceTaken'])
    expect(reply.initialValue).toMatchObject({ title: 'A third control', body: 'Its text' })

    const controls = await getDb()
      .selectFrom('controls')
      .where('consultation_id', '=', id!)
      .orderBy('position')
      .select(['id', 'reference'])
      .execute()
    expect(controls.map((c) => c.reference)).toEqual(['Draft item 1', 'Draft item 2'])
    const edit = (reference: string) =>
      editControlAction({
        request: pageRequest(`/manage/rounds/${id}/controls/${controls[1]!.id}`, {
          cookie,
          form: { ...form, reference },
        }),
        params: { id: String(id), controlId: String(controls[1]!.id) },
        context,
      })
    const taken = (await edit('Draft item 1')) as unknown as DataResult
    expect(taken.init?.status).toBe(400)
    expect((taken.data as Reply).error?.reference).toEqual(['validation.referenceTaken'])
    // Its own reference, and a new one, are fine; another round may use the same.
    expect(await edit('Draft item 2')).toBeInstanceOf(Response)
    expect(await edit('Draft item 2b')).toBeInstanceOf(Response)
    const other = await createRoundAs(cookie, roundForm())
    await addControl(cookie, other.id!, 1)
  })

  test('are added, reordered and removed while the round is a draft', async () => {
    const { cookie } = await signedInUser('official')
    const { id } = await createRoundAs(cookie, roundForm())
    for (const n of [1, 2, 3]) await addControl(cookie, id!, n)
    const order = async () =>
      await getDb()
        .selectFrom('controls')
        .where('consultation_id', '=', id!)
        .orderBy('position')
        .select(['id', 'reference'])
        .execute()
    const [first, , third] = await order()
    await post(cookie, id!, { intent: 'move-up', controlId: String(third!.id) })
    expect((await order()).map((c) => c.reference)).toEqual([
      'Draft item 1',
      'Draft item 3',
      'Draft item 2',
    ])
    await post(cookie, id!, { intent: 'remove-control', controlId: String(first!.id) })
    expect((await order()).map((c) => c.reference)).toEqual(['Draft item 3', 'Draft item 2'])
    const actions = await getDb()
      .selectFrom('audit_log')
      .where('entity_type', '=', 'control')
      .select('action')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['control.created', 'control.moved', 'control.removed']),
    )
  })

  test('after the round opens, structure is locked and edits are amendments that keep answered questions', async () => {
    const { cookie } = await signedInUser('official')
    const { id } = await createRoundAs(cookie, roundForm({ closesAt: '2031-05-01T12:00' }))
    await addControl(cookie, id!, 1)
    await addControl(cookie, id!, 2)
    await post(cookie, id!, { intent: 'transition', transition: 'open' })
    const [control] = await getDb()
      .selectFrom('controls')
      .where('consultation_id', '=', id!)
      .orderBy('position')
      .select('id')
      .execute()
    const questionsBefore = await getDb()
      .selectFrom('control_questions')
      .where('control_id', '=', control!.id)
      .orderBy('position')
      .select(['id', 'prompt'])
      .execute()

    const locked = (await post(cookie, id!, {
      intent: 'remove-control',
      controlId: String(control!.id),
    })) as DataResult
    expect(locked.init?.status).toBe(409)

    const edit = await editControlAction({
      request: pageRequest(`/manage/rounds/${id}/controls/${control!.id}`, {
        cookie,
        form: {
          reference: 'Draft item 1',
          title: 'Control 1 (corrected)',
          body: 'Corrected text',
          questions: 'Question 1a\nA new question',
        },
      }),
      params: { id: String(id), controlId: String(control!.id) },
      context,
    })
    expect(edit).toBeInstanceOf(Response)
    const after = await getDb()
      .selectFrom('controls')
      .where('id', '=', control!.id)
      .select(['title', 'amended_at'])
      .executeTakeFirstOrThrow()
    expect(after.title).toBe('Control 1 (corrected)')
    expect(after.amended_at).not.toBeNull()
    const questionsAfter = await getDb()
      .selectFrom('control_questions')
      .where('control_id', '=', control!.id)
      .orderBy('position')
      .select(['id', 'prompt'])
      .execute()
    expect(questionsAfter.map((q) => q.prompt)).toEqual(['Question 1a', 'A new question'])
    expect(questionsAfter[0]!.id).toBe(questionsBefore[0]!.id)
    const audit = await getDb()
      .selectFrom('audit_log')
      .where('entity_type', '=', 'control')
      .where('entity_id', '=', String(control!.id))
      .select('action')
      .execute()
    expect(audit.map((a) => a.action)).toContain('control.amended')

    const slug = (
      await getDb()
        .selectFrom('consultations')
        .where('id', '=', id!)
        .select('slug')
        .executeTakeFirstOrThrow()
    ).slug
    const page = (await roundLoader({
      request: pageRequest(`/consultations/${slug}`),
      params: { slug },
      context,
    })) as {
      round: { controls: { amendedAt: string | null }[] }
    }
    expect(page.round.controls[0]!.amendedAt).not.toBeNull()
    expect(page.round.controls[1]!.amendedAt).toBeNull()
  })

  test('Markdown in a control renders inert on the public page', async () => {
    const { cookie } = await signedInUser('official')
    const slug = `inert-${Date.now()}`
    const { id } = await createRoundAs(
      cookie,
      roundForm({
        slug,
        closesAt: '2031-05-01T12:00',
        background: '<script>alert(1)</script>[x](javascript:alert(2))',
      }),
    )
    const result = await newControlAction({
      request: pageRequest(`/manage/rounds/${id}/controls/new`, {
        cookie,
        form: {
          reference: 'R1',
          title: 'T',
          body: 'Hi <img src=x onerror=alert(1)> [click](javascript:alert(1)) <script>x</script>',
        },
      }),
      params: { id: String(id) },
      context,
    })
    expect(result, JSON.stringify(result)).toBeInstanceOf(Response)
    await post(cookie, id!, { intent: 'transition', transition: 'open' })
    const page = (await roundLoader({
      request: pageRequest(`/consultations/${slug}`),
      params: { slug },
      context,
    })) as {
      round: { backgroundHtml: string; controls: { bodyHtml: string }[] }
    }
    for (const html of [page.round.backgroundHtml, page.round.controls[0]!.bodyHtml]) {
      // No element that runs code: no script or img tag, no event attribute, no javascript: URL.
      expect(html).not.toMatch(/<script|<img/i)
      expect(html).not.toMatch(/<[^>]*\son\w+=/i)
      expect(html).not.toMatch(/(href|src)="\s*javascript:/i)
    }
    expect(page.round.controls[0]!.bodyHtml).toContain('&lt;script&gt;')
  })
})

describe('drafts and documents', () => {
  test('a draft is a 404 for the public and for participants, and a preview for officials', async () => {
    const official = await signedInUser('official')
    const participant = await signedInUser('participant')
    const slug = `draft-${Date.now()}`
    await createRoundAs(official.cookie, roundForm({ slug }))
    for (const cookie of [undefined, participant.cookie]) {
      const thrown = await roundLoader({
        request: pageRequest(`/consultations/${slug}`, { cookie }),
        params: { slug },
        context,
      }).catch((e: unknown) => e)
      expect((thrown as Response).status).toBe(404)
    }
    const preview = (await roundLoader({
      request: pageRequest(`/consultations/${slug}`, { cookie: official.cookie }),
      params: { slug },
      context,
    })) as {
      round: { status: string }
    }
    expect(preview.round.status).toBe('draft')
  })

  test('only real PDFs within the size limit are accepted, and they download as attachments', async () => {
    const { cookie } = await signedInUser('official')
    const slug = `docs-${Date.now()}`
    const { id } = await createRoundAs(cookie, roundForm({ slug }))
    const upload = (title: string, file: File) => {
      const form = new FormData()
      form.set('intent', 'add-document')
      form.set('title', title)
      form.set('file', file)
      return roundAction({
        request: new Request(`http://localhost/manage/rounds/${id}`, {
          method: 'POST',
          body: form,
          headers: { Cookie: cookie, Origin: 'http://localhost' },
        }),
        params: { id: String(id) },
        context,
      }) as Promise<Response | DataResult>
    }
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
      1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
    ])
    const renamed = (await upload(
      'Impact assessment',
      new File([png], 'impact.pdf', { type: 'application/pdf' }),
    )) as DataResult
    expect(renamed.init?.status).toBe(400)
    const renamedReply = (renamed.data as { result: Reply }).result
    expect(renamedReply.error?.file).toEqual(['validation.notPdf'])
    expect(renamedReply.initialValue?.title).toBe('Impact assessment')

    const { DOCUMENT_MAX_BYTES } = await import('#app/models/consultation-input.server.ts')
    const big = new Uint8Array(DOCUMENT_MAX_BYTES + 1)
    big.set(new TextEncoder().encode('%PDF-1.7\n'))
    const tooBig = (await upload(
      'Annex',
      new File([big], 'annex.pdf', { type: 'application/pdf' }),
    )) as DataResult
    expect((tooBig.data as { result: Reply }).result.error?.file).toEqual([
      'validation.fileTooLarge',
    ])
    expect((tooBig.data as { result: Reply }).result.initialValue?.title).toBe('Annex')

    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    expect(
      await upload(
        'Explanatory note',
        new File([pdf], '../../etc/Explanatory note.pdf', { type: 'application/pdf' }),
      ),
    ).toBeInstanceOf(Response)
    const doc = await getDb()
      .selectFrom('consultation_documents')
      .where('consultation_id', '=', id!)
      .select(['id', 'filename', 'size_bytes'])
      .executeTakeFirstOrThrow()
    expect(doc.filename).toBe('Explanatory note.pdf')
    expect(doc.size_bytes).toBe(pdf.byteLength)

    // Draft: officials can download it, the public cannot.
    const anon = await documentLoader({
      request: pageRequest(`/x`),
      params: { slug, documentId: String(doc.id) },
      context,
    }).catch((e: unknown) => e)
    expect((anon as Response).status).toBe(404)
    const download = await documentLoader({
      request: pageRequest(`/x`, { cookie }),
      params: { slug, documentId: String(doc.id) },
      context,
    })
    expect(download.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="Explanatory note.pdf"/,
    )
    expect(download.headers.get('Content-Type')).toBe('application/pdf')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf)
  })
})
