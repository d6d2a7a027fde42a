// The upload parser and the file checks, given hostile bodies and files; and what a respondent
// sees when the portal is too busy, or its database locked or full.
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { action as respondAction } from '#app/routes/consultations.$slug_.respond.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { attachmentSink } from '#app/utils/file-sinks.server.ts'
import { type FileSink, formMemoryBudget, readForm } from '#app/utils/form-reader.server.ts'
import { formShape } from '#app/utils/form-shape.ts'
import { answer, hostileRequest, multipart, stagedFiles } from '#tests/helpers/hostile.ts'
import {
  PNG,
  type Upload,
  openRound,
  responseRequest,
  validFields,
} from '#tests/helpers/responses.ts'
import { docx, zip } from '#tests/helpers/zip.ts'

const client = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`

async function send(
  slug: string,
  fields: Record<string, string | string[]>,
  uploads: Upload[] = [],
) {
  return answer(() =>
    respondAction({
      request: responseRequest(`/consultations/${slug}/respond`, fields, { uploads }),
      params: { slug },
      context: { clientAddress: client() },
    }),
  )
}

type Reply = {
  result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
const HTML = '<!doctype html><html><body><script>alert(1)</script></body></html>'

describe('files, checked by their bytes', { timeout: 120_000 }, () => {
  test('SVG and HTML dressed as an image or a PDF are refused, with the text kept', async () => {
    const round = await openRound()
    for (const [name, bytes] of [
      ['photo.png', SVG],
      ['letter.pdf', HTML],
      ['scan.jpg', SVG],
      ['drawing.svg', SVG],
      ['page.html', HTML],
    ] as const) {
      const fields = validFields(round, { 'scopes[1].body': `About ${name}` })
      const out = await send(round.slug, fields, [
        { field: 'files', name, bytes: new TextEncoder().encode(bytes) },
      ])
      expect(out.status, name).toBe(400)
      const reply = (out.body as Reply).result
      expect(reply.error?.files?.[0], name).toMatch(/validation\.fileType(Mismatch|NotAllowed)/)
      expect(
        reply.initialValue?.['scopes[1].body'] ??
          (reply.initialValue as { scopes?: { body?: string }[] })?.scopes?.[1]?.body,
      ).toBe(`About ${name}`)
    }
    expect(await stagedFiles()).toBe(0)
  })

  test('random bytes named as any allowed kind of file are refused (300 cases)', async () => {
    const round = await openRound()
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.constantFrom('pdf', 'png', 'jpg', 'jpeg', 'docx', 'odt'),
        async (bytes, ext) => {
          // A real PDF or PNG header makes a real file: leave those to the tests of real files.
          fc.pre(
            !/^(%PDF|\x89PNG|\xff\xd8\xff|PK)/.test(
              Buffer.from(bytes.slice(0, 4)).toString('latin1'),
            ),
          )
          const out = await send(round.slug, validFields(round), [
            { field: 'files', name: `file.${ext}`, bytes },
          ])
          expect(out.status).toBe(400)
          expect((out.body as Reply).result.error?.files?.[0]).toMatch(/validation\.fileType/)
        },
      ),
      { numRuns: 300 },
    )
    expect(await stagedFiles()).toBe(0)
  })

  test('a DOCX zip bomb (64 MiB behind 64 KiB) is answered at once and never inflated whole', async () => {
    const round = await openRound()
    const bomb = new Uint8Array(64 * 1024 * 1024)
    const cases: [string, Uint8Array][] = [
      // [Content_Types].xml itself is the bomb, declaring a small size.
      [
        'bomb.docx',
        zip([
          { name: '[Content_Types].xml', data: bomb, declaredSize: 300 },
          { name: 'word/document.xml', data: new Uint8Array(10) },
        ]),
      ],
      // A well-formed DOCX with a bomb inside: it is a DOCX, and is stored as sent.
      ['annex.docx', docx([{ name: 'word/media/huge.bin', data: bomb }])],
      ['bomb.odt', zip([{ name: 'mimetype', data: bomb, store: false, declaredSize: 39 }])],
    ]
    for (const [name, bytes] of cases) {
      expect(bytes.byteLength).toBeLessThan(200 * 1024)
      global.gc?.()
      const heapBefore = process.memoryUsage().heapUsed
      const started = performance.now()
      const out = await send(round.slug, validFields(round), [{ field: 'files', name, bytes }])
      expect(performance.now() - started, name).toBeLessThan(3000)
      expect(out.status, name).toBeLessThan(500)
      expect(process.memoryUsage().heapUsed - heapBefore, name).toBeLessThan(48 * 1024 * 1024)
    }
    expect(await stagedFiles()).toBe(0)
  })

  test('real DOCX and ODT files are recognised and stored', async () => {
    const round = await openRound()
    const odt = zip([
      {
        name: 'mimetype',
        data: Buffer.from('application/vnd.oasis.opendocument.text'),
        store: true,
      },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
    ])
    const fields = validFields(round, { confidentialJustification: 'Prices of a named supplier.' })
    const out = await send(round.slug, fields, [
      { field: 'files', name: 'position.docx', bytes: docx() },
      { field: 'files', name: 'annex.odt', bytes: odt },
      { field: 'confidentialFiles', name: 'chart.png', bytes: PNG },
    ])
    expect(out.status, JSON.stringify(out.body)).toBe(302)
    const tracking = out.location!.split('?')[0]!.split('/').pop()!
    const stored = await getDb()
      .selectFrom('attachments as a')
      .innerJoin('responses as r', 'r.id', 'a.response_id')
      .where('r.tracking_number', '=', tracking)
      .select(['a.filename', 'a.media_type', 'a.confidential'])
      .orderBy('a.id')
      .execute()
    expect(stored).toEqual([
      {
        filename: 'position.docx',
        media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        confidential: 0,
      },
      {
        filename: 'annex.odt',
        media_type: 'application/vnd.oasis.opendocument.text',
        confidential: 0,
      },
      { filename: 'chart.png', media_type: 'image/png', confidential: 1 },
    ])
  })
})

describe('the upload parser, given any body', { timeout: 120_000 }, () => {
  const shape = formShape(z.object({ title: z.string(), note: z.string() }), {
    files: { file: 2 },
  })
  const boundary = '----portalFuzz7MA4YWxkTrZu0gW'
  // Pieces a multipart body is made of, in any order and any number, with junk among them.
  const piece = fc.oneof(
    fc.constantFrom(
      `--${boundary}\r\n`,
      `--${boundary}--\r\n`,
      `--${boundary}`,
      'Content-Disposition: form-data; name="title"\r\n\r\n',
      'Content-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n',
      'Content-Disposition: form-data; name="\n"\r\n\r\n',
      'Content-Disposition: form-data; name="note"; filename\r\n\r\n',
      'Content-Disposition: attachment\r\n\r\n',
      `Content-Type: text/plain; charset=${'x'.repeat(300)}\r\n`,
      `X-Header: ${'y'.repeat(9000)}\r\n`,
      '\r\n',
      '\n',
      '%PDF-1.4\n',
    ),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.nat({ max: 70_000 }).map((n) => 'z'.repeat(n)),
  )

  test('any arrangement of parts, headers and junk is read or refused with a 4xx, within 3 s (1000 cases)', async () => {
    const round = await openRound()
    const sink = await attachmentSink(getDb(), round.id)
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), async (pieces) => {
        const body = Buffer.from(pieces.join(''), 'latin1')
        const request = new Request('http://localhost/x', {
          method: 'POST',
          headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
          body,
        })
        const started = performance.now()
        let timer: NodeJS.Timeout | undefined
        const result = await Promise.race([
          readForm(request, shape, { files: sink }).then(
            async (form) => {
              // What was read is this form's, and its files are the caller's to discard.
              for (const key of form.formData.keys())
                expect(['title', 'note', 'file']).toContain(key)
              await sink.discard(form.files.flatMap((f) => (f.blob ? [f.blob] : [])))
              return 200
            },
            (error: unknown) => {
              if (!(error instanceof Response)) throw error
              return error.status
            },
          ),
          new Promise<number>((resolve) => {
            timer = setTimeout(() => resolve(-1), 3000)
          }),
        ])
        clearTimeout(timer)
        expect(result, JSON.stringify(pieces).slice(0, 400)).not.toBe(-1)
        expect(result === 200 || (result >= 400 && result < 500)).toBe(true)
        expect(performance.now() - started).toBeLessThan(3000)
      }),
      { numRuns: 1000 },
    )
    expect(await stagedFiles()).toBe(0)
  })

  test('a part that busboy skips but would stall on (a name with a bare line break) is cut off', async () => {
    const body = multipart([{ name: 'a\nb', value: 'x'.repeat(100_000) }], boundary)
    const out = await answer(() =>
      readForm(
        hostileRequest('/x', [{ name: 'a\nb', value: 'x'.repeat(100_000) }], { kind: 'multipart' }),
        shape,
      ),
    )
    expect(body.byteLength).toBeGreaterThan(100_000)
    expect(out.status).toBe(400)
    expect(out.body).toEqual({ error: { status: 400, reason: 'malformed' } })
  })
  test('a sink that fails while its file is still arriving is a refusal, not an unheard stream error', async () => {
    // The file's stream is destroyed by the refusal after the failed sink stopped listening to
    // it (a database locked under load did this): an 'error' nobody hears ends the process,
    // which vitest reports as an unhandled error of this test.
    const failing: FileSink = {
      maxFileBytes: 10 * 1024 * 1024,
      storageRemaining: 100 * 1024 * 1024,
      // As stageBlob fails on a locked database: at its first write, before reading the file.
      stage: () =>
        Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })),
      discard: () => Promise.resolve(),
    }
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    )
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head)
        controller.enqueue(new Uint8Array(256 * 1024))
        // The rest comes later: the file is still arriving when the sink fails.
        await new Promise((resolve) => setTimeout(resolve, 300))
        controller.enqueue(new Uint8Array(256 * 1024))
        controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`))
        controller.close()
      },
    })
    const request = new Request('http://localhost/x', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit)
    await expect(readForm(request, shape, { files: failing })).rejects.toThrow(/locked/)
    // Time for the destroyed stream's events to be emitted, within this test.
    await new Promise((resolve) => setTimeout(resolve, 500))
  })
})

