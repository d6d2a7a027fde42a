import { performance } from 'node:perf_hooks'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { countNewResponse, keepingCounts } from '#app/models/round-counts.server.ts'
import { type Kysely, sql } from 'kysely'
import { isPostgres } from '#db/postgres.ts'
import type { Database, Position, Publication, RespondentType, ResponseStatus } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { isDatabaseBusy, isUniqueViolation } from '#app/utils/database-errors.server.ts'
import { getSessionSecrets } from '#app/utils/env.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'
import { createTrackingNumber, hashToken } from '#app/utils/tokens.server.ts'
import { type ConsultationStatus, consultationStatus } from './consultation-status.ts'
import type { ResponseInput } from './response-input.ts'
import { updateCampaigns } from './campaigns.server.ts'
import { type StoredBlob, claimBlobs, deleteBlobs } from './file-store.server.ts'
import { indexResponse, searchableTextOf } from './search-index.server.ts'

type Tx = Kysely<Database>

/** What a round's dates say about sending a response now. */
export interface SubmissionWindow {
  /** A new response is accepted. */
  accepting: boolean
  /** ...and it will be marked late. */
  late: boolean
  /** An existing response may be edited or withdrawn (only until the close). */
  editable: boolean
  status: ConsultationStatus
}

/** Whether a round takes responses at `now`, to the second. */
export function submissionWindow(
  round: {
    published_at: string | null
    opens_at: string | null
    closes_at: string | null
    archived_at: string | null
    late_comments_allowed: number
  },
  now: string,
): SubmissionWindow {
  const status = consultationStatus(round, now)
  const lateOk = status === 'closed' && round.late_comments_allowed === 1
  return {
    accepting: status === 'open' || lateOk,
    late: lateOk,
    editable: status === 'open',
    status,
  }
}

export interface RoundForResponse {
  id: number
  slug: string
  title: string
  published_at: string | null
  opens_at: string | null
  closes_at: string | null
  archived_at: string | null
  late_comments_allowed: number
  controls: { id: number; questionIds: number[] }[]
}

/** The round and the ids of its controls and questions, which a response may refer to. */
export async function getRoundForResponse(
  db: DB,
  { slug }: { slug: string },
): Promise<RoundForResponse | null> {
  const round = await db
    .selectFrom('consultations')
    .where('slug', '=', slug)
    .where('published_at', 'is not', null)
    .select([
      'id',
      'slug',
      'title',
      'published_at',
      'opens_at',
      'closes_at',
      'archived_at',
      'late_comments_allowed',
    ])
    .executeTakeFirst()
  if (!round) return null
  return { ...round, controls: await controlsOf(db, round.id) }
}

async function controlsOf(db: Tx, consultationId: number) {
  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .orderBy('position')
    .select('id')
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
  return controls.map((c) => ({
    id: c.id,
    questionIds: questions.filter((q) => q.control_id === c.id).map((q) => q.id),
  }))
}

/**
 * The private-link secret for a submission. It is derived from the form's
 * one-time submission key with the server secret, so a retried or doubled
 * submission gets the very same receipt, and only its hash is stored.
 */
export function editTokenFor(submissionKey: string): string {
  return createHmac('sha256', getSessionSecrets()[0]!)
    .update(`edit-token:${submissionKey}`)
    .digest('base64url')
}

/** An attachment whose bytes are staged in the file store, its type checked from them. */
export interface UploadedFile {
  filename: string
  mediaType: string
  blob: StoredBlob
  confidential: boolean
}

function responseValues(input: ResponseInput) {
  const organisationType = input.respondentType !== 'individual'
  return {
    respondent_type: input.respondentType as RespondentType,
    organisation: organisationType ? input.organisation || null : null,
    author_name: organisationType ? null : input.authorName || null,
    country: input.country,
    organisation_size: organisationType ? (input.organisationSize ?? null) : null,
    register_id: input.registerId || null,
    contact_name: input.contactName || null,
    contact_email: input.contactEmail || null,
    publication: input.publication as Publication,
    confidential: input.confidential ? 1 : 0,
    confidential_justification: input.confidentialJustification.trim()
      ? input.confidentialJustification
      : null,
    public_version: input.confidential ? input.publicVersion : null,
  }
}

