import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'
import { type Actor, recordAudit } from './audit.server.ts'
import { type ConsultationStatus, consultationStatus } from './consultation-status.ts'
import { type StoredBlob, claimBlobs, deleteBlobs } from './file-store.server.ts'
import type { ControlInput, RoundInput } from './consultation-input.server.ts'

type Tx = Kysely<Database>

export class SlugTakenError extends Error {
  constructor() {
    super('slug taken')
  }
}

/** A lifecycle step that the round's state does not allow; `reason` is a translation key. */
export class TransitionError extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

/** A change to the structure of controls (add, remove, reorder) after the round opened. */
export class StructureLockedError extends Error {
  constructor() {
    super('controls are locked once the round has opened')
  }
}

/** Another proposed control of the round already has this reference. */
export class ReferenceTakenError extends Error {
  constructor() {
    super('the round already has a control with this reference')
  }
}

// A reference names a control in comments, exports and the report: two alike could not be told
// apart (an export's columns are named after them).
async function assertReferenceFree(
  trx: Tx,
  {
    consultationId,
    reference,
    controlId,
  }: { consultationId: number; reference: string; controlId?: number },
) {
  let same = trx
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .where('reference', '=', reference)
    .select('id')
  if (controlId !== undefined) same = same.where('id', '!=', controlId)
  if (await same.executeTakeFirst()) throw new ReferenceTakenError()
}

const ROUND_FIELDS = [
  'id',
  'slug',
  'title',
  'summary',
  'background',
  'commitments',
  'time_zone',
  'opens_at',
  'closes_at',
  'published_at',
  'archived_at',
  'late_comments_allowed',
  'contact_point',
  'created_at',
  'updated_at',
  'amended_at',
  'report_published_at',
] as const

async function loadRound(db: Tx, id: number) {
  const round = await db
    .selectFrom('consultations')
    .where('id', '=', id)
    .select(ROUND_FIELDS)
    .executeTakeFirst()
  if (!round) throw new Response('Not found', { status: 404 })
  return round
}

/** Whether respondents may have seen the round: once it opened, changes are amendments. */
function hasOpened(round: { published_at: string | null; opens_at: string | null }, now: string) {
  return Boolean(round.published_at && round.opens_at && round.opens_at <= now)
}

function roundValues(input: RoundInput) {
  return {
    title: input.title,
    slug: input.slug,
    summary: input.summary,
    background: input.background,
    commitments: JSON.stringify(input.commitments),
    time_zone: input.timeZone,
    opens_at: input.opensAt,
    closes_at: input.closesAt,
    late_comments_allowed: input.lateCommentsAllowed ? 1 : 0,
    contact_point: input.contactPoint,
  }
}

async function assertSlugFree(db: Tx, slug: string, exceptId?: number) {
  let query = db.selectFrom('consultations').where('slug', '=', slug).select('id')
  if (exceptId) query = query.where('id', '!=', exceptId)
  if (await query.executeTakeFirst()) throw new SlugTakenError()
}

/** Creates a draft round; throws SlugTakenError. */
export async function createRound(db: DB, { actor, input }: { actor: Actor; input: RoundInput }) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    await assertSlugFree(trx, input.slug)
    const { id } = await trx
      .insertInto('consultations')
      .values({
        ...roundValues(input),
        published_at: null,
        archived_at: null,
        amended_at: null,
        report_published_at: null,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor,
      action: 'consultation.created',
      entityType: 'consultation',
      entityId: id,
      after: roundValues(input),
    })
    return id
  })
}

/**
 * Saves a round's details; throws SlugTakenError. Once the round has opened,
 * the change is marked as an amendment; the slug of a published round stays
 * as it is, since people link to it.
 */
export async function updateRound(
  db: DB,
  { actor, id, input }: { actor: Actor; id: number; input: RoundInput },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const before = await loadRound(trx, id)
    const values = roundValues({ ...input, slug: before.published_at ? before.slug : input.slug })
    if (!before.published_at) await assertSlugFree(trx, values.slug, id)
    const changed = Object.fromEntries(
      Object.entries(values).filter(([k, v]) => before[k as keyof typeof before] !== v),
    )
    if (Object.keys(changed).length === 0) return
    await trx
      .updateTable('consultations')
      .set({
        ...values,
        updated_at: now,
        amended_at: hasOpened(before, now) ? now : before.amended_at,
      })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'consultation.updated',
      entityType: 'consultation',
      entityId: id,
      before: Object.fromEntries(
        Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]),
      ),
      after: changed,
    })
  })
}

