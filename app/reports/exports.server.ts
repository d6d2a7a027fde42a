import { Readable } from 'node:stream'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { stringify } from 'csv-stringify/sync'
import type { DB } from '#app/utils/db.server.ts'

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
}

const BATCH = 2000

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
  return [
    { key: 'round', controlId: null, questionIds: [] },
    ...controls.map((c) => ({
      key: c.reference,
      controlId: c.id,
      questionIds: questions.filter((q) => q.control_id === c.id).map((q) => q.id),
    })),
  ]
}

export type ExportRecord = Record<string, string | number | boolean | null>

/** The export's records, one per response, in id order. */
export async function* exportRecords(db: DB, options: ExportOptions): AsyncGenerator<ExportRecord> {
  for await (const batch of exportBatches(db, options)) yield* batch
}

/** The export's records a database batch at a time (cheaper to serialise in bulk). */
export async function* exportBatches(
  db: DB,
  { consultationId, full }: ExportOptions,
): AsyncGenerator<ExportRecord[]> {
  const columns = await scopes(db, consultationId)
  let after = 0
  for (;;) {
    let query = db
      .selectFrom('responses as r')
      .leftJoin('campaign_clusters as k', 'k.id', 'r.cluster_id')
      .where('r.consultation_id', '=', consultationId)
      .where('r.id', '>', after)
      .orderBy('r.id')
      .limit(BATCH)
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
        'r.cluster_id',
        'k.size as cluster_size',
      ])
    query = full
      ? query.where('r.status', '!=', 'draft')
      : query.where('r.status', '=', 'published').where('r.publication', '!=', 'not_published')
    const rows = await query.execute()
    if (!rows.length) return
    after = rows.at(-1)!.id
    const ids = rows.map((r) => r.id)
    const items = await db
      .selectFrom('response_items')
      .where('response_id', 'in', ids)
      .select(['id', 'response_id', 'control_id', 'position', 'body'])
      .execute()
    const answers = items.length
      ? await db
          .selectFrom('response_answers')
          .where(
            'item_id',
            'in',
            items.map((i) => i.id),
          )
          .select(['item_id', 'question_id', 'answer'])
          .execute()
      : []
    const tags = await db
      .selectFrom('response_tags as rt')
      .innerJoin('tags as t', 't.id', 'rt.tag_id')
      .where('rt.response_id', 'in', ids)
      .select(['rt.response_id', 't.name'])
      .distinct()
      .execute()
    const attachmentCounts = full
      ? await db
          .selectFrom('attachments')
          .where('response_id', 'in', ids)
          .select((eb) => ['response_id', eb.fn.countAll<number>().as('n')])
          .groupBy('response_id')
          .execute()
      : []
    const group = <T, K>(list: T[], key: (t: T) => K) => {
      const map = new Map<K, T[]>()
      for (const entry of list) {
        const list_ = map.get(key(entry))
        if (list_) list_.push(entry)
        else map.set(key(entry), [entry])
      }
      return map
    }
    const itemsOf = group(items, (i) => i.response_id)
    const answersOf = group(answers, (a) => a.item_id)
    const tagsOf = group(tags, (t) => t.response_id)
    const filesOf = new Map(attachmentCounts.map((a) => [a.response_id, Number(a.n)]))
    const batch: ExportRecord[] = []
    for (const r of rows) {
      // What the public may see of a confidential response is its public version only.
      const hideText = !full && r.confidential === 1
      const named = r.publication === 'named'
      const record: ExportRecord = {
        response_id: r.id,
        submitted_at: r.submitted_at,
        late: r.is_late === 1,
        respondent_type: r.respondent_type,
        name: full
          ? (r.organisation ?? r.author_name)
          : named
            ? (r.organisation ?? r.author_name)
            : null,
        country: r.country,
        organisation_size: r.organisation_size,
        publication: r.publication,
        confidential: r.confidential === 1,
        public_version: r.confidential === 1 ? r.public_version : null,
        campaign_id: r.cluster_id,
        campaign_size: r.cluster_size,
        tags: (tagsOf.get(r.id) ?? [])
          .map((t) => t.name)
          .sort()
          .join('; '),
      }
      if (full) {
        Object.assign(record, {
          tracking_number: r.tracking_number,
          status: r.status,
          organisation: r.organisation,
          author_name: r.author_name,
          contact_name: r.contact_name,
          contact_email: r.contact_email,
          register_id: r.register_id,
          confidential_justification: r.confidential_justification,
          moderation_reason: r.moderation_reason,
          attachments: filesOf.get(r.id) ?? 0,
        })
      }
      const own = itemsOf.get(r.id) ?? []
      for (const scope of columns) {
        const item = own.find((i) => i.control_id === scope.controlId)
        record[`position: ${scope.key}`] = item?.position ?? null
        record[`text: ${scope.key}`] = hideText ? null : (item?.body ?? null)
        scope.questionIds.forEach((questionId, index) => {
          const answer = item
            ? answersOf.get(item.id)?.find((a) => a.question_id === questionId)
            : undefined
          record[`answer: ${scope.key} Q${index + 1}`] = hideText ? null : (answer?.answer ?? null)
        })
      }
      batch.push(record)
    }
    yield batch
  }
}

/** The export as CSV: UTF-8 with a byte-order mark (Excel then reads accents right), formulas neutralised. */
export function exportCsv(db: DB, options: ExportOptions): ReadableStream<Uint8Array> {
  async function* chunks() {
    let first = true
    for await (const batch of exportBatches(db, options)) {
      yield stringify(batch, {
        header: first,
        bom: first,
        escape_formulas: true,
        cast: { boolean: (v) => (v ? 'yes' : 'no') },
      })
      first = false
    }
  }
  return createReadableStreamFromReadable(Readable.from(chunks()))
}

/** The export as a JSON array, one response per line. */
export function exportJson(db: DB, options: ExportOptions): ReadableStream<Uint8Array> {
  async function* chunks() {
    yield '[\n'
    let first = true
    for await (const batch of exportBatches(db, options)) {
      yield batch
        .map((record) => `${first ? ((first = false), '') : ',\n'}${JSON.stringify(record)}`)
        .join('')
    }
    yield '\n]\n'
  }
  return createReadableStreamFromReadable(Readable.from(chunks()))
}