/**
 * Replaces the response's items and answers with what the form says, and
 * returns the texts written (for the search index and campaign detection).
 */
async function writeItems(
  trx: Tx,
  responseId: number,
  round: RoundForResponse,
  input: ResponseInput,
) {
  const written = { bodies: [] as string[], answers: [] as string[] }
  await trx.deleteFrom('response_items').where('response_id', '=', responseId).execute()
  for (const scope of input.scopes) {
    const control =
      scope.controlId === null ? null : round.controls.find((c) => c.id === scope.controlId)
    if (scope.controlId !== null && !control) continue
    const hasText = scope.body.trim() !== '' || scope.answers.some((a) => a.trim() !== '')
    if (!scope.position && !hasText) continue
    const { id: itemId } = await trx
      .insertInto('response_items')
      .values({
        response_id: responseId,
        control_id: control?.id ?? null,
        position: (scope.position ?? 'no_position') as Position,
        body: scope.body,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    written.bodies.push(scope.body)
    for (const [index, answer] of scope.answers.entries()) {
      const questionId = control?.questionIds[index]
      if (!questionId || !answer.trim()) continue
      await trx
        .insertInto('response_answers')
        .values({ item_id: itemId, question_id: questionId, answer })
        .execute()
      written.answers.push(answer)
    }
  }
  return written
}

/** The texts to index and to compare for campaigns, as the database would give them back. */
function indexTexts(input: ResponseInput, written: { bodies: string[]; answers: string[] }) {
  const values = responseValues(input)
  return {
    search: searchableTextOf({
      organisation: values.organisation,
      authorName: values.author_name,
      bodies: written.bodies,
      answers: written.answers,
      publicVersion: values.public_version,
      justification: values.confidential_justification,
    }),
    campaign: [...written.bodies, ...written.answers].join('\n'),
  }
}

/** Links staged files to their response: a few rows, however large the files. */
async function writeAttachments(trx: Tx, responseId: number, files: UploadedFile[], now: string) {
  await claimBlobs(
    trx,
    files.map((f) => f.blob.id),
  )
  for (const file of files) {
    await trx
      .insertInto('attachments')
      .values({
        response_id: responseId,
        filename: file.filename,
        media_type: file.mediaType,
        size_bytes: file.blob.size,
        sha256: file.blob.sha256,
        blob_id: file.blob.id,
        confidential: file.confidential ? 1 : 0,
        created_at: now,
      })
      .execute()
  }
}

export interface Receipt {
  trackingNumber: string
  editToken: string
  /** False when this submission key had already been used: the earlier receipt is returned. */
  created: boolean
}

export interface Submission {
  round: RoundForResponse
  input: ResponseInput
  files: UploadedFile[]
  userId: number | null
  now?: string
}

interface Queued {
  db: DB
  submission: Submission
  resolve: (receipt: Receipt) => void
  reject: (error: unknown) => void
}

/** Submissions written together at most: a transaction stays short for the readers waiting. */
const GROUP_MAX = 64
/**
 * How long a group's transaction may write before it commits and lets others in: its queries
 * hold the server's one thread (SQLite's are synchronous), and 64 submissions at once held it
 * for about 150 ms, every request waiting. The rest of the group goes with the next.
 */
const GROUP_BUDGET_MS = 20
const queue: Queued[] = []
let draining = false

/**
 * Stores a response, its items, answers and attachments: all of it or nothing. A submission key
 * seen before returns the first receipt instead of a second response (double click, retry after
 * a timeout, the same form sent to two servers): the unique index on the key decides, so two
 * servers can never both store one.
 *
 * SQLite, group commit: one writer at a time, and each commit waits for the disk. Submissions
 * that arrive while others are being written wait, and are written together in the next
 * transaction, each in a savepoint of its own (one that fails is rolled back alone and its
 * sender gets the error). One commit, one wait for the disk, for all of them; each receipt is
 * given only after its transaction has committed, so durability is unchanged.
 *
 * PostgreSQL: a short transaction per submission on a connection of the pool, side by side with
 * the others (and the other servers'); the engine groups their commits itself.
 */
export function submitResponse(db: DB, submission: Submission): Promise<Receipt> {
  if (isPostgres(db)) return submitAlone(db, submission)
  return new Promise<Receipt>((resolve, reject) => {
    queue.push({ db, submission, resolve, reject })
    if (!draining) {
      draining = true
      // A transaction runs to its commit without giving way to the network (its queries are
      // synchronous underneath), so nothing could join it once begun. Beginning after this turn
      // of the event loop lets every submission that arrives in the same turn join.
      setImmediate(() => void drain())
    }
  })
}

/**
 * Waits before a group is tried again after another process held the database's write lock:
 * about 2 s in all, without blocking the server, before the senders are told to retry (503).
 * On PostgreSQL, the waits before a submission is tried again after a deadlock.
 */
const BUSY_RETRIES_MS = [25, 50, 100, 200, 400, 600, 800]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One submission in a transaction of its own (PostgreSQL). Another server storing the same key
 * at the same moment makes the insert wait for it and then fail on the unique index: the failed
 * transaction is gone, so the first one's receipt is read in a new one.
 */
async function submitAlone(db: DB, submission: Submission): Promise<Receipt> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => writeSubmission(trx, submission))
    } catch (error) {
      if (isUniqueViolation(error)) {
        const earlier = await earlierReceipt(db, submission.input.submissionKey)
        if (earlier) return earlier
        // Not the key: a tracking number drawn twice at once, which the next attempt redraws.
      } else if (!isDatabaseBusy(error)) {
        throw error
      }
      const wait = BUSY_RETRIES_MS[attempt]
      if (wait === undefined) throw error
      await sleep(wait)
    }
  }
}