export type Transition = 'schedule' | 'open' | 'close' | 'archive' | 'unschedule' | 'reopen-draft'

/** The lifecycle steps a round in `status` offers. */
export function allowedTransitions(status: ConsultationStatus): Transition[] {
  switch (status) {
    case 'draft':
      return ['schedule', 'open']
    case 'upcoming':
      return ['open', 'unschedule']
    case 'open':
      return ['close']
    case 'closed':
      return ['archive']
    case 'archived':
      return []
  }
}

/**
 * Moves a round along its lifecycle: schedule (publish, opening at its date),
 * open now, close now, archive, or take a scheduled round back to draft.
 */
export async function transitionRound(
  db: DB,
  { actor, id, transition }: { actor: Actor; id: number; transition: Transition },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const round = await loadRound(trx, id)
    const status = consultationStatus(round, now)
    if (!allowedTransitions(status).includes(transition)) {
      throw new TransitionError('manage.transitionNotAllowed')
    }
    const controls = await trx
      .selectFrom('controls')
      .where('consultation_id', '=', id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    let changes: Partial<{
      published_at: string | null
      opens_at: string
      closes_at: string
      archived_at: string
    }>
    switch (transition) {
      case 'schedule':
        if (!round.opens_at || round.opens_at <= now)
          throw new TransitionError('manage.needFutureOpening')
        if (!round.closes_at) throw new TransitionError('manage.needClosing')
        if (Number(controls.n) === 0) throw new TransitionError('manage.needControl')
        changes = { published_at: now }
        break
      case 'open':
        if (!round.closes_at || round.closes_at <= now)
          throw new TransitionError('manage.needFutureClosing')
        if (Number(controls.n) === 0) throw new TransitionError('manage.needControl')
        changes = { published_at: round.published_at ?? now, opens_at: now }
        break
      case 'close':
        changes = { closes_at: now }
        break
      case 'archive':
        changes = { archived_at: now }
        break
      case 'unschedule':
      case 'reopen-draft':
        changes = { published_at: null }
        break
    }
    await trx
      .updateTable('consultations')
      .set({ ...changes, updated_at: now })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actor,
      action: `consultation.${transition}`,
      entityType: 'consultation',
      entityId: id,
      before: Object.fromEntries(
        Object.keys(changes).map((k) => [k, round[k as keyof typeof round]]),
      ),
      after: changes,
    })
  })
}

async function lockedForStructure(db: Tx, consultationId: number, now: string) {
  const round = await loadRound(db, consultationId)
  if (hasOpened(round, now)) throw new StructureLockedError()
  return round
}

async function writeQuestions(db: Tx, controlId: number, questions: string[]) {
  await db.deleteFrom('control_questions').where('control_id', '=', controlId).execute()
  for (const [position, prompt] of questions.entries()) {
    await db
      .insertInto('control_questions')
      .values({ control_id: controlId, position, prompt })
      .execute()
  }
}

/** Adds a control at the end of the list (only before the round opens). */
export async function addControl(
  db: DB,
  { actor, consultationId, input }: { actor: Actor; consultationId: number; input: ControlInput },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    await lockedForStructure(trx, consultationId, now)
    await assertReferenceFree(trx, { consultationId, reference: input.reference })
    const last = await trx
      .selectFrom('controls')
      .where('consultation_id', '=', consultationId)
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst()
    const { id } = await trx
      .insertInto('controls')
      .values({
        consultation_id: consultationId,
        position: Number(last?.max ?? -1) + 1,
        reference: input.reference,
        title: input.title,
        body: input.body,
        created_at: now,
        updated_at: now,
        amended_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await writeQuestions(trx, id, input.questions)
    await recordAudit(trx, {
      actor,
      action: 'control.created',
      entityType: 'control',
      entityId: id,
      after: { consultation_id: consultationId, ...input },
    })
    return id
  })
}

async function loadControl(db: Tx, consultationId: number, controlId: number) {
  const control = await db
    .selectFrom('controls')
    .where('id', '=', controlId)
    .where('consultation_id', '=', consultationId)
    .select(['id', 'reference', 'title', 'body', 'position', 'amended_at'])
    .executeTakeFirst()
  if (!control) throw new Response('Not found', { status: 404 })
  const questions = await db
    .selectFrom('control_questions')
    .where('control_id', '=', controlId)
    .orderBy('position')
    .select(['id', 'prompt'])
    .execute()
  return { ...control, questions }
}

