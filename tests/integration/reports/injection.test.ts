import { randomUUID } from 'node:crypto'
import type { ActionFunctionArgs } from '@remix-run/node'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, test } from 'vitest'
import { createResponse } from '#db/factories.ts'
import { action as respondAction } from '#app/routes/consultations.$slug_.respond.tsx'
import { loader as publicReport } from '#app/routes/consultations.$slug_.report[.]pdf.ts'
import { loader as apiComments } from '#app/routes/api.v1.consultations.$slug_.comments.ts'
import { action as responseAction } from '#app/routes/manage.responses.$responseId.tsx'
import { loader as officialAttachment } from '#app/routes/manage.responses.$responseId_.attachments.$attachmentId.ts'
import { action as roundAction } from '#app/routes/manage.rounds.$id.tsx'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as newControlAction } from '#app/routes/manage.rounds.$id_.controls.new.tsx'
import { action as exportAction } from '#app/routes/manage.rounds.$id_.export.ts'
import { action as tagsAction } from '#app/routes/manage.rounds.$id_.tags.tsx'
import { action as newRoundAction } from '#app/routes/manage.rounds.new.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { docxParts, docxText, pdfActions, pdfText } from '#tests/helpers/documents.ts'
import { PDF, type Upload, responseRequest } from '#tests/helpers/responses.ts'
import {
  FORMULAS,
  FORMULA_START,
  HOSTILE_CONTROLS,
  HOSTILE_MARKDOWN,
  MARKDOWN_LINKS,
  type ResponseTexts,
  XSS,
  XSS_TEXT,
  hostileRoundForm,
  neutralised,
  responseForm,
  squeezed,
  xssChunks,
} from '#tests/fixtures/injection.ts'
import { runJobsInThisFile } from '#tests/helpers/job-runner.ts'

// Reports and exports are made by jobs, as the server makes them.
runJobsInThisFile()

// The injection battery through every file the portal writes: the officials' CSV, JSON, PDF and
// DOCX exports, the API's comments as JSON and CSV, and the public report. The same payloads in
// the browser's pages are tests/e2e/injection.test.ts.

type Json = Record<string, string | number | boolean | null>

const LETTER =
  'We urge the authorities to license every sale of intrusion software, to publish every licence ' +
  'decision and to cover brokers as well as vendors, because these tools are used against ' +
  'journalists, lawyers and human rights defenders.'

interface Scenario {
  round: { id: number; slug: string; controlIds: number[] }
  cookie: string
  /** Response ids by what they hold. */
  ids: {
    hostile: number
    names: number[]
    confidential: number
    letters: number[]
    formulas: number[]
    raw: number[]
  }
  attachmentId: number
}

let scenario: Scenario

async function post(
  run: (args: ActionFunctionArgs) => unknown,
  path: string,
  params: Record<string, string>,
  cookie: string,
  form: Record<string, string>,
) {
  const result = await run({ request: pageRequest(path, { cookie, form }), params, context })
  // Every form answers a success with a redirect; anything else is a refused payload.
  if (!(result instanceof Response)) throw new Error(`${path} refused: ${JSON.stringify(result)}`)
  return result
}

