import { createRequire } from 'node:module'
import path from 'node:path'
import mammoth from 'mammoth'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, test } from 'vitest'
import { renderReportDocx } from '#app/reports/report-docx.server.ts'
import { pdfSafe, renderReportPdf } from '#app/reports/report-pdf.server.ts'
import type { ReportModel } from '#app/reports/report-model.ts'
import { sampleReportModel } from '#tests/fixtures/report-model.ts'

// pdfjs reads the metrics of the standard fonts from files; without them it warns on every font.
const standardFontDataUrl =
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    'standard_fonts',
  ) + path.sep

/** The PDF as pdfjs reads it: metadata and the text of each page, whitespace collapsed. */
async function readPdf(buffer: Buffer, pageNumbers?: number[]) {
  const pdf = await getDocument({
    data: new Uint8Array(buffer),
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl,
    verbosity: 0,
  }).promise
  try {
    const { info } = await pdf.getMetadata()
    const pages: string[] = []
    const wanted = pageNumbers ?? Array.from({ length: pdf.numPages }, (_, i) => i + 1)
    for (const number of wanted) {
      const content = await (await pdf.getPage(number)).getTextContent()
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ')
      pages.push(collapse(text))
    }
    return { info: info as Record<string, unknown>, numPages: pdf.numPages, pages }
  } finally {
    await pdf.destroy()
  }
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Every text of the sample that both formats must carry, in reading order. */
function expectedTexts(model: ReportModel): string[] {
  return [
    model.title,
    model.subtitle,
    model.period,
    model.generatedAt,
    model.labels.method,
    ...model.method,
    model.labels.statistics,
    'Responses / unique texts / published: 1,284 / 611 / 947',
    ...model.tables.flatMap((table) => [table.title, ...table.columns]),
    model.labels.controls,
    ...model.controls.flatMap((control) => [
      `${control.reference}: ${control.title}`,
      ...(control.summary ?? [model.labels.noSummary]),
    ]),
    model.labels.tagSummaries,
    ...model.tagSummaries.flatMap((tag) => [tag.heading, ...tag.paragraphs]),
    model.labels.campaigns,
    ...model.campaigns.flatMap((campaign) => [campaign.heading, campaign.text]),
    model.labels.respondents,
    'Société Générale de Biométrie',
  ]
}

/** Fails with the missing text named, rather than a 10,000-character diff. */
function expectInOrder(text: string, expected: string[]) {
  let from = 0
  for (const wanted of expected) {
    const at = text.indexOf(collapse(wanted), from)
    expect(at, `"${wanted}" after position ${from}`).toBeGreaterThanOrEqual(0)
    from = at + 1
  }
}

function bigModel(): ReportModel {
  const sample = sampleReportModel()
  const summary = [...sample.method, ...sample.tagSummaries.flatMap((tag) => tag.paragraphs)]
  return sampleReportModel({
    controls: Array.from({ length: 50 }, (_, i) => ({
      reference: `C-${Math.floor(i / 10) + 1}.${(i % 10) + 1}`,
      title: `Control number ${i + 1} on the export of surveillance items`,
      positions: sample.controls[i % 3]!.positions,
      summary,
    })),
    campaigns: Array.from({ length: 200 }, (_, i) => ({
      heading: `Campaign ${i + 1}`,
      size: 20 + i,
      text: sample.campaigns[i % 2]!.text.repeat(3),
    })),
    namedRespondents: Array.from(
      { length: 5000 },
      (_, i) => `Respondent organisation ${i + 1} for digital rights and security research`,
    ),
    namedMore: '…and 295,000 more respondents who agreed to be named.',
  })
}

describe('pdfSafe', () => {
  test('keeps ASCII, accented Latin letters and the typographic signs WinAnsi has', () => {
    const text = 'Société Générale — “Œuvre” naïve, Ærø, 5 € · ‘x’ … • Straße'
    expect(pdfSafe(text)).toBe(text)
  })

  test('replaces each character Helvetica cannot draw with a single "?"', () => {
    expect(pdfSafe('東京デジタル')).toBe('??????')
    expect(pdfSafe('Warszawa, Łódź')).toBe('Warszawa, ?ód?')
    // An emoji is two UTF-16 units but one character.
    expect(pdfSafe('ok 😀')).toBe('ok ?')
  })

  test('turns odd spaces and dashes into plain ones and drops invisible marks', () => {
    expect(pdfSafe('1\u202f284\u00a0x\tb')).toBe('1 284\u00a0x b')
    expect(pdfSafe('a\u2010b\u2212c')).toBe('a-b-c')
    expect(pdfSafe('zero\u200bwidth\r\n')).toBe('zerowidth\n')
  })

  test('composes decomposed accents rather than losing them', () => {
    expect(pdfSafe('Cafe\u0301')).toBe('Café')
  })
})

describe('renderReportPdf', () => {
  test('renders every section of the report, in order, with metadata and page numbers', async () => {
    const model = sampleReportModel()
    const buffer = await renderReportPdf(model)
    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-')

    const pdf = await readPdf(buffer)
    expect(pdf.info.Title).toBe(model.title)
    expect(pdf.info.Language).toBe('en')

    const text = pdf.pages.join(' ')
    expectInOrder(text, expectedTexts(model))
    // Table rows carry their numbers, formatted for the locale.
    expect(text).toMatch(/Individual 1,012 356/)
    expect(text).toMatch(/Civil society organisation 141 133/)
    expect(text).toMatch(/Support with changes 122 109/)
    expect(text).toContain('Total: 652')
    // The bar charts label each bar with its row and number.
    expect(text.match(/Individual/g)).toHaveLength(2)
    expect(text.match(/1,012/g)).toHaveLength(2)

    // The Japanese name cannot be drawn in Helvetica: it becomes question marks, not an error.
    expect(text).toContain('• ????????????')
    expect(text).not.toContain('東京')

    pdf.pages.forEach((page, i) => expect(page).toMatch(new RegExp(`Page ${i + 1}$`)))
  })

  test('a table longer than a page goes on over the next page with its header repeated', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      label: `Country ${i + 1}`,
      count: 900 - i,
      unique: 400 - i,
    }))
    const model = sampleReportModel({
      tables: [
        { title: 'By country', columns: ['Country', 'All responses', 'Unique texts'], rows },
      ],
    })
    const pdf = await readPdf(await renderReportPdf(model))
    const withRows = pdf.pages.filter((page) => page.includes('Country 1 900 400'))
    const lastRows = pdf.pages.filter((page) => page.includes('Country 80 821 321'))
    expect(withRows).toHaveLength(1)
    expect(lastRows).toHaveLength(1)
    expect(pdf.pages.indexOf(lastRows[0]!)).toBeGreaterThan(pdf.pages.indexOf(withRows[0]!))
    expect(lastRows[0]).toMatch(/^Country All responses Unique texts Country \d+ /)
    // The chart shows the twenty largest rows only.
    const chart = pdf.pages.join(' ').match(/Country \d+ \d+ (?!\d)/g) ?? []
    expect(chart.length).toBe(20)
  })
})

