import { parse } from 'csv-parse/sync'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { type JobFile } from '#app/components/job-progress.tsx'
import { getJobOutput } from '#app/jobs/job-outputs.server.ts'
import { type JobKind, enqueueJob, getJob, requestCancel } from '#app/jobs/jobs.server.ts'
import { exportResponses, makePublicReport, makeReport } from '#app/jobs/report-jobs.server.ts'
import { renderInThread } from '#app/jobs/report-thread.server.ts'
import type { JobContext, JobHandler, JobRunner } from '#app/jobs/runner.server.ts'
import { readBlob, sweepBlobs } from '#app/models/file-store.server.ts'
import { exportCsv, exportJson } from '#app/reports/exports.server.ts'
import { loader as publicReport } from '#app/routes/consultations.$slug_.report[.]pdf.ts'
import { loader as jobPage } from '#app/routes/manage.jobs.$id.tsx'
import { loader as download } from '#app/routes/manage.jobs.$id_.download.ts'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as exportAction } from '#app/routes/manage.rounds.$id_.export.ts'
import { getDb } from '#app/utils/db.server.ts'
import { clearCache, clearLocalCache } from '#app/utils/ttl-cache.server.ts'
import { sampleReportModel } from '#tests/fixtures/report-model.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { docxText, pdfText } from '#tests/helpers/documents.ts'
import { dropBossSchema, startTestRunner } from '#tests/helpers/job-runner.ts'

// The report, the exports and the public report's copy, made by jobs through a real runner
// (SQLite, or pg-boss on PostgreSQL), and the routes that ask for them and hand them out.

const runners: JobRunner[] = []

async function runner(handlers: Partial<Record<JobKind, JobHandler>> = {}) {
  const started = await startTestRunner(handlers)
  runners.push(started)
  return started
}

afterEach(async () => {
  for (const started of runners.splice(0)) await started.stop()
})

afterAll(async () => {
  await dropBossSchema()
})

type Step = Parameters<JobContext['progress']>[0]

/** The handler, with every progress step it reports written down in `seen`. */
function recording(handler: JobHandler, seen: Step[]): JobHandler {
  return (context) =>
    handler({
      ...context,
      progress: (step) => {
        seen.push(step)
        return context.progress(step)
      },
    })
}

/** The phases in the order they came, each once. */
const phasesOf = (seen: Step[]) => seen.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1])

const TITLE = 'Licensing of intrusion software'
const CONFIDENTIAL = 'CONFIDENTIAL-TEXT-5be1'

async function round() {
  const db = getDb()
  const slug = `jobs-report-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`
  const made = await createConsultation(db, {
    slug,
    title: TITLE,
    publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    timeZone: 'Europe/Oslo',
    controls: [{ reference: 'Item 1', title: 'Brokers' }],
  })
  const controlId = made.controlIds[0]!
  for (let i = 0; i < 3; i++) {
    await createResponse(db, {
      consultationId: made.id,
      respondentType: 'ngo',
      organisation: `Defenders Network ${i}`,
      publication: 'named',
      status: 'published',
      country: 'NO',
      contactEmail: `contact-${i}@example.org`,
      items: [{ controlId, position: 'support', body: `Brokers must be licensed too, ${i}.` }],
    })
  }
  await createResponse(db, {
    consultationId: made.id,
    respondentType: 'company',
    organisation: 'Vendor AB',
    publication: 'named',
    status: 'published',
    country: 'SE',
    confidential: { justification: 'Trade secrets', publicVersion: 'A public version.' },
    items: [{ controlId, position: 'oppose', body: CONFIDENTIAL }],
  })
  return { id: made.id, slug }
}