let client = 0
async function respond(slug: string, fields: Record<string, string>, uploads: Upload[] = []) {
  const result = await respondAction({
    request: responseRequest(`/consultations/${slug}/respond`, fields, { uploads }),
    params: { slug },
    context: { clientAddress: `198.51.100.${++client}` },
  })
  if (!(result instanceof Response)) throw new Error(`refused: ${JSON.stringify(result)}`)
  const tracking = new URL(result.headers.get('Location')!, 'http://localhost').pathname
    .split('/')
    .pop()!
  const row = await getDb()
    .selectFrom('responses')
    .where('tracking_number', '=', tracking)
    .select('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * A round authored, answered, tagged, summarised and published through the officials' and the
 * respondents' forms, with a hostile text in every field that reaches an export.
 */
async function buildScenario(): Promise<Scenario> {
  const db = getDb()
  const { cookie } = await signedInUser('official')
  const slug = `hostile-${randomUUID().slice(0, 8)}`
  const created = await post(
    newRoundAction,
    '/manage/rounds/new',
    {},
    cookie,
    hostileRoundForm(slug),
  )
  const id = Number(/\/manage\/rounds\/(\d+)/.exec(created.headers.get('Location')!)![1])
  const params = { id: String(id) }
  for (const control of HOSTILE_CONTROLS)
    await post(newControlAction, `/manage/rounds/${id}/controls/new`, params, cookie, control)
  await post(roundAction, `/manage/rounds/${id}`, params, cookie, {
    intent: 'transition',
    transition: 'open',
  })
  const controlIds = (
    await db
      .selectFrom('controls')
      .where('consultation_id', '=', id)
      .orderBy('position')
      .select('id')
      .execute()
  ).map((c) => c.id)
  const send = (texts: ResponseTexts, uploads: Upload[] = []) =>
    respond(slug, responseForm(controlIds, texts), uploads)

  const hostile = await send(
    {
      respondentType: 'ngo',
      name: xssChunks(300)[0]!,
      round: HOSTILE_MARKDOWN,
      control: XSS_TEXT,
      answers: [XSS_TEXT, MARKDOWN_LINKS],
      contactEmail: 'defender@example.org',
    },
    [{ field: 'files', name: `${XSS.imgOnerror}${XSS.rtlOverride}.pdf`, bytes: PDF }],
  )
  const names = []
  for (const name of xssChunks(300).slice(1))
    names.push(await send({ respondentType: 'academic', name, control: 'Named.' }))
  for (const name of xssChunks(200))
    names.push(await send({ respondentType: 'individual', name, control: 'Named.' }))
  const confidential = await send({
    respondentType: 'company',
    name: 'Vendor AB',
    control: 'Our customer list.',
    publicVersion: XSS_TEXT,
  })
  // A campaign: the report quotes its first letter.
  const letters = []
  for (const signer of ['Ana', 'Bo'])
    letters.push(
      await send({ respondentType: 'individual', name: signer, round: `${LETTER} ${XSS_TEXT}` }),
    )
  const formulas = []
  for (const [i, formula] of FORMULAS.entries()) {
    formulas.push(
      await send({
        respondentType: i % 2 ? 'individual' : 'company',
        name: formula,
        round: formula,
        control: formula,
        answers: [formula, formula],
      }),
    )
  }
  formulas.push(
    await send({
      respondentType: 'company',
      name: 'Formula Vendor',
      control: 'Secret.',
      publicVersion: FORMULAS[0],
    }),
  )
  // Carriage returns never come through the form (it removes them); an import or an older
  // version could still have stored them, and the CSV must hold against that too.
  const questions = await db
    .selectFrom('control_questions')
    .where('control_id', '=', controlIds[0]!)
    .orderBy('position')
    .select('id')
    .execute()
  const raw = []
  for (const [organisation, authorName] of [
    ['\r=1+1', null],
    [null, '\t-1+1'],
  ]) {
    const made = await createResponse(db, {
      consultationId: id,
      respondentType: organisation ? 'company' : 'individual',
      organisation,
      authorName,
      items: [
        { controlId: null, position: 'oppose', body: '\r=HYPERLINK("http://evil.example","x")' },
        {
          controlId: controlIds[0]!,
          position: 'support',
          body: '\t@SUM(1)',
          answers: [{ questionId: questions[0]!.id, answer: '\r+1+1' }],
        },
      ],
    })
    raw.push(made.id)
  }

  const all = [hostile, ...names, confidential, ...letters, ...formulas, ...raw]
  for (const responseId of all) {
    await post(
      responseAction,
      `/manage/responses/${responseId}`,
      { responseId: String(responseId) },
      cookie,
      {
        intent: 'moderate',
        action: 'publish',
      },
    )
  }

  // Tags named and described with every payload, and tags named as formulas.
  const descriptions = xssChunks(500)
  const tagNames = [...Object.values(XSS), ...FORMULAS.slice(0, 4)]
  for (const [i, name] of tagNames.entries()) {
    await post(tagsAction, `/manage/rounds/${id}/tags`, params, cookie, {
      intent: 'create',
      name,
      description: descriptions[i % descriptions.length]!,
      colour: '#1d70b8',
      parentId: '',
      shortcut: '',
    })
  }
  const tagId = async (name: string) =>
    (
      await db
        .selectFrom('tags')
        .where('consultation_id', '=', id)
        .where('name', '=', name)
        .select('id')
        .executeTakeFirstOrThrow()
    ).id
  const tag = async (responseId: number, name: string) =>
    post(
      responseAction,
      `/manage/responses/${responseId}`,
      { responseId: String(responseId) },
      cookie,
      {
        intent: 'tag',
        tagId: String(await tagId(name)),
      },
    )
  for (const name of Object.values(XSS)) await tag(hostile, name)
  for (const [i, name] of FORMULAS.slice(0, 4).entries()) await tag(formulas[i]!, name)

  // Summaries of a control and of a tag, approved, and the report published.
  const analysis = `/manage/rounds/${id}/analysis`
  await post(analysisAction, analysis, params, cookie, {
    intent: 'save',
    controlId: String(controlIds[0]),
    tagId: '',
    body: HOSTILE_MARKDOWN,
  })
  await post(analysisAction, analysis, params, cookie, {
    intent: 'save',
    controlId: '',
    tagId: String(await tagId(XSS.script)),
    body: XSS_TEXT,
  })
  for (const summary of await db
    .selectFrom('summaries')
    .where('consultation_id', '=', id)
    .select('id')
    .execute()) {
    await post(analysisAction, analysis, params, cookie, {
      intent: 'approve',
      summaryId: String(summary.id),
    })
  }
  await post(analysisAction, analysis, params, cookie, { intent: 'publish-report', publish: 'yes' })

  const attachment = await db
    .selectFrom('attachments')
    .where('response_id', '=', hostile)
    .select('id')
    .executeTakeFirstOrThrow()
  return {
    round: { id, slug, controlIds },
    cookie,
    ids: { hostile, names, confidential, letters, formulas, raw },
    attachmentId: attachment.id,
  }
}

beforeAll(async () => {
  scenario = await buildScenario()
}, 60_000)

async function bytesOf(response: Response) {
  return new Uint8Array(await response.arrayBuffer())
}

async function officialExport(format: 'csv' | 'json' | 'pdf' | 'docx', full = false) {
  const { round, cookie } = scenario
  const response = await post(
    exportAction,
    `/manage/rounds/${round.id}/export`,
    { id: String(round.id) },
    cookie,
    full ? { format, full: 'yes' } : { format },
  )
  return bytesOf(response)
}

async function api(query: string) {
  const { slug } = scenario.round
  return apiComments({
    request: pageRequest(`/api/v1/consultations/${slug}/comments?${query}`),
    params: { slug },
    context,
  })
}

async function publicReportBytes() {
  const { slug } = scenario.round
  return bytesOf(
    await publicReport({
      request: pageRequest(`/consultations/${slug}/report.pdf`),
      params: { slug },
      context,
    }),
  )
}

/** What the database holds for a response: the text as published is exactly this. */
async function stored(responseId: number) {
  const db = getDb()
  const row = await db
    .selectFrom('responses')
    .where('id', '=', responseId)
    .select(['organisation', 'author_name', 'public_version'])
    .executeTakeFirstOrThrow()
  const items = await db
    .selectFrom('response_items')
    .where('response_id', '=', responseId)
    .select(['id', 'control_id', 'body'])
    .execute()
  const answers = await db
    .selectFrom('response_answers as a')
    .innerJoin('response_items as i', 'i.id', 'a.item_id')
    .where('i.response_id', '=', responseId)
    .orderBy('a.question_id')
    .select(['a.answer'])
    .execute()
  return {
    name: row.organisation ?? row.author_name,
    publicVersion: row.public_version,
    round: items.find((i) => i.control_id === null)?.body ?? null,
    control: items.find((i) => i.control_id === scenario.round.controlIds[0])?.body ?? null,
    answers: answers.map((a) => a.answer),
  }
}

/** A CSV's rows as arrays (header first), read back as a spreadsheet would get them. */
function csvRows(bytes: Uint8Array): string[][] {
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parse(Buffer.from(bytes), { bom: true }) as string[][]
}

/** A JSON export's value as the README says the CSV writes it. */
function asCell(value: string | number | boolean | null): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') return String(value)
  return neutralised(value)
}

/** Checks a CSV against the JSON of the same export, cell by cell, and returns its records. */
function expectCsvMatchesJson(csv: string[][], json: Json[]) {
  const [header, ...rows] = csv
  expect(header).toEqual(Object.keys(json[0]!))
  expect(rows.map((r) => Number(r[0]))).toEqual(json.map((r) => r.response_id))
  rows.forEach((row, i) =>
    expect(row, `row of response ${row[0]}`).toEqual(Object.values(json[i]!).map(asCell)),
  )
}

describe('the CSV exports', () => {
  test('neutralise every cell that a spreadsheet would run, in the officials’ exports and the API', async () => {
    const { ids } = scenario
    const exports = {
      default: csvRows(await officialExport('csv')),
      full: csvRows(await officialExport('csv', true)),
      api: csvRows(await bytesOf(await api('format=csv'))),
    }
    for (const [name, rows] of Object.entries(exports)) {
      const cells = rows.flat()
      expect(
        cells.filter((cell) => FORMULA_START.test(cell)),
        name,
      ).toEqual([])
      // The battery did reach the file: the formulas are there, apostrophe first.
      for (const formula of FORMULAS.slice(0, 4))
        expect(
          cells.filter((cell) => cell === `'${formula}`).length,
          `${name} ${formula}`,
        ).toBeGreaterThanOrEqual(4)
    }
    expect(exports.api).toEqual(exports.default)
    // A leading tab or carriage return, as stored, is neutralised too.
    for (const rows of Object.values(exports)) {
      expect(rows.flat().filter((cell) => cell.startsWith("'\t")).length).toBeGreaterThanOrEqual(3)
      expect(rows.flat().filter((cell) => cell.startsWith("'\r")).length).toBeGreaterThanOrEqual(4)
    }

    const byId = (rows: string[][], id: number) => {
      const header = rows[0]!
      const row = rows.find((r) => r[0] === String(id))!
      return Object.fromEntries(header.map((column, i) => [column, row[i]]))
    }
    const reference = HOSTILE_CONTROLS[0]!.reference
    for (const id of [...ids.formulas.slice(0, FORMULAS.length), ...ids.raw]) {
      const texts = await stored(id)
      // Every name still starts like a formula once the form has trimmed it.
      expect(texts.name).toMatch(FORMULA_START)
      for (const rows of [exports.default, exports.full]) {
        const record = byId(rows, id)
        expect(record.name).toBe(neutralised(texts.name!))
        expect(record['text: round']).toBe(neutralised(texts.round!))
        expect(record[`text: ${reference}`]).toBe(neutralised(texts.control!))
        expect(record[`answer: ${reference} Q1`]).toBe(neutralised(texts.answers[0]!))
      }
    }
    for (const [i, formula] of FORMULAS.slice(0, 4).entries())
      expect(byId(exports.default, ids.formulas[i]!).tags).toBe(`'${formula}`)
    const confidential = byId(exports.default, ids.formulas.at(-1)!)
    expect(confidential.public_version).toBe(`'${FORMULAS[0]}`)
    expect(confidential[`text: ${reference}`]).toBe('')
  })

  test('hold every other cell exactly as the JSON of the same export', async () => {
    for (const full of [false, true]) {
      const json = JSON.parse(
        new TextDecoder().decode(await officialExport('json', full)),
      ) as Json[]
      expectCsvMatchesJson(csvRows(await officialExport('csv', full)), json)
    }
  })
})

describe('the JSON exports and the API', () => {
  test('parse, and give every text exactly as published', async () => {
    const { ids } = scenario
    const reference = HOSTILE_CONTROLS[0]!.reference
    const second = HOSTILE_CONTROLS[1]!.reference
    const exported = JSON.parse(new TextDecoder().decode(await officialExport('json'))) as Json[]
    const full = JSON.parse(new TextDecoder().decode(await officialExport('json', true))) as Json[]
    expect(Object.keys(exported[0]!)).toEqual(
      expect.arrayContaining([
        `text: ${reference}`,
        `position: ${second}`,
        `answer: ${reference} Q2`,
      ]),
    )
    const comments = (await (await api('limit=100')).json()) as {
      data: {
        id: number
        author: string | null
        public_version: string | null
        items: {
          control: string | null
          text: string | null
          answers: { question: string; answer: string }[]
        }[]
      }[]
      next_cursor: string | null
    }
    expect(comments.next_cursor).toBeNull()
    const comment = (id: number) => comments.data.find((c) => c.id === id)!
    const record = (rows: Json[], id: number) => rows.find((r) => r.response_id === id)!

    // The hostile response, as typed.
    for (const rows of [exported, full]) {
      expect(record(rows, ids.hostile)).toMatchObject({
        name: xssChunks(300)[0],
        'text: round': HOSTILE_MARKDOWN,
        [`text: ${reference}`]: XSS_TEXT,
        [`answer: ${reference} Q1`]: XSS_TEXT,
        [`answer: ${reference} Q2`]: MARKDOWN_LINKS,
      })
    }
    expect(record(full, ids.hostile).contact_email).toBe('defender@example.org')
    expect(record(exported, ids.hostile)).not.toHaveProperty('contact_email')
    expect(comment(ids.hostile).author).toBe(xssChunks(300)[0])
    expect(comment(ids.hostile).items).toEqual([
      { control: null, position: 'oppose', text: HOSTILE_MARKDOWN, answers: [] },
      {
        control: reference,
        position: 'support_with_changes',
        text: XSS_TEXT,
        answers: [
          { question: `${XSS.script} Is the scope right?`, answer: XSS_TEXT },
          { question: `${XSS.imgOnerror} What would it cost?`, answer: MARKDOWN_LINKS },
        ],
      },
    ])
    expect(record(exported, ids.confidential).public_version).toBe(XSS_TEXT)
    expect(comment(ids.confidential).public_version).toBe(XSS_TEXT)
    const names = [...xssChunks(300).slice(1), ...xssChunks(200)]
    expect(ids.names.map((id) => record(exported, id).name)).toEqual(names)
    expect(ids.names.map((id) => comment(id).author)).toEqual(names)

    // Formulas, exactly as stored: no apostrophe outside the CSV.
    for (const id of [...ids.formulas.slice(0, FORMULAS.length), ...ids.raw]) {
      const texts = await stored(id)
      expect(record(exported, id)).toMatchObject({
        name: texts.name,
        'text: round': texts.round,
        [`text: ${reference}`]: texts.control,
        [`answer: ${reference} Q1`]: texts.answers[0],
      })
      const published = comment(id)
      expect(published.author).toBe(texts.name)
      expect(published.items.map((i) => i.text)).toEqual([texts.round, texts.control])
      expect(published.items[1]!.answers.map((a) => a.answer)).toEqual(texts.answers)
    }
    expect(record(exported, ids.raw[0]!)['text: round']).toBe(
      '\r=HYPERLINK("http://evil.example","x")',
    )
    expect(comment(ids.formulas.at(-1)!).public_version).toBe(FORMULAS[0])
  })
})

/** Payload text as the reports draw it: re-flowed lines, and the PDF's fonts lack U+202E. */
function inPdf(text: string) {
  return squeezed(text).replace(/\u202e/g, '')
}

/** Summaries reach the reports as plain paragraphs: the Markdown marks are dropped. */
function asParagraphs(markdown: string) {
  return markdown.replace(/[*_`>]/g, '')
}

describe('the PDF and DOCX reports', () => {
  test('show every payload as text and carry no link, script or field', async () => {
    const { ids } = scenario
    const round = hostileRoundForm('unused')
    const first = HOSTILE_CONTROLS[0]!
    const second = HOSTILE_CONTROLS[1]!
    const letter = await stored(ids.letters[0]!)
    const names = [
      xssChunks(300)[0]!,
      ...xssChunks(300).slice(1),
      ...xssChunks(200),
      ...FORMULAS.slice(0, 4).map((f) => f.trim()),
    ]
    const expected = [
      round.title!,
      `${first.reference}: ${first.title}`,
      `${second.reference}: ${second.title}`,
      XSS.script, // the tag whose summary is a section of its own
      letter.round!, // the campaign's text
      ...names,
    ]
    const summaries = [asParagraphs(XSS_TEXT), ...Object.values(XSS).map(asParagraphs)]
    const reports = {
      'officials’ PDF': { bytes: await officialExport('pdf'), pdf: true },
      'public PDF': { bytes: await publicReportBytes(), pdf: true },
      'officials’ DOCX': { bytes: await officialExport('docx'), pdf: false },
    }
    for (const [name, { bytes, pdf }] of Object.entries(reports)) {
      const text = squeezed(pdf ? await pdfText(bytes.slice()) : await docxText(bytes))
      const shown = pdf ? inPdf : squeezed
      for (const payload of [...expected, ...summaries])
        expect(text, `${name}: ${payload.slice(0, 60)}`).toContain(shown(payload))
      if (pdf) expect(await pdfActions(bytes), name).toEqual([])
    }

    const parts = docxParts(reports['officials’ DOCX'].bytes)
    const xml = [...parts.values()].join('\n')
    expect(xml).not.toMatch(/<w:hyperlink\b/)
    expect(xml).not.toMatch(/<w:fldSimple\b/)
    // The one field is the footer's page number.
    const fields = [...xml.matchAll(/<w:instrText[^>]*>([^<]*)</g)].map((m) => m[1]!.trim())
    expect(new Set(fields)).toEqual(new Set(['PAGE']))
    const targets = [...xml.matchAll(/Target="([^"]*)"/g)].map((m) => m[1]!)
    expect(targets.length).toBeGreaterThan(0)
    expect(
      targets.filter((t) => /^[a-z][a-z0-9+.-]*:/i.test(t) || t.includes('javascript')),
    ).toEqual([])
    expect(xml).not.toMatch(/TargetMode="External"/)
  })
})

describe('attachments', () => {
  test('a hostile file name is stored tamed and sent as a download, never rendered', async () => {
    const { ids, attachmentId, cookie } = scenario
    const response = await officialAttachment({
      request: pageRequest(`/manage/responses/${ids.hostile}/attachments/${attachmentId}`, {
        cookie,
      }),
      params: { responseId: String(ids.hostile), attachmentId: String(attachmentId) },
      context,
    })
    const disposition = response.headers.get('Content-Disposition')!
    expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[^\s"]+$/)
    expect(response.headers.get('Content-Security-Policy')).toContain('sandbox')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF)
    const { filename } = await getDb()
      .selectFrom('attachments')
      .where('id', '=', attachmentId)
      .select('filename')
      .executeTakeFirstOrThrow()
    expect(filename).not.toMatch(/[<>"]/)
    expect(filename).toMatch(/\.pdf$/)
  })
})