/** The receipt of the response already stored under `submissionKey`, if there is one. */
async function earlierReceipt(db: Tx, submissionKey: string): Promise<Receipt | null> {
  const existing = await db
    .selectFrom('responses')
    .where('idempotency_key', '=', submissionKey)
    .select('tracking_number')
    .executeTakeFirst()
  if (!existing) return null
  return {
    trackingNumber: existing.tracking_number,
    editToken: editTokenFor(submissionKey),
    created: false,
  }
}

async function drain(): Promise<void> {
  for (;;) {
    // Cleared in the same turn as the check that found the queue empty: a submission queued
    // after it sees `draining` false and starts the next drain. (Cleared a few promise callbacks
    // later, as it once was, a submission queued in between waited for the next one to come.)
    if (queue.length === 0) {
      draining = false
      return
    }
    const db = queue[0]!.db
    const group: Queued[] = []
    for (let i = 0; i < queue.length && group.length < GROUP_MAX;) {
      if (queue[i]!.db === db) group.push(...queue.splice(i, 1))
      else i++
    }
    const outcomes = await writeWithRetries(db, group)
    // Those the time budget left out go first in the next group.
    queue.unshift(...group.slice(outcomes.length))
    outcomes.forEach((outcome, i) => {
      const queued = group[i]!
      if ('receipt' in outcome) queued.resolve(outcome.receipt)
      else queued.reject(outcome.error)
    })
    // Requests that arrived meanwhile are read before the next group begins.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

type Outcome = { receipt: Receipt } | { error: unknown }

/** A group written, waiting and trying again while another process holds the write lock. */
async function writeWithRetries(db: DB, group: Queued[]): Promise<Outcome[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await writeGroup(db, group)
    } catch (error) {
      const wait = BUSY_RETRIES_MS[attempt]
      if (isDatabaseBusy(error) && wait !== undefined) {
        await sleep(wait)
        continue
      }
      // The commit itself failed: nothing of the group was stored.
      return group.map(() => ({ error }))
    }
  }
}