describe('when the portal cannot take a response just now', { timeout: 120_000 }, () => {
  test('too much being read at once: 503 with Retry-After, and the next one is read', async () => {
    const round = await openRound()
    const budget = formMemoryBudget()
    const all = budget.size - budget.reserved
    expect(budget.tryReserve(all)).toBe(true)
    try {
      const out = await send(round.slug, validFields(round))
      expect(out.status).toBe(503)
      expect(out.body).toEqual({ error: { status: 503, reason: 'busy' } })
    } finally {
      budget.release(all)
    }
    expect((await send(round.slug, validFields(round))).status).toBe(302)
  })

  // SQLite's write lock and file size: PostgreSQL's are the server's (see database-errors).
  test.skipIf(process.env.PORTAL_TEST_ENGINE === 'postgres')(
    'a database locked by another process: retried, then 503 with the text kept; stored once the lock goes',
    async () => {
      const round = await openRound()
      const other = new Database(getEnv().DATABASE_PATH)
      other.exec('begin immediate')
      const fields = validFields(round, { 'scopes[1].body': 'Kept while the database is locked.' })
      let out
      const started = performance.now()
      try {
        out = await send(round.slug, fields)
      } finally {
        other.exec('rollback')
        other.close()
      }
      // Retried for about two seconds, without holding the server's thread.
      expect(performance.now() - started).toBeGreaterThan(1500)
      expect(out.status).toBe(503)
      const reply = (out.body as Reply).result
      expect(reply.error?.['']).toEqual(['respond.unavailable'])
      expect(JSON.stringify(reply.initialValue)).toContain('Kept while the database is locked.')
      expect(
        await getDb()
          .selectFrom('responses')
          .where('idempotency_key', '=', fields.submissionKey as string)
          .select('id')
          .execute(),
      ).toEqual([])
      // The same form, sent again, is stored.
      expect((await send(round.slug, fields)).status).toBe(302)
    },
  )

  // SQLite's write lock and file size: PostgreSQL's are the server's (see database-errors).
  test.skipIf(process.env.PORTAL_TEST_ENGINE === 'postgres')(
    'a full disk (SQLite cannot grow the file): 503 with the text kept, nothing half-stored',
    async () => {
      const round = await openRound()
      const db = getDb()
      // No free pages left to reuse: the response needs the file to grow.
      await sql`vacuum`.execute(db)
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db)
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db)
      const fields = validFields(round, {
        'scopes[1].body': `A long text that needs new pages. ${'Lorem ipsum dolor sit amet. '.repeat(1500)}`,
        submissionKey: randomUUID(),
      })
      let out
      try {
        out = await send(round.slug, fields)
      } finally {
        await sql`pragma max_page_count = 4294967294`.execute(db)
      }
      expect(out.status, JSON.stringify(out.body).slice(0, 300)).toBe(503)
      expect(JSON.stringify((out.body as Reply).result.initialValue)).toContain(
        'A long text that needs new pages.',
      )
      expect(
        await db
          .selectFrom('responses')
          .where('idempotency_key', '=', fields.submissionKey as string)
          .select('id')
          .execute(),
      ).toEqual([])
      expect((await send(round.slug, fields)).status).toBe(302)
    },
  )
})