/**
 * Saves a control. After the round has opened this is an amendment: marked
 * "amended on" for readers, and questions keep their ids where their text is
 * unchanged so that answers already given stay attached.
 */
export async function updateControl(
  db: DB,
  {
    actor,
    consultationId,
    controlId,
    input,
  }: { actor: Actor; consultationId: number; controlId: number; input: ControlInput },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const round = await loadRound(trx, consultationId)
    const before = await loadControl(trx, consultationId, controlId)
    const beforeQuestions = before.questions.map((q) => q.prompt)
    const same =
      before.reference === input.reference &&
      before.title === input.title &&
      before.body === input.body &&
      JSON.stringify(beforeQuestions) === JSON.stringify(input.questions)
    if (same) return
    await assertReferenceFree(trx, { consultationId, reference: input.reference, controlId })
    const amended = hasOpened(round, now)
    await trx
      .updateTable('controls')
      .set({
        reference: input.reference,
        title: input.title,
        body: input.body,
        updated_at: now,
        amended_at: amended ? now : before.amended_at,
      })
      .where('id', '=', controlId)
      .execute()
    if (JSON.stringify(beforeQuestions) !== JSON.stringify(input.questions)) {
      if (amended) {
        // Keep the rows of unchanged questions (answers refer to them).
        const keep = before.questions.filter((q) => input.questions.includes(q.prompt))
        const keepIds = keep.map((q) => q.id)
        let removal = trx.deleteFrom('control_questions').where('control_id', '=', controlId)
        if (keepIds.length) removal = removal.where('id', 'not in', keepIds)
        await removal.execute()
        for (const [position, prompt] of input.questions.entries()) {
          const existing = keep.find((q) => q.prompt === prompt)
          if (existing) {
            await trx
              .updateTable('control_questions')
              .set({ position })
              .where('id', '=', existing.id)
              .execute()
          } else {
            await trx
              .insertInto('control_questions')
              .values({ control_id: controlId, position, prompt })
              .execute()
          }
        }
      } else {
        await writeQuestions(trx, controlId, input.questions)
      }
    }
    await recordAudit(trx, {
      actor,
      action: amended ? 'control.amended' : 'control.updated',
      entityType: 'control',
      entityId: controlId,
      before: {
        reference: before.reference,
        title: before.title,
        body: before.body,
        questions: beforeQuestions,
      },
      after: input,
    })
  })
}

/** Moves a control one place up or down (only before the round opens). */
export async function moveControl(
  db: DB,
  {
    actor,
    consultationId,
    controlId,
    direction,
  }: { actor: Actor; consultationId: number; controlId: number; direction: 'up' | 'down' },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await lockedForStructure(trx, consultationId, now)
    const list = await trx
      .selectFrom('controls')
      .where('consultation_id', '=', consultationId)
      .orderBy('position')
      .select(['id', 'position'])
      .execute()
    const index = list.findIndex((c) => c.id === controlId)
    if (index < 0) throw new Response('Not found', { status: 404 })
    const target = direction === 'up' ? index - 1 : index + 1
    if (target < 0 || target >= list.length) return
    const order = list.map((c) => c.id)
    ;[order[index], order[target]] = [order[target]!, order[index]!]
    for (const [position, id] of order.entries()) {
      await trx.updateTable('controls').set({ position }).where('id', '=', id).execute()
    }
    await recordAudit(trx, {
      actor,
      action: 'control.moved',
      entityType: 'control',
      entityId: controlId,
      before: { order: list.map((c) => c.id) },
      after: { order },
    })
  })
}

/** Removes a control and its questions (only before the round opens). */
export async function removeControl(
  db: DB,
  { actor, consultationId, controlId }: { actor: Actor; consultationId: number; controlId: number },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await lockedForStructure(trx, consultationId, now)
    const before = await loadControl(trx, consultationId, controlId)
    await trx.deleteFrom('controls').where('id', '=', controlId).execute()
    await recordAudit(trx, {
      actor,
      action: 'control.removed',
      entityType: 'control',
      entityId: controlId,
      before: { reference: before.reference, title: before.title },
    })
  })
}