/** One transaction for a group, each submission in its savepoint; a locked database fails it whole. */
async function writeGroup(db: DB, group: Queued[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  await db.transaction().execute(async (trx) => {
    const started = performance.now()
    for (const queued of group) {
      if (outcomes.length > 0 && performance.now() - started > GROUP_BUDGET_MS) break
      await sql`savepoint submission`.execute(trx)
      try {
        outcomes.push({ receipt: await writeSubmission(trx, queued.submission) })
        await sql`release submission`.execute(trx)
      } catch (error) {
        // Another process holds the write lock: the whole group waits and tries again.
        if (isDatabaseBusy(error)) throw error
        await sql`rollback to submission`.execute(trx)
        await sql`release submission`.execute(trx)
        // The key stored by another connection meanwhile (a command-line tool, say): its
        // receipt, as for a key seen before.
        const earlier = isUniqueViolation(error)
          ? await earlierReceipt(trx, queued.submission.input.submissionKey)
          : null
        outcomes.push(earlier ? { receipt: earlier } : { error })
      }
    }
  })
  return outcomes
}

async function writeSubmission(
  trx: Tx,
  { round, input, files, userId, now = new Date().toISOString() }: Submission,
): Promise<Receipt> {
  const editToken = editTokenFor(input.submissionKey)
  const window = submissionWindow(round, now)
  {
    const existing = await earlierReceipt(trx, input.submissionKey)
    if (existing) return existing
    // 40 random bits: at a million responses a new number collides once in a
    // million draws, so draw again until it is free.
    let trackingNumber = createTrackingNumber()
    while (
      await trx
        .selectFrom('responses')
        .where('tracking_number', '=', trackingNumber)
        .select('id')
        .executeTakeFirst()
    ) {
      trackingNumber = createTrackingNumber()
    }
    const { id } = await trx
      .insertInto('responses')
      .values({
        consultation_id: round.id,
        tracking_number: trackingNumber,
        edit_token_hash: hashToken(editToken),
        idempotency_key: input.submissionKey,
        user_id: userId,
        ...responseValues(input),
        status: 'received',
        moderation_reason: null,
        is_late: window.late ? 1 : 0,
        submitted_at: now,
        updated_at: now,
        published_at: null,
        withdrawn_at: null,
        confidential_decision: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const texts = indexTexts(input, await writeItems(trx, id, round, input))
    await writeAttachments(trx, id, files, now)
    await indexResponse(trx, id, texts.search)
    await countNewResponse(trx, { id })
    await updateCampaigns(trx, {
      responseId: id,
      consultationId: round.id,
      text: texts.campaign,
      now,
    })
    if (userId) {
      await trx
        .deleteFrom('response_drafts')
        .where('user_id', '=', userId)
        .where('consultation_id', '=', round.id)
        .execute()
    }
    return { trackingNumber, editToken, created: true }
  }
}

/** Replaces a response's content (an edit through the private link), attachments kept unless removed. */
export async function editResponse(
  db: DB,
  {
    responseId,
    round,
    input,
    files,
    now = new Date().toISOString(),
  }: {
    responseId: number
    round: RoundForResponse
    input: ResponseInput
    files: UploadedFile[]
    now?: string
  },
) {
  await db.transaction().execute(async (trx) => {
    // Its type, country, publication and positions may change: so may what it counts for.
    const texts = await keepingCounts(trx, [responseId], async () => {
      await trx
        .updateTable('responses')
        .set({ ...responseValues(input), updated_at: now })
        .where('id', '=', responseId)
        .execute()
      return indexTexts(input, await writeItems(trx, responseId, round, input))
    })
    if (input.removeAttachments.length) {
      const removed = await trx
        .deleteFrom('attachments')
        .where('response_id', '=', responseId)
        .where('id', 'in', input.removeAttachments)
        .returning('blob_id')
        .execute()
      await deleteBlobs(
        trx,
        removed.flatMap((r) => (r.blob_id === null ? [] : [r.blob_id])),
      )
    }
    await writeAttachments(trx, responseId, files, now)
    await indexResponse(trx, responseId, texts.search)
    await updateCampaigns(trx, { responseId, consultationId: round.id, text: texts.campaign, now })
  })
  // A published response's new text is what the public sees from now.
  clearCache()
}

/**
 * Withdraws a response: it leaves every queue and public page, and the
 * contact details go at once (there is nobody left to contact about it).
 */
export async function withdrawResponse(
  db: DB,
  { responseId, now = new Date().toISOString() }: { responseId: number; now?: string },
) {
  await db.transaction().execute((trx) =>
    keepingCounts(trx, [responseId], () =>
      trx
        .updateTable('responses')
        .set({
          status: 'withdrawn',
          withdrawn_at: now,
          updated_at: now,
          contact_name: null,
          contact_email: null,
        })
        .where('id', '=', responseId)
        .execute(),
    ),
  )
  // It leaves every public page at once: the kept public copies (counts, statistics, the
  // published report) go, as they do after an official's change.
  clearCache()
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export interface RespondentView {
  id: number
  trackingNumber: string
  status: ResponseStatus
  isLate: boolean
  submittedAt: string
  updatedAt: string
  moderationReason: string | null
  round: { id: number; slug: string; title: string; window: SubmissionWindow }
  form: Record<string, unknown>
  attachments: { id: number; filename: string; sizeBytes: number; confidential: boolean }[]
  items: {
    controlId: number | null
    position: Position
    body: string
    answers: { questionId: number; answer: string }[]
  }[]
}

/**
 * A response as its author sees it, contact details included: for the holder
 * of its private link (`key`), or for the signed-in account that sent it.
 * Anyone else gets null, whether or not the tracking number exists.
 */
export async function getResponseForRespondent(
  db: DB,
  {
    trackingNumber,
    key,
    userId,
    now = new Date().toISOString(),
  }: { trackingNumber: string; key?: string | null; userId?: number | null; now?: string },
): Promise<RespondentView | null> {
  const row = await db
    .selectFrom('responses as r')
    .innerJoin('consultations as c', 'c.id', 'r.consultation_id')
    .where('r.tracking_number', '=', trackingNumber)
    .select([
      'r.id',
      'r.tracking_number',
      'r.edit_token_hash',
      'r.user_id',
      'r.status',
      'r.is_late',
      'r.submitted_at',
      'r.updated_at',
      'r.moderation_reason',
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
      'c.id as consultation_id',
      'c.slug',
      'c.title',
      'c.published_at',
      'c.opens_at',
      'c.closes_at',
      'c.archived_at',
      'c.late_comments_allowed',
    ])
    .executeTakeFirst()
  if (!row) return null
  const byKey = Boolean(key) && sameHash(hashToken(key!), row.edit_token_hash)
  const byAccount = userId != null && row.user_id === userId
  if (!byKey && !byAccount) return null

  const items = await db
    .selectFrom('response_items')
    .where('response_id', '=', row.id)
    .select(['id', 'control_id', 'position', 'body'])
    .orderBy('id')
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
  const attachments = await db
    .selectFrom('attachments')
    .where('response_id', '=', row.id)
    .select(['id', 'filename', 'size_bytes', 'confidential'])
    .orderBy('id')
    .execute()
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    status: row.status,
    isLate: row.is_late === 1,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    moderationReason: row.moderation_reason,
    round: {
      id: row.consultation_id,
      slug: row.slug,
      title: row.title,
      window: submissionWindow(row, now),
    },
    form: {
      respondentType: row.respondent_type,
      organisation: row.organisation ?? '',
      authorName: row.author_name ?? '',
      country: row.country,
      organisationSize: row.organisation_size ?? undefined,
      registerId: row.register_id ?? '',
      contactName: row.contact_name ?? '',
      contactEmail: row.contact_email ?? '',
      publication: row.publication,
      confidential: row.confidential === 1 ? 'on' : undefined,
      confidentialJustification: row.confidential_justification ?? '',
      publicVersion: row.public_version ?? '',
    },
    attachments: attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      sizeBytes: a.size_bytes,
      confidential: a.confidential === 1,
    })),
    items: items.map((i) => ({
      controlId: i.control_id,
      position: i.position,
      body: i.body,
      answers: answers
        .filter((a) => a.item_id === i.id)
        .map((a) => ({ questionId: a.question_id, answer: a.answer })),
    })),
  }
}