async function blobCount() {
  const row = await getDb()
    .selectFrom('file_blobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function auditActions(actorId: number) {
  const rows = await getDb()
    .selectFrom('audit_log')
    .where('actor_id', '=', actorId)
    .orderBy('id')
    .select(['action', 'after'])
    .execute()
  return rows.filter((r) => r.action !== 'user.created')
}

async function outputBytes(jobId: number) {
  const output = await getJobOutput(getDb(), { jobId })
  expect(output, `job ${jobId} has a file`).toBeDefined()
  const bytes = await readBlob(getDb(), output!.blobId)
  expect(bytes.byteLength).toBe(output!.sizeBytes)
  return { output: output!, bytes }
}

const bodyOf = async (response: Response) => new Uint8Array(await response.arrayBuffer())

describe('the report job', () => {
  test('stores a real PDF and DOCX of the round, moving through gathering, layout and storing', async () => {
    const r = await round()
    const seen: Step[] = []
    const started = await runner({ 'report.make': recording(makeReport, seen) })
    const { job: pdfJob } = await enqueueJob(getDb(), {
      kind: 'report.make',
      consultationId: r.id,
      actor: null,
      payload: { format: 'pdf', locale: 'en', timeZone: 'Europe/Oslo' },
    })
    await started.idle()
    const pdf = await outputBytes(pdfJob.id)
    expect(pdf.output).toMatchObject({
      filename: `${r.slug}-report.pdf`,
      mediaType: 'application/pdf',
    })
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-')
    const text = (await pdfText(pdf.bytes.slice())).replace(/\s+/g, ' ')
    expect(text).toContain(TITLE)
    expect(text).toContain('Item 1: Brokers')
    expect(text).toContain('Defenders Network 2')
    expect(text).not.toContain(CONFIDENTIAL)
    expect((await getJob(getDb(), { id: pdfJob.id }))!).toMatchObject({
      state: 'succeeded',
      result: { filename: `${r.slug}-report.pdf`, sizeBytes: pdf.bytes.byteLength },
    })
    const blob = await getDb()
      .selectFrom('file_blobs')
      .where('id', '=', pdf.output.blobId)
      .select(['state', 'consultation_id'])
      .executeTakeFirstOrThrow()
    // Claimed, so never swept as a failed upload; outside the round's upload cap.
    expect(blob).toEqual({ state: 'stored', consultation_id: null })
    // The hourly sweep of files nothing refers to leaves a job's file alone.
    await sweepBlobs(getDb(), { now: Date.now() + 2 * 3600_000 })
    expect((await outputBytes(pdfJob.id)).bytes).toEqual(pdf.bytes)

    expect(phasesOf(seen)).toEqual(['gathering', 'layingOut', 'storing'])
    const layout = seen.filter((s) => s.phase === 'layingOut')
    expect(layout.length).toBeGreaterThan(3)
    expect(layout.map((s) => s.done)).toEqual(layout.map((_, i) => i + 1))
    expect(layout.at(-1)!.done).toBe(layout.at(-1)!.total)
    const stored = seen.filter((s) => s.phase === 'storing').at(-1)!
    expect(stored.done).toBe(stored.total)

    const { job: docxJob } = await enqueueJob(getDb(), {
      kind: 'report.make',
      consultationId: r.id,
      actor: null,
      payload: { format: 'docx', locale: 'fr', timeZone: 'Europe/Oslo' },
    })
    await started.idle()
    const docx = await outputBytes(docxJob.id)
    expect(docx.output).toMatchObject({
      filename: `${r.slug}-report.docx`,
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    })
    expect(Buffer.from(docx.bytes.subarray(0, 2)).toString()).toBe('PK')
    const words = await docxText(docx.bytes)
    expect(words).toContain(TITLE)
    // In the language it was asked for.
    expect(words).toContain('Déroulement de la consultation')
  })

  test('lays the report out in a thread of its own: the server’s timers keep running', async () => {
    const model = sampleReportModel({
      namedRespondents: Array.from({ length: 5000 }, (_, i) => `Respondent organisation ${i}`),
    })
    let longest = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      longest = Math.max(longest, now - last)
      last = now
    }, 5)
    const steps: number[] = []
    try {
      const bytes = await renderInThread('pdf', model, async (done) => void steps.push(done))
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
      expect((await pdfText(bytes.slice())).replace(/\s+/g, ' ')).toContain(
        'Respondent organisation 4999',
      )
    } finally {
      clearInterval(timer)
    }
    expect(steps.length).toBeGreaterThan(5)
    // Laid out here, 5,000 names take several hundred milliseconds in one run; the thread
    // leaves this one free (a generous bound: the machine is shared).
    expect(longest).toBeLessThan(150)
  })
})

