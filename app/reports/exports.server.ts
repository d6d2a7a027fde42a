import type { DB } from '#app/utils/db.server.ts'
import { countInIdSlices, roundIdSpan } from '#app/models/round-span.server.ts'
import { liveGeneration } from '#app/models/campaigns.server.ts'
import { selectArrays } from '#db/connection.ts'
import { ByteBlocks } from './byte-blocks.ts'
import { CSV_BOM, type CsvCell, CsvWriter } from './csv.ts'

// Exports of a round's responses as CSV or JSON, streamed: rows are read in
// batches by keyset and written as the client reads, so a million responses
// never sit in memory at once.

export interface ExportOptions {
  consultationId: number
  /**
   * false (the default export, safe to share): published responses only, each
   * as the public sees it. true: every response with contact details and
   * confidential text, for officials only; the caller audit-logs it.
   */
  full: boolean
  /** Responses read per query (500 unless a test needs its batch boundaries). */
  batchSize?: number
  /** Told how many responses each batch held, as it is made (a job's progress). */
  onRows?: (count: number) => void
}

// Each batch's queries run on the server's one thread (SQLite's are synchronous): 2,000 full
// responses at a time held it for about 300 ms.
const BATCH = 500

interface ColumnScope {
  key: string
  controlId: number | null
  questionIds: number[]
}

async function scopes(db: DB, consultationId: number): Promise<ColumnScope[]> {
  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .orderBy('position')
    .select(['id', 'reference'])
    .execute()
  const questions = controls.length
    ? await db
        .selectFrom('control_questions')
        .where(
          'control_id',
          'in',
          controls.map((c) => c.id),
        )
        .orderBy('position')
        .select(['id', 'control_id'])
        .execute()
    : []
  // References need not be unique: a repeated one gets a number, so that no two columns share
  // a name (a JSON record would keep only the last of them).
  const seen = new Map<string, number>([['round', 1]])
  return [
    { key: 'round', controlId: null, questionIds: [] },
    ...controls.map((c) => {
      const n = (seen.get(c.reference) ?? 0) + 1
      seen.set(c.reference, n)
      return {
        key: n === 1 ? c.reference : `${c.reference} (${n})`,
        controlId: c.id,
        questionIds: questions.filter((q) => q.control_id === c.id).map((q) => q.id),
      }
    }),
  ]
}

/** The responses an export holds, as a query to page through or count. */
function exportedResponses(db: DB, { consultationId, full }: ExportOptions) {
  const round = db.selectFrom('responses').where('consultation_id', '=', consultationId)
  return full
    ? round.where('status', '!=', 'draft')
    : round.where('status', '=', 'published').where('publication', '!=', 'not_published')
}

/**
 * How many responses (rows) an export holds, counted a range of ids at a time from the index
 * that holds their status and publication (see round-span.server.ts).
 */
export async function countExportRows(db: DB, options: ExportOptions): Promise<number> {
  return countInIdSlices(await roundIdSpan(db, options.consultationId), async (from, to) => {
    const row = await exportedResponses(db, options)
      .where('id', '>=', from)
      .where('id', '<', to)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  })
}

export type ExportRecord = Record<string, string | number | boolean | null>

/** The export's shape: its column names, and its rows (arrays in column order) a batch at a time. */
export interface ExportTable {
  columns: string[]
  batches: AsyncGenerator<CsvCell[][]>
}

// Where each column of the response itself sits in the query's select list below.
const R = {
  id: 0,
  trackingNumber: 1,
  submittedAt: 2,
  status: 3,
  late: 4,
  respondentType: 5,
  organisation: 6,
  authorName: 7,
  country: 8,
  organisationSize: 9,
  registerId: 10,
  contactName: 11,
  contactEmail: 12,
  publication: 13,
  confidential: 14,
  justification: 15,
  publicVersion: 16,
  moderationReason: 17,
  clusterId: 18,
  clusterSize: 19,
  itemId: 20,
  controlId: 21,
  position: 22,
  body: 23,
} as const

const BASE_COLUMNS = [
  'response_id',
  'submitted_at',
  'late',
  'respondent_type',
  'name',
  'country',
  'organisation_size',
  'publication',
  'confidential',
  'public_version',
  'campaign_id',
  'campaign_size',
  'tags',
]
const FULL_COLUMNS = [
  'tracking_number',
  'status',
  'organisation',
  'author_name',
  'contact_name',
  'contact_email',
  'register_id',
  'confidential_justification',
  'moderation_reason',
  'attachments',
]