/** One attachment of a response, for its author (same access rule as above). */
export async function getRespondentAttachment(
  db: DB,
  {
    trackingNumber,
    key,
    userId,
    attachmentId,
  }: { trackingNumber: string; key?: string | null; userId?: number | null; attachmentId: number },
) {
  const view = await getResponseForRespondent(db, { trackingNumber, key, userId })
  if (!view) return null
  return db
    .selectFrom('attachments')
    .where('response_id', '=', view.id)
    .where('id', '=', attachmentId)
    .select(['filename', 'media_type', 'size_bytes', 'blob_id'])
    .executeTakeFirst()
}

/** Saves a participant's unfinished form (one draft per round), files excepted. */
export async function saveDraft(
  db: DB,
  {
    userId,
    consultationId,
    data,
    now = new Date().toISOString(),
  }: { userId: number; consultationId: number; data: Record<string, unknown>; now?: string },
) {
  const json = JSON.stringify(data)
  await db
    .insertInto('response_drafts')
    .values({
      user_id: userId,
      consultation_id: consultationId,
      data: json,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'consultation_id']).doUpdateSet({ data: json, updated_at: now }),
    )
    .execute()
}

/** The participant's draft for a round, as the form's saved fields, or null. */
export async function getDraft(
  db: DB,
  { userId, consultationId }: { userId: number; consultationId: number },
) {
  const row = await db
    .selectFrom('response_drafts')
    .where('user_id', '=', userId)
    .where('consultation_id', '=', consultationId)
    .select(['data', 'updated_at'])
    .executeTakeFirst()
  return row
    ? { data: JSON.parse(row.data) as Record<string, unknown>, updatedAt: row.updated_at }
    : null
}