describe('the export job', () => {
  test('stores exactly the bytes exportCsv and exportJson stream, counting then exporting', async () => {
    const r = await round()
    const seen: Step[] = []
    const started = await runner({ 'responses.export': recording(exportResponses, seen) })
    for (const format of ['csv', 'json'] as const) {
      for (const full of [false, true]) {
        seen.length = 0
        const { job } = await enqueueJob(getDb(), {
          kind: 'responses.export',
          consultationId: r.id,
          actor: null,
          payload: { format, full },
        })
        await started.idle()
        const { output, bytes } = await outputBytes(job.id)
        const stream = (format === 'csv' ? exportCsv : exportJson)(getDb(), {
          consultationId: r.id,
          full,
        })
        const direct = await bodyOf(new Response(stream))
        expect(Buffer.from(bytes).equals(Buffer.from(direct)), `${format} full=${full}`).toBe(true)
        expect(output.filename).toBe(`${r.slug}-${full ? 'responses-full' : 'responses'}.${format}`)
        expect(output.mediaType).toBe(
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        )
        expect(phasesOf(seen)).toEqual(['counting', 'exporting'])
        const last = seen.at(-1)!
        expect(last).toEqual({ phase: 'exporting', done: 4, total: 4 })
        expect((await getJob(getDb(), { id: job.id }))!.result).toMatchObject({ rows: 4 })
        const text = Buffer.from(bytes).toString('utf8')
        if (full) expect(text).toContain(CONFIDENTIAL)
        else expect(text).not.toContain(CONFIDENTIAL)
        if (format === 'csv') {
          const rows = parse(Buffer.from(bytes), { columns: true, bom: true }) as unknown[]
          expect(rows).toHaveLength(4)
        } else {
          expect(JSON.parse(text)).toHaveLength(4)
        }
      }
    }
  })
})

describe('the export route', () => {
  test('sends the job’s page when the job outlasts its budget; the page then offers the file, audit-logged', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const post = (form: Record<string, string>, query = '') =>
      exportAction({
        request: pageRequest(`/manage/rounds/${r.id}/export${query}`, {
          cookie: official.cookie,
          form,
        }),
        params: { id: String(r.id) },
        context,
      }) as Promise<Response>

    // No runner yet: the job waits, and the request gives up after its budget.
    const t0 = performance.now()
    const waited = await post({ format: 'csv', full: 'yes' })
    const elapsed = performance.now() - t0
    expect(waited.status).toBe(302)
    const location = waited.headers.get('Location')!
    expect(location).toMatch(/^\/manage\/jobs\/\d+$/)
    expect(elapsed).toBeGreaterThan(1400)
    expect(elapsed).toBeLessThan(5000)
    const jobId = Number(location.split('/').pop())
    expect((await getJob(getDb(), { id: jobId }))!.state).toBe('queued')

    const started = await runner()
    await started.idle()
    const page = (await jobPage({
      request: pageRequest(location, { cookie: official.cookie }),
      params: { id: String(jobId) },
      context,
    })) as unknown as { data: { file: JobFile | null; offersFile: boolean } }
    expect(page.data.offersFile).toBe(true)
    const file = page.data.file!
    expect(file).toMatchObject({
      href: `/manage/jobs/${jobId}/download`,
      filename: `${r.slug}-responses-full.csv`,
      full: true,
    })
    const got = await download({
      request: pageRequest(file.href, { cookie: official.cookie }),
      params: { id: String(jobId) },
      context,
    })
    expect(got.status).toBe(200)
    expect(Object.fromEntries(got.headers)).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${r.slug}-responses-full.csv"`,
      'cache-control': 'private, no-store',
      'content-length': String(file.sizeBytes),
    })
    const csv = await bodyOf(got)
    expect(csv.byteLength).toBe(file.sizeBytes)
    const direct = await bodyOf(
      new Response(exportCsv(getDb(), { consultationId: r.id, full: true })),
    )
    expect(Buffer.from(csv).equals(Buffer.from(direct))).toBe(true)

    // Answered at once while the runner runs: the file, as before jobs.
    const quick = await post({ format: 'json' })
    expect(quick.status).toBe(200)
    expect(quick.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(quick.headers.get('Content-Disposition')).toBe(
      `attachment; filename="${r.slug}-responses.json"`,
    )
    expect(quick.headers.get('Cache-Control')).toBe('private, no-store')
    expect(JSON.parse(Buffer.from(await bodyOf(quick)).toString())).toHaveLength(4)
    // `?wait=0`: the job's page at once, even for a quick job.
    const asked = await post({ format: 'pdf' }, '?wait=0')
    expect(asked.status).toBe(302)
    expect(asked.headers.get('Location')).toMatch(/^\/manage\/jobs\/\d+$/)
    await started.idle()

    const actions = await auditActions(official.id)
    expect(actions.map((a) => a.action)).toEqual([
      'export.full',
      'job.queued',
      'export.downloaded',
      'export.default',
      'job.queued',
      'export.default',
      'job.queued',
    ])
    expect(JSON.parse(actions[2]!.after!)).toMatchObject({
      job: jobId,
      kind: 'responses.export',
      format: 'csv',
      full: true,
    })
  })
})

