// The summary report as PDF, drawn with pdfkit and its built-in Helvetica.
//
// The standard fonts need no font files on the server and keep the PDF small,
// but they only know the WinAnsi character set: every string goes through
// `pdfSafe` on its way in. The DOCX renderer carries the full Unicode text.
import PDFDocument from 'pdfkit'
import type { CountRow, LayoutStep, ReportModel } from '#app/reports/report-model.ts'

const MARGIN = 56
const REGULAR = 'Helvetica'
const BOLD = 'Helvetica-Bold'
const ITALIC = 'Helvetica-Oblique'
const TEXT_COLOR = '#1a1a1a'
const MUTED_COLOR = '#555555'
const RULE_COLOR = '#bbbbbb'
const BAR_COLOR = '#3d6a9e'
const BODY_SIZE = 10.5
/** More bars than this and a chart stops being readable on a page. */
const CHART_MAX_ROWS = 20

// Code points outside Latin-1 that WinAnsi (Windows-1252) still encodes.
const WIN_ANSI_EXTRAS =
  '\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc' +
  '\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122'
const NOT_WIN_ANSI = new RegExp(`[^\\n\\x20-\\x7e\\xa0-\\xff${WIN_ANSI_EXTRAS}]`, 'gu')

/** Text Helvetica can draw: characters outside WinAnsi become '?' (spaces and dashes a near twin). */
export function pdfSafe(text: string): string {
  // NFC first, so a decomposed "é" (e + combining accent) stays one drawable letter.
  return text.normalize('NFC').replace(NOT_WIN_ANSI, (char) => {
    if (char === '\t' || /\p{Zs}/u.test(char)) return ' ' // Intl's narrow no-break spaces
    if (/[\u2010-\u2012\u2212]/.test(char)) return '-'
    if (/[\p{Cc}\p{Cf}]/u.test(char)) return '' // \r, zero-width and direction marks
    return '?'
  })
}

/**
 * The summary report as a PDF file (A4, standard fonts, numbered pages). `onStep` is told after
 * each section, table and control is laid out (a job's progress bar).
 */