export interface OwnResponse {
  kind: 'response' | 'draft'
  roundSlug: string
  roundTitle: string
  trackingNumber: string | null
  status: ResponseStatus | 'draft'
  at: string
}

/** A participant's responses and drafts, newest first, for their account page. */
export async function listOwnResponses(
  db: DB,
  { userId }: { userId: number },
): Promise<OwnResponse[]> {
  const responses = await db
    .selectFrom('responses as r')
    .innerJoin('consultations as c', 'c.id', 'r.consultation_id')
    .where('r.user_id', '=', userId)
    .select(['c.slug', 'c.title', 'r.tracking_number', 'r.status', 'r.submitted_at'])
    .execute()
  const drafts = await db
    .selectFrom('response_drafts as d')
    .innerJoin('consultations as c', 'c.id', 'd.consultation_id')
    .where('d.user_id', '=', userId)
    .select(['c.slug', 'c.title', 'd.updated_at'])
    .execute()
  return [
    ...responses.map((r): OwnResponse => ({
      kind: 'response',
      roundSlug: r.slug,
      roundTitle: r.title,
      trackingNumber: r.tracking_number,
      status: r.status,
      at: r.submitted_at,
    })),
    ...drafts.map((d): OwnResponse => ({
      kind: 'draft',
      roundSlug: d.slug,
      roundTitle: d.title,
      trackingNumber: null,
      status: 'draft',
      at: d.updated_at,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at))
}