describe('the download route', () => {
  test('is for officials only, and answers 404 for a job without a file', async () => {
    const r = await round()
    const started = await runner()
    const { job } = await enqueueJob(getDb(), {
      kind: 'responses.export',
      consultationId: r.id,
      actor: null,
      payload: { format: 'csv', full: true },
    })
    const { job: rebuild } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: r.id,
      actor: null,
    })
    await started.idle()
    const get = async (id: number, cookie?: string) => {
      try {
        return await download({
          request: pageRequest(`/manage/jobs/${id}/download`, { cookie }),
          params: { id: String(id) },
          context,
        })
      } catch (thrown) {
        if (thrown instanceof Response) return thrown
        throw thrown
      }
    }
    const participant = await signedInUser('participant')
    const official = await signedInUser('official')
    const anonymous = await get(job.id)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/signin/)
    expect((await get(job.id, participant.cookie)).status).toBe(403)
    expect((await get(rebuild.id, official.cookie)).status).toBe(404)
    expect((await get(999_999, official.cookie)).status).toBe(404)
    const allowed = await get(job.id, official.cookie)
    expect(allowed.status).toBe(200)
    expect(Buffer.from(await bodyOf(allowed)).toString()).toContain(CONFIDENTIAL)
    // Only the official's download is in the audit log.
    const downloads = await getDb()
      .selectFrom('audit_log')
      .where('action', '=', 'export.downloaded')
      .where('entity_id', '=', String(r.id))
      .select('actor_id')
      .execute()
    expect(downloads).toEqual([{ actor_id: official.id }])
  })

  test('officials’ files older than a day are removed when the next is made', async () => {
    const r = await round()
    const started = await runner()
    const ask = async () => {
      const { job } = await enqueueJob(getDb(), {
        kind: 'responses.export',
        consultationId: r.id,
        actor: null,
        payload: { format: 'json', full: true },
      })
      await started.idle()
      return (await outputBytes(job.id)).output
    }
    const old = await ask()
    await getDb()
      .updateTable('job_outputs')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000).toISOString() })
      .where('id', '=', old.id)
      .execute()
    await ask()
    expect(await getJobOutput(getDb(), { jobId: old.jobId })).toBeUndefined()
    const blob = await getDb()
      .selectFrom('file_blobs')
      .where('id', '=', old.blobId)
      .select('id')
      .executeTakeFirst()
    expect(blob).toBeUndefined()
  })
})

describe('cancelling a report or an export', () => {
  test('leaves no file and no stored bytes, whether it stops during the work or just before keeping it', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const cancelAt =
      (handler: JobHandler, phase: string, { swallow }: { swallow: boolean }): JobHandler =>
      (context) =>
        handler({
          ...context,
          progress: async (step) => {
            if (step.phase === phase && step.done === step.total) {
              await requestCancel(getDb(), {
                id: context.job.id,
                actor: { id: official.id, role: 'official' },
              })
              // Swallowed: the cancel is met by the check made when the file is kept.
              if (swallow) return
            }
            return context.progress(step)
          },
        })
    const blobsBefore = await blobCount()
    const cases: [JobKind, JobHandler, Record<string, unknown>][] = [
      [
        'report.make',
        cancelAt(makeReport, 'layingOut', { swallow: false }),
        { format: 'pdf', locale: 'en', timeZone: 'UTC' },
      ],
      [
        'responses.export',
        cancelAt(exportResponses, 'exporting', { swallow: false }),
        { format: 'csv', full: true },
      ],
      [
        'report.make',
        cancelAt(makeReport, 'storing', { swallow: true }),
        { format: 'docx', locale: 'en', timeZone: 'UTC' },
      ],
      [
        'publicReport.make',
        cancelAt(makePublicReport, 'storing', { swallow: true }),
        { locale: 'en', timeZone: 'UTC' },
      ],
    ]
    for (const [kind, handler, payload] of cases) {
      const started = await runner({ [kind]: handler })
      const { job } = await enqueueJob(getDb(), {
        kind,
        consultationId: r.id,
        actor: null,
        payload,
      })
      await started.idle()
      await started.stop()
      runners.splice(runners.indexOf(started), 1)
      const label = `${kind} ${JSON.stringify(payload)}`
      expect((await getJob(getDb(), { id: job.id }))!.state, label).toBe('cancelled')
      const outputs = await getDb()
        .selectFrom('job_outputs')
        .where('job_id', '=', job.id)
        .select('id')
        .execute()
      expect(outputs, label).toEqual([])
      expect(await blobCount(), label).toBe(blobsBefore)
    }
  })
})