/**
 * The export of a round: published responses as the public sees them, or (full) every
 * submitted response with contact details and confidential text. One row per response, in
 * id order, read by keyset a batch at a time with each batch's items in the same query.
 */
export async function exportTable(db: DB, options: ExportOptions): Promise<ExportTable> {
  const { consultationId, full, batchSize = BATCH, onRows } = options
  const scopeList = await scopes(db, consultationId)
  const columns = [...BASE_COLUMNS, ...(full ? FULL_COLUMNS : [])]
  const scopeStart: number[] = []
  const scopeOf = new Map<number | null, number>()
  const questionColumn = new Map<number, number>()
  for (const scope of scopeList) {
    scopeOf.set(scope.controlId, scopeStart.length)
    scopeStart.push(columns.length)
    columns.push(`position: ${scope.key}`, `text: ${scope.key}`)
    scope.questionIds.forEach((questionId, index) => {
      questionColumn.set(questionId, columns.length - scopeStart.at(-1)!)
      columns.push(`answer: ${scope.key} Q${index + 1}`)
    })
  }
  const hasQuestions = questionColumn.size > 0
  const width = columns.length

  async function* batches(): AsyncGenerator<CsvCell[][]> {
    let after = 0
    for (;;) {
      const page = exportedResponses(db, options).where('id', '>', after)
      const rows = await selectArrays(
        db,
        db
          .selectFrom(page.orderBy('id').limit(batchSize).selectAll().as('r'))
          .leftJoin('campaign_members as m', (join) =>
            join
              .onRef('m.response_id', '=', 'r.id')
              .on('m.consultation_id', '=', consultationId)
              .on('m.generation', '=', liveGeneration(consultationId)),
          )
          .leftJoin('campaign_clusters as k', 'k.id', 'm.cluster_id')
          .leftJoin('response_items as i', 'i.response_id', 'r.id')
          .orderBy('r.id')
          .select([
            'r.id',
            'r.tracking_number',
            'r.submitted_at',
            'r.status',
            'r.is_late',
            'r.respondent_type',
            'r.organisation',
            'r.author_name',
            'r.country',
            'r.organisation_size',
            'r.register_id',
            'r.contact_name',
            'r.contact_email',
            'r.publication',
            'r.confidential',
            'r.confidential_justification',
            'r.public_version',
            'r.moderation_reason',
            'm.cluster_id',
            'k.size',
            'i.id as item_id',
            'i.control_id',
            'i.position',
            'i.body',
          ]),
      )
      if (!rows.length) return
      const first = after
      const last = rows.at(-1)![R.id] as number
      after = last
      // The batch's tags, answers and attachment counts, by id range (cheaper than a list of ids).
      const tags = await selectArrays(
        db,
        db
          .selectFrom('response_tags as rt')
          .innerJoin('tags as t', 't.id', 'rt.tag_id')
          .where('rt.response_id', '>', first)
          .where('rt.response_id', '<=', last)
          .select(['rt.response_id', 't.name'])
          .distinct(),
      )
      const tagsOf = new Map<number, string[]>()
      for (const [responseId, name] of tags as [number, string][]) {
        const names = tagsOf.get(responseId)
        if (names) names.push(name)
        else tagsOf.set(responseId, [name])
      }
      const answers = hasQuestions
        ? ((await selectArrays(
            db,
            db
              .selectFrom('response_answers as a')
              .innerJoin('response_items as i', 'i.id', 'a.item_id')
              .where('i.response_id', '>', first)
              .where('i.response_id', '<=', last)
              .select(['a.item_id', 'a.question_id', 'a.answer']),
          )) as [number, number, string][])
        : []
      const files = full
        ? new Map(
            (await selectArrays(
              db,
              db
                .selectFrom('attachments')
                .where('response_id', '>', first)
                .where('response_id', '<=', last)
                .select((eb) => ['response_id', eb.fn.countAll<number>().as('n')])
                .groupBy('response_id'),
            )) as [number, number][],
          )
        : null

      const out: CsvCell[][] = []
      // Where each item's cells went, for its answers: [row, first column of its scope].
      const itemCells = new Map<number, [CsvCell[], number]>()
      let record: CsvCell[] = []
      let hideText = false
      for (const row of rows) {
        const id = row[R.id] as number
        if (id !== record[0]) {
          record = new Array<CsvCell>(width).fill(null)
          out.push(record)
          // What the public may see of a confidential response is its public version only.
          const confidential = row[R.confidential] === 1
          hideText = !full && confidential
          const name = (row[R.organisation] ?? row[R.authorName]) as string | null
          // Cells 0 to 12 in the order of BASE_COLUMNS, 13 to 22 in that of FULL_COLUMNS
          // (the integration tests read them back by column name).
          record[0] = id
          record[1] = row[R.submittedAt] as string
          record[2] = row[R.late] === 1
          record[3] = row[R.respondentType] as string
          record[4] = full || row[R.publication] === 'named' ? name : null
          record[5] = row[R.country] as string | null
          record[6] = row[R.organisationSize] as string | null
          record[7] = row[R.publication] as string
          record[8] = confidential
          record[9] = confidential ? (row[R.publicVersion] as string | null) : null
          record[10] = row[R.clusterId] as number | null
          record[11] = row[R.clusterSize] as number | null
          record[12] = tagsOf.get(id)?.sort().join('; ') ?? ''
          if (full) {
            record[13] = row[R.trackingNumber] as string
            record[14] = row[R.status] as string
            record[15] = row[R.organisation] as string | null
            record[16] = row[R.authorName] as string | null
            record[17] = row[R.contactName] as string | null
            record[18] = row[R.contactEmail] as string | null
            record[19] = row[R.registerId] as string | null
            record[20] = row[R.justification] as string | null
            record[21] = row[R.moderationReason] as string | null
            record[22] = files!.get(id) ?? 0
          }
        }
        const itemId = row[R.itemId] as number | null
        const scope = itemId === null ? undefined : scopeOf.get(row[R.controlId] as number | null)
        if (scope === undefined) continue
        const start = scopeStart[scope]!
        record[start] = row[R.position] as string
        if (!hideText) {
          record[start + 1] = row[R.body] as string
          if (hasQuestions) itemCells.set(itemId!, [record, start])
        }
      }
      for (const [itemId, questionId, answer] of answers) {
        const cells = itemCells.get(itemId)
        const offset = questionColumn.get(questionId)
        if (cells && offset !== undefined) cells[0][cells[1] + offset] = answer
      }
      onRows?.(out.length)
      yield out
    }
  }
  return { columns, batches: batches() }
}

