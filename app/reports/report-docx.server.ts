// The summary report as a Word document: the same content, in the same order,
// as the PDF, but with Word's own headings, tables and lists so that readers can
// navigate, restyle and quote it. No charts: the tables carry the numbers.
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { CountRow, LayoutStep, ReportModel } from '#app/reports/report-model.ts'

/** A4 and the PDF's 56 pt margins, in twentieths of a point. */
const PAGE = { width: 11906, height: 16838, margin: 1120 }
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin
const NUMBER_COLUMN_WIDTH = 1900

/**
 * The summary report as a DOCX file (A4, Word headings, tables and bullet list). `onStep` is
 * told once the document is built and once it is packed (zipped), its two long steps.
 */
export async function renderReportDocx(
  model: ReportModel,
  { onStep }: { onStep?: LayoutStep } = {},
): Promise<Buffer> {
  const { labels } = model
  const numbers = numberFormat(model.locale)
  const number = (n: number) => numbers.format(n)

  const text = (value: string, style: { bold?: boolean; italics?: boolean } = {}) =>
    new Paragraph({ children: [new TextRun({ text: xmlSafe(value), ...style })] })
  const heading = (value: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
    new Paragraph({ text: xmlSafe(value), heading: level, keepNext: true })
  // Each section opens a page, as in the PDF.
  const section = (value: string) =>
    new Paragraph({ text: xmlSafe(value), heading: HeadingLevel.HEADING_1, pageBreakBefore: true })

  const table = (columns: readonly [string, string, string], rows: CountRow[]) => {
    const cell = (value: string, number: boolean, bold = false) =>
      new TableCell({
        children: [
          new Paragraph({
            alignment: number ? AlignmentType.RIGHT : AlignmentType.LEFT,
            children: [new TextRun({ text: xmlSafe(value), bold })],
          }),
        ],
      })
    return new Table({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: [
        CONTENT_WIDTH - 2 * NUMBER_COLUMN_WIDTH,
        NUMBER_COLUMN_WIDTH,
        NUMBER_COLUMN_WIDTH,
      ],
      rows: [
        // A header row Word repeats on every page the table spans.
        new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: [
            cell(columns[0], false, true),
            cell(columns[1], true, true),
            cell(columns[2], true, true),
          ],
        }),
        ...rows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: [
                cell(row.label, false),
                cell(number(row.count), true),
                cell(number(row.unique), true),
              ],
            }),
        ),
      ],
    })
  }
  // Word runs a table straight into the next heading without a paragraph between.
  const spacer = () => new Paragraph({ text: '' })

  const body: (Paragraph | Table)[] = [
    new Paragraph({ text: xmlSafe(model.title), heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: xmlSafe(model.subtitle), size: 28 })] }),
    text(model.period),
    text(model.generatedAt, { italics: true }),
  ]

  body.push(section(labels.method), ...model.method.map((value) => text(value)))

  body.push(section(labels.statistics), text(totalsLine(model, number), { bold: true }))
  for (const statistics of model.tables) {
    body.push(
      heading(statistics.title, HeadingLevel.HEADING_2),
      table(statistics.columns, statistics.rows),
      spacer(),
    )
  }

  body.push(section(labels.controls))
  const positionColumns = countColumns(model)
  for (const control of model.controls) {
    body.push(heading(`${control.reference}: ${control.title}`, HeadingLevel.HEADING_2))
    if (control.positions.length) body.push(table(positionColumns, control.positions), spacer())
    if (control.summary?.length) body.push(...control.summary.map((value) => text(value)))
    else body.push(text(labels.noSummary, { italics: true }))
  }

  if (model.tagSummaries.length) {
    body.push(section(labels.tagSummaries))
    for (const tag of model.tagSummaries) {
      body.push(
        heading(tag.heading, HeadingLevel.HEADING_2),
        ...tag.paragraphs.map((value) => text(value)),
      )
    }
  }

  if (model.campaigns.length) {
    body.push(section(labels.campaigns))
    for (const campaign of model.campaigns) {
      body.push(
        heading(campaign.heading, HeadingLevel.HEADING_2),
        text(`${labels.total}: ${number(campaign.size)}`, { bold: true }),
        text(campaign.text),
      )
    }
  }

  if (model.namedRespondents.length) {
    body.push(
      section(labels.respondents),
      ...model.namedRespondents.map(
        (name) => new Paragraph({ text: xmlSafe(name), bullet: { level: 0 } }),
      ),
      ...(model.namedMore ? [new Paragraph({ text: xmlSafe(model.namedMore) })] : []),
    )
  }

  const document = new Document({
    title: xmlSafe(model.title),
    subject: xmlSafe(model.subtitle),
    // The core properties have no language field here: the default run language tells
    // Word (and screen readers) which language the text is in.
    styles: { default: { document: { run: { language: { value: model.locale } } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.margin,
              right: PAGE.margin,
              bottom: PAGE.margin,
              left: PAGE.margin,
            },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: [`${xmlSafe(labels.page)} `, PageNumber.CURRENT] }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  })
  onStep?.(1, 2)
  const packed = await Packer.toBuffer(document)
  onStep?.(2, 2)
  return packed
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

/** Control characters are not allowed in XML at all: one in a response would make Word refuse the file. */
function xmlSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
}

function numberFormat(locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale)
  } catch {
    return new Intl.NumberFormat('en')
  }
}
