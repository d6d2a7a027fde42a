import type { DB } from '#app/utils/db.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'
import { type Actor, recordAudit } from './audit.server.ts'

/** A summary asked for a control or tag that is not the round's. */
export class SummaryScopeError extends Error {
  constructor() {
    super('no such control or tag in this round')
  }
}

export interface SummaryView {
  id: number
  controlId: number | null
  tagId: number | null
  body: string
  state: 'draft' | 'approved'
  author: string | null
  updatedAt: string
  approvedBy: string | null
  approvedAt: string | null
}

/** Every summary of a round, one per control or tag (the round itself has control and tag null). */
export async function listSummaries(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<SummaryView[]> {
  const rows = await db
    .selectFrom('summaries as s')
    .leftJoin('users as a', 'a.id', 's.author_id')
    .leftJoin('users as b', 'b.id', 's.approved_by')
    .where('s.consultation_id', '=', consultationId)
    .select([
      's.id',
      's.control_id',
      's.tag_id',
      's.body',
      's.state',
      's.updated_at',
      's.approved_at',
      'a.display_name as author',
      'b.display_name as approver',
    ])
    .execute()
  return rows.map((r) => ({
    id: r.id,
    controlId: r.control_id,
    tagId: r.tag_id,
    body: r.body,
    state: r.state,
    author: r.author,
    updatedAt: r.updated_at,
    approvedBy: r.approver,
    approvedAt: r.approved_at,
  }))
}

/**
 * Saves a summary as a draft (an edit to an approved summary makes it a
 * draft again: nothing reaches a report without a fresh approval).
 */
export async function saveSummary(
  db: DB,
  {
    actor,
    consultationId,
    controlId,
    tagId,
    body,
  }: {
    actor: Actor
    consultationId: number
    controlId: number | null
    tagId: number | null
    body: string
  },
): Promise<number> {
  // Saving may take an approved summary back to a draft, out of the published report.
  clearCache()
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const round = await trx
      .selectFrom('consultations')
      .where('id', '=', consultationId)
      .select('id')
      .executeTakeFirst()
    if (!round) throw new Response('Not found', { status: 404 })
    // A summary is of this round's control or tag, never another round's (or none at all).
    if (controlId !== null) {
      const control = await trx
        .selectFrom('controls')
        .where('id', '=', controlId)
        .where('consultation_id', '=', consultationId)
        .select('id')
        .executeTakeFirst()
      if (!control) throw new SummaryScopeError()
    }
    if (tagId !== null) {
      const tag = await trx
        .selectFrom('tags')
        .where('id', '=', tagId)
        .where('consultation_id', '=', consultationId)
        .select('id')
        .executeTakeFirst()
      if (!tag) throw new SummaryScopeError()
    }
    const existing = await trx
      .selectFrom('summaries')
      .where('consultation_id', '=', consultationId)
      .where('control_id', 'is not distinct from', controlId)
      .where('tag_id', 'is not distinct from', tagId)
      .select(['id', 'body', 'state'])
      .executeTakeFirst()
    let id: number
    if (existing) {
      await trx
        .updateTable('summaries')
        .set({
          body,
          state: 'draft',
          author_id: actor.id,
          approved_by: null,
          approved_at: null,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute()
      id = existing.id
    } else {
      id = (
        await trx
          .insertInto('summaries')
          .values({
            consultation_id: consultationId,
            control_id: controlId,
            tag_id: tagId,
            body,
            state: 'draft',
            author_id: actor.id,
            approved_by: null,
            approved_at: null,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    }
    await recordAudit(trx, {
      actor,
      action: 'summary.saved',
      entityType: 'summary',
      entityId: id,
      before: existing ? { state: existing.state, length: existing.body.length } : null,
      after: { state: 'draft', control_id: controlId, tag_id: tagId, length: body.length },
    })
    return id
  })
}

/** Approves a summary as it stands: from now on it goes into reports. */
export async function approveSummary(
  db: DB,
  { actor, consultationId, summaryId }: { actor: Actor; consultationId: number; summaryId: number },
) {
  // A published report shows approved summaries: its kept copy goes.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('summaries')
      .where('id', '=', summaryId)
      .where('consultation_id', '=', consultationId)
      .select(['state'])
      .executeTakeFirst()
    if (!row) throw new Response('Not found', { status: 404 })
    await trx
      .updateTable('summaries')
      .set({ state: 'approved', approved_by: actor.id, approved_at: now, updated_at: now })
      .where('id', '=', summaryId)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'summary.approved',
      entityType: 'summary',
      entityId: summaryId,
      before: { state: row.state },
      after: { state: 'approved' },
    })
  })
}

/** Publishes (or withdraws) the round's summary report: its PDF becomes public on the round page. */
export async function setReportPublished(
  db: DB,
  {
    actor,
    consultationId,
    published,
  }: { actor: Actor; consultationId: number; published: boolean },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('consultations')
      .set({ report_published_at: published ? now : null, updated_at: now })
      .where('id', '=', consultationId)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) throw new Response('Not found', { status: 404 })
    await recordAudit(trx, {
      actor,
      action: published ? 'report.published' : 'report.withdrawn',
      entityType: 'consultation',
      entityId: consultationId,
    })
  })
}