export async function renderReportPdf(
  model: ReportModel,
  { onStep }: { onStep?: LayoutStep } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Page numbers are written once the page count is known, so keep every page open.
    bufferPages: true,
    lang: model.locale,
    displayTitle: true,
    info: { Title: model.title, Subject: model.subtitle },
  })
  const done = collect(doc)
  const { labels } = model
  // Title, method, tag summaries, campaigns, respondents and footers, then each table and control.
  const steps = 6 + model.tables.length + model.controls.length
  let stepsDone = 0
  const step = () => onStep?.(++stepsDone, steps)
  const left = MARGIN
  const width = doc.page.width - 2 * MARGIN
  const numbers = numberFormat(model.locale)
  const number = (n: number) => pdfSafe(numbers.format(n))

  const bottom = () => doc.page.height - doc.page.margins.bottom
  /** Starts a new page unless `height` points still fit on this one. */
  const ensureSpace = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage()
    doc.x = left
  }

  const heading = (text: string, size: number) => {
    doc.moveDown(0.8)
    // Keep a heading with at least a few lines of what follows it.
    ensureSpace(size * 1.4 + 4 * BODY_SIZE * 1.2)
    doc.font(BOLD).fontSize(size).fillColor(TEXT_COLOR)
    doc.text(pdfSafe(text), left, doc.y, { width })
    doc.moveDown(0.4)
  }
  const section = (text: string) => {
    // A section opens a page: the report is read section by section, often printed.
    if (doc.y > doc.page.margins.top) doc.addPage()
    doc.outline.addItem(pdfSafe(text))
    doc.font(BOLD).fontSize(18).fillColor(TEXT_COLOR)
    doc.text(pdfSafe(text), left, doc.y, { width })
    doc.moveDown(0.6)
  }
  const paragraph = (text: string, font = REGULAR) => {
    doc.font(font).fontSize(BODY_SIZE).fillColor(TEXT_COLOR)
    doc.text(pdfSafe(text), left, doc.y, { width, paragraphGap: 6, lineGap: 1.5 })
  }

  /** A ruled table of label / count / unique that repeats its header row after a page break. */
  const table = (columns: readonly [string, string, string], rows: CountRow[]) => {
    const numberWidth = 95
    const labelWidth = width - 2 * numberWidth
    const pad = 4
    const cells = (values: readonly [string, string, string], y: number) => {
      doc.text(values[0], left + pad, y + pad, { width: labelWidth - 2 * pad })
      doc.text(values[1], left + labelWidth, y + pad, { width: numberWidth - pad, align: 'right' })
      doc.text(values[2], left + labelWidth + numberWidth, y + pad, {
        width: numberWidth - pad,
        align: 'right',
      })
    }
    const rowHeight = (values: readonly [string, string, string]) =>
      Math.max(
        doc.heightOfString(values[0], { width: labelWidth - 2 * pad }),
        doc.heightOfString(values[1], { width: numberWidth - pad }),
        doc.heightOfString(values[2], { width: numberWidth - pad }),
      ) +
      2 * pad
    const rule = (y: number, thickness: number, color: string) => {
      doc
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(thickness)
        .strokeColor(color)
        .stroke()
    }

    const header = [pdfSafe(columns[0]), pdfSafe(columns[1]), pdfSafe(columns[2])] as const
    const drawHeader = () => {
      doc.font(BOLD).fontSize(9).fillColor(TEXT_COLOR)
      const y = doc.y
      const height = rowHeight(header)
      cells(header, y)
      rule(y + height, 1, TEXT_COLOR)
      doc.y = y + height
    }

    doc.font(BOLD).fontSize(9)
    const headerHeight = rowHeight(header)
    ensureSpace(headerHeight + 3 * (BODY_SIZE + 2 * pad))
    drawHeader()
    for (const row of rows) {
      const values = [pdfSafe(row.label), number(row.count), number(row.unique)] as const
      doc.font(REGULAR).fontSize(9.5)
      const height = rowHeight(values)
      if (doc.y + height > bottom()) {
        doc.addPage()
        drawHeader()
        doc.font(REGULAR).fontSize(9.5)
      }
      const y = doc.y
      doc.fillColor(TEXT_COLOR)
      cells(values, y)
      rule(y + height, 0.5, RULE_COLOR)
      doc.y = y + height
    }
    doc.x = left
    doc.moveDown(0.8)
  }

  /** Horizontal bars of `count`, each labelled with its row label and number. */
  const barChart = (rows: CountRow[]) => {
    let shown = rows
    if (rows.length > CHART_MAX_ROWS) {
      // The largest rows, in the table's own order (the table above lists them all).
      const largest = new Set([...rows].sort((a, b) => b.count - a.count).slice(0, CHART_MAX_ROWS))
      shown = rows.filter((row) => largest.has(row))
    }
    const max = Math.max(0, ...shown.map((row) => row.count))
    if (max === 0) return

    const barHeight = 11
    const step = barHeight + 5
    const labelWidth = Math.min(170, width * 0.35)
    const numberWidth = 55
    const barSpace = width - labelWidth - numberWidth
    ensureSpace(shown.length * step + 8)
    const top = doc.y
    doc.font(REGULAR).fontSize(8.5)
    shown.forEach((row, i) => {
      const y = top + i * step
      // One line per label, cut with an ellipsis: a wrapped label would overlap the next bar.
      doc.fillColor(TEXT_COLOR).text(pdfSafe(row.label), left, y + 1.5, {
        width: labelWidth - 8,
        height: barHeight,
        ellipsis: true,
      })
      const barWidth = Math.max(row.count > 0 ? 1 : 0, (row.count / max) * barSpace)
      if (barWidth > 0) doc.rect(left + labelWidth, y, barWidth, barHeight).fill(BAR_COLOR)
      doc
        .fillColor(MUTED_COLOR)
        .text(number(row.count), left + labelWidth + barWidth + 4, y + 1.5, {
          width: numberWidth - 4,
          lineBreak: false,
        })
    })
    doc.fillColor(TEXT_COLOR)
    doc.y = top + shown.length * step + 8
    doc.x = left
  }

  // 1. Title page.
  doc.y = doc.page.height * 0.3
  doc.font(BOLD).fontSize(26).fillColor(TEXT_COLOR)
  doc.text(pdfSafe(model.title), left, doc.y, { width })
  doc.moveDown(0.6)
  doc.font(REGULAR).fontSize(14).text(pdfSafe(model.subtitle), { width })
  doc.moveDown(1.5)
  doc.fontSize(11).text(pdfSafe(model.period), { width })
  doc.moveDown(0.4)
  doc.fillColor(MUTED_COLOR).fontSize(10).text(pdfSafe(model.generatedAt), { width })
  doc.addPage()
  step()

  // 2. Method.
  section(labels.method)
  for (const text of model.method) paragraph(text)
  step()

  // 3. Statistics.
  section(labels.statistics)
  doc.font(BOLD).fontSize(BODY_SIZE).fillColor(TEXT_COLOR)
  doc.text(pdfSafe(totalsLine(model, number)), left, doc.y, { width })
  doc.moveDown(0.6)
  for (const statistics of model.tables) {
    heading(statistics.title, 12)
    table(statistics.columns, statistics.rows)
    barChart(statistics.rows)
    step()
  }

  // 4. Controls.
  section(labels.controls)
  const positionColumns = countColumns(model)
  for (const control of model.controls) {
    heading(`${control.reference}: ${control.title}`, 13)
    if (control.positions.length) {
      table(positionColumns, control.positions)
      barChart(control.positions)
    }
    if (control.summary?.length) for (const text of control.summary) paragraph(text)
    else paragraph(labels.noSummary, ITALIC)
    step()
  }

  // 5. Tag summaries.
  if (model.tagSummaries.length) {
    section(labels.tagSummaries)
    for (const tag of model.tagSummaries) {
      heading(tag.heading, 13)
      for (const text of tag.paragraphs) paragraph(text)
    }
  }
  step()

  // 6. Campaign annex.
  if (model.campaigns.length) {
    section(labels.campaigns)
    for (const campaign of model.campaigns) {
      heading(campaign.heading, 12)
      paragraph(`${labels.total}: ${number(campaign.size)}`, BOLD)
      paragraph(campaign.text)
    }
  }
  step()

  // 7. Named respondents: one text in two columns, which pdfkit flows across pages itself.
  if (model.namedRespondents.length) {
    section(labels.respondents)
    doc.font(REGULAR).fontSize(9.5).fillColor(TEXT_COLOR)
    // A negative first-line indent hangs each bullet, so a wrapped name lines up under its text.
    const hang = doc.widthOfString('\u2022 ')
    const list = model.namedRespondents.map((name) => `\u2022 ${pdfSafe(name)}`).join('\n')
    doc.text(list, left + hang, doc.y, {
      width: width - hang,
      indent: -hang,
      columns: 2,
      columnGap: 24,
      lineGap: 1.5,
    })
    if (model.namedMore) paragraph(model.namedMore)
  }
  step()

  // Footers last, now that every page exists.
  const pages = doc.bufferedPageRange()
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i)
    // Writing below the bottom margin would make pdfkit open a new page.
    const margin = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc.font(REGULAR).fontSize(9).fillColor(MUTED_COLOR)
    doc.text(pdfSafe(`${labels.page} ${i + 1}`), left, doc.page.height - MARGIN / 2 - 6, {
      width,
      align: 'center',
      lineBreak: false,
    })
    doc.page.margins.bottom = margin
  }
  step()

  doc.end()
  return done
}

/** The headings of the count columns, for tables the model gives no columns of its own. */
function countColumns(model: ReportModel): [string, string, string] {
  const columns = model.tables[0]?.columns
  return ['', columns?.[1] ?? model.labels.total, columns?.[2] ?? '']
}

function totalsLine(model: ReportModel, number: (n: number) => string): string {
  const { responses, uniqueTexts, published } = model.totals
  return `${model.labels.totals}: ${number(responses)} / ${number(uniqueTexts)} / ${number(published)}`
}

function numberFormat(locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale)
  } catch {
    // A malformed locale tag must not cost the whole report its numbers.
    return new Intl.NumberFormat('en')
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
}