/** The export's records (objects keyed by column), a database batch at a time. */
export async function* exportBatches(
  db: DB,
  options: ExportOptions,
): AsyncGenerator<ExportRecord[]> {
  const { columns, batches } = await exportTable(db, options)
  for await (const rows of batches) {
    yield rows.map((row) => {
      const record: ExportRecord = {}
      columns.forEach((column, index) => (record[column] = row[index] ?? null))
      return record
    })
  }
}

/** The export's records, one per response, in id order. */
export async function* exportRecords(db: DB, options: ExportOptions): AsyncGenerator<ExportRecord> {
  for await (const batch of exportBatches(db, options)) yield* batch
}

/** A byte stream pulled from an async generator: the next chunk is made only when the reader asks. */
function byteStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}

/** The export as CSV: UTF-8 with a byte-order mark (Excel then reads accents right), formulas neutralised. */
export function exportCsv(db: DB, options: ExportOptions): ReadableStream<Uint8Array> {
  async function* chunks() {
    const { columns, batches } = await exportTable(db, options)
    const csv = new CsvWriter()
    yield CSV_BOM
    csv.row(columns)
    for await (const rows of batches) {
      for (const row of rows) csv.row(row)
      yield* csv.take()
    }
    yield* csv.take()
  }
  return byteStream(chunks())
}

/** The export as a JSON array, one response per line: each record as JSON.stringify writes it. */
export function exportJson(db: DB, options: ExportOptions): ReadableStream<Uint8Array> {
  async function* chunks() {
    const { columns, batches } = await exportTable(db, options)
    // Each key once, with its colon; the row's values follow in column order.
    const keys = columns.map((column, i) => `${i ? ',' : '{'}${JSON.stringify(column)}:`)
    const json = new ByteBlocks()
    json.text('[\n')
    let first = true
    for await (const rows of batches) {
      for (const row of rows) {
        let record = first ? '' : ',\n'
        first = false
        for (let i = 0; i < keys.length; i++) record += keys[i]! + JSON.stringify(row[i] ?? null)
        json.text(`${record}}`)
      }
      yield* json.take()
    }
    json.text('\n]\n')
    yield* json.take()
  }
  return byteStream(chunks())
}