describe('renderReportDocx', () => {
  test('renders every section with the full Unicode text', async () => {
    const model = sampleReportModel()
    const buffer = await renderReportDocx(model)
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK')

    const { value } = await mammoth.extractRawText({ buffer })
    const text = collapse(value)
    expectInOrder(text, expectedTexts(model))
    expect(text).toContain('Individual 1,012 356')
    expect(text).toContain('Total: 652')
    expect(text).toContain('東京デジタル人権センター')
    expect(text).toContain('Côte d’Ivoire')
  })

  test('uses Word headings, tables with header rows and a bullet list', async () => {
    const model = sampleReportModel()
    const { value: html } = await mammoth.convertToHtml(
      { buffer: await renderReportDocx(model) },
      { styleMap: ["p[style-name='Title'] => h1.title:fresh"] },
    )
    expect(html).toContain(`<h1 class="title">${model.title}</h1>`)
    for (const label of [model.labels.method, model.labels.statistics, model.labels.respondents]) {
      expect(html).toContain(`<h1>${label}</h1>`)
    }
    expect(html).toContain('<h2>C-2.4: Human rights due diligence before export</h2>')
    // Three statistics tables and one per control, each with its header row.
    expect(html.match(/<table><thead><tr><th>/g)).toHaveLength(
      model.tables.length + model.controls.length,
    )
    expect(html).toContain('<th><p><strong>Respondent type</strong></p></th>')
    expect(html).toContain('<ul><li>Access Now</li>')
    expect(html.match(/<li>/g)).toHaveLength(model.namedRespondents.length)
  })
})

describe('a large report', () => {
  test('50 controls, 200 campaigns and 5,000 named respondents render in seconds', async () => {
    const model = bigModel()
    const started = performance.now()
    const pdf = await renderReportPdf(model)
    const docx = await renderReportDocx(model)
    const elapsed = performance.now() - started
    expect(elapsed).toBeLessThan(10_000)

    // Nothing lost over a hundred pages: the last name is on the last page.
    const { numPages } = await readPdf(pdf, [])
    const last = await readPdf(pdf, [numPages])
    expect(last.pages[0]).toContain('Respondent organisation 5000 for digital rights')
    expect(last.pages[0]).toContain(`Page ${numPages}`)
    // Beyond the names listed, the annex says how many more there are.
    expect(last.pages[0]).toContain('295,000 more respondents')
    const { value } = await mammoth.extractRawText({ buffer: docx })
    expect(value).toContain('Respondent organisation 5000 for digital rights')
    expect(value).toContain('295,000 more respondents')
  }, 30_000)
})