describe('the public report', () => {
  async function published() {
    const r = await round()
    const official = await signedInUser('official')
    await analysisAction({
      request: pageRequest(`/manage/rounds/${r.id}/analysis`, {
        cookie: official.cookie,
        form: { intent: 'publish-report', publish: 'yes' },
      }),
      params: { id: String(r.id) },
      context,
    })
    return r
  }

  const get = (slug: string, query = '') =>
    publicReport({
      request: pageRequest(`/consultations/${slug}/report.pdf${query}`),
      params: { slug },
      context,
    })

  async function publicJobs(consultationId: number) {
    return getDb()
      .selectFrom('jobs')
      .where('kind', '=', 'publicReport.make')
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .select(['id', 'state', 'payload'])
      .execute()
  }

  test('is never laid out in the request: a page says it is being prepared until the job has made the copy', async () => {
    const r = await published()
    // No runner: nothing lays the report out, and the route does not either.
    const waiting = await get(r.slug, '?wait=0')
    expect(waiting.status).toBe(503)
    expect(waiting.headers.get('Retry-After')).toBe('10')
    expect(waiting.headers.get('Cache-Control')).toBe('no-store')
    expect(waiting.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    const html = await waiting.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h1>The report is being prepared</h1>')
    expect(html).toContain(`<a href="/consultations/${r.slug}/report.pdf">Try again</a>`)
    // Asking again while it waits queues nothing more.
    expect((await get(r.slug, '?wait=0')).status).toBe(503)
    const queued = await publicJobs(r.id)
    expect(queued).toEqual([
      {
        id: queued[0]!.id,
        state: 'queued',
        // In the round's own zone, whatever the reader's.
        payload: JSON.stringify({ locale: 'en', timeZone: 'Europe/Oslo' }),
      },
    ])

    const started = await runner()
    await started.idle()
    const { output, bytes } = await outputBytes(queued[0]!.id)
    const served = await get(r.slug)
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('application/pdf')
    expect(served.headers.get('Content-Disposition')).toBe(
      `inline; filename="${r.slug}-report.pdf"`,
    )
    expect(served.headers.get('Cache-Control')).toBe('public, max-age=300')
    // The stored copy, byte for byte, and no new job.
    expect(Buffer.from(await bodyOf(served)).equals(Buffer.from(bytes))).toBe(true)
    expect(await publicJobs(r.id)).toHaveLength(1)
    const text = (await pdfText(bytes.slice())).replace(/\s+/g, ' ')
    expect(text).toContain(TITLE)
    expect(text).not.toContain(CONFIDENTIAL)

    // French readers get a copy of their own.
    const french = await publicReport({
      request: pageRequest(`/consultations/${r.slug}/report.pdf?lng=fr`),
      params: { slug: r.slug },
      context,
    })
    expect(french.status).toBe(200)
    expect(await publicJobs(r.id)).toHaveLength(2)
    expect(output.filename).toBe(`${r.slug}-report.pdf`)
  })

  test('a copy made before a change anywhere is stale: a new one is made, and it replaces the old', async () => {
    const r = await published()
    const started = await runner()
    const first = await get(r.slug)
    expect(first.status).toBe(200)
    const [made] = await publicJobs(r.id)
    const old = (await outputBytes(made!.id)).output

    // What an official's change does on this server…
    clearCache()
    const afterChange = await get(r.slug)
    expect(afterChange.status).toBe(200)
    const jobs = await publicJobs(r.id)
    expect(jobs).toHaveLength(2)
    const fresh = (await outputBytes(jobs[1]!.id)).output
    expect(
      Buffer.from(await bodyOf(afterChange)).equals(
        Buffer.from(await readBlob(getDb(), fresh.blobId)),
      ),
    ).toBe(true)
    // …and the copy it replaced is gone, bytes and all.
    expect(await getJobOutput(getDb(), { jobId: old.jobId })).toBeUndefined()
    expect(await readBlob(getDb(), old.blobId)).toHaveLength(0)

    // …and what another server's change, told over PostgreSQL, does here.
    clearLocalCache()
    expect((await get(r.slug)).status).toBe(200)
    expect(await publicJobs(r.id)).toHaveLength(3)

    // Unchanged: the same copy again, with no job.
    expect((await get(r.slug)).status).toBe(200)
    expect(await publicJobs(r.id)).toHaveLength(3)
    await started.idle()
  })
})