/** Stores a supporting document (its type already checked from its bytes). */
export async function addDocument(
  db: DB,
  input: {
    actor: Actor
    consultationId: number
    title: string
    filename: string
    mediaType: string
    /** The file, staged in the file store; claimed here. */
    blob: StoredBlob
  },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    await loadRound(trx, input.consultationId)
    const { sha256 } = input.blob
    await claimBlobs(trx, [input.blob.id])
    const { id } = await trx
      .insertInto('consultation_documents')
      .values({
        consultation_id: input.consultationId,
        title: input.title,
        filename: input.filename,
        media_type: input.mediaType,
        size_bytes: input.blob.size,
        sha256,
        blob_id: input.blob.id,
        created_by: input.actor.id,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor: input.actor,
      action: 'document.added',
      entityType: 'consultation_document',
      entityId: id,
      after: {
        consultation_id: input.consultationId,
        title: input.title,
        filename: input.filename,
        sha256,
      },
    })
    return id
  })
}

/** Removes a supporting document. */
export async function removeDocument(
  db: DB,
  {
    actor,
    consultationId,
    documentId,
  }: { actor: Actor; consultationId: number; documentId: number },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  await db.transaction().execute(async (trx) => {
    const doc = await trx
      .selectFrom('consultation_documents')
      .where('id', '=', documentId)
      .where('consultation_id', '=', consultationId)
      .select(['title', 'filename', 'sha256', 'blob_id'])
      .executeTakeFirst()
    if (!doc) throw new Response('Not found', { status: 404 })
    await trx.deleteFrom('consultation_documents').where('id', '=', documentId).execute()
    if (doc.blob_id !== null) await deleteBlobs(trx, [doc.blob_id])
    await recordAudit(trx, {
      actor,
      action: 'document.removed',
      entityType: 'consultation_document',
      entityId: documentId,
      before: { title: doc.title, filename: doc.filename, sha256: doc.sha256 },
    })
  })
}

export interface ManagedRoundSummary {
  id: number
  slug: string
  title: string
  status: ConsultationStatus
  opensAt: string | null
  closesAt: string | null
  updatedAt: string
  responseCount: number
}

/** Every round, drafts included, most recently changed first: the officials' list. */
export async function listManagedRounds(
  db: DB,
  { now }: { now: string },
): Promise<ManagedRoundSummary[]> {
  const rows = await db
    .selectFrom('consultations as c')
    .select((eb) => [
      'c.id',
      'c.slug',
      'c.title',
      'c.opens_at',
      'c.closes_at',
      'c.published_at',
      'c.archived_at',
      'c.updated_at',
      eb
        .selectFrom('responses')
        .whereRef('responses.consultation_id', '=', 'c.id')
        .where('responses.status', '!=', 'draft')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('response_count'),
    ])
    .orderBy('c.updated_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    status: consultationStatus(r, now),
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    updatedAt: r.updated_at,
    responseCount: Number(r.response_count ?? 0),
  }))
}

/** A round as its edit page needs it: details, controls with questions, documents. */
export async function getManagedRound(db: DB, { id, now }: { id: number; now: string }) {
  const round = await loadRound(db, id)
  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', id)
    .orderBy('position')
    .select(['id', 'reference', 'title', 'body', 'amended_at'])
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
        .select(['control_id', 'prompt'])
        .execute()
    : []
  const documents = await db
    .selectFrom('consultation_documents')
    .where('consultation_id', '=', id)
    .orderBy('created_at')
    .select(['id', 'title', 'filename', 'size_bytes', 'created_at'])
    .execute()
  const status = consultationStatus(round, now)
  return {
    round: {
      id: round.id,
      slug: round.slug,
      title: round.title,
      summary: round.summary,
      background: round.background,
      commitments: JSON.parse(round.commitments) as number[],
      timeZone: round.time_zone,
      opensAt: round.opens_at,
      closesAt: round.closes_at,
      lateCommentsAllowed: round.late_comments_allowed === 1,
      contactPoint: round.contact_point,
      publishedAt: round.published_at,
      amendedAt: round.amended_at,
      reportPublishedAt: round.report_published_at,
      status,
    },
    structureLocked: hasOpened(round, now),
    transitions: allowedTransitions(status),
    controls: controls.map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      body: c.body,
      amendedAt: c.amended_at,
      questions: questions.filter((q) => q.control_id === c.id).map((q) => q.prompt),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      title: d.title,
      filename: d.filename,
      sizeBytes: d.size_bytes,
      createdAt: d.created_at,
    })),
  }
}
