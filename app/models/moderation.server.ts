import type { ResponseStatus } from '#db/schema.ts'
import { keepingCounts } from '#app/models/round-counts.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'
import { type Actor, recordAudit } from './audit.server.ts'

export type ModerationAction = 'publish' | 'withhold' | 'spam' | 'receive'

const TARGET: Record<ModerationAction, ResponseStatus> = {
  publish: 'published',
  withhold: 'withheld',
  spam: 'spam',
  receive: 'received',
}

export interface ModerationResult {
  changed: number[]
  /** Responses their authors asked not to publish, or withdrew: never published. */
  skipped: number[]
}

/**
 * Publishes, withholds (with a reason the respondent sees), marks as spam or
 * returns to "received" any number of responses at once, one audit entry
 * each. A response its author asked not to publish, or withdrew, is never
 * published; a confidential one is published only as its public version.
 */
export async function moderate(
  db: DB,
  {
    actor,
    consultationId,
    ids,
    action,
    reason = null,
    now = new Date().toISOString(),
  }: {
    actor: Actor
    /** The round acted on: ids of another round's responses are left alone. */
    consultationId: number
    ids: number[]
    action: ModerationAction
    reason?: string | null
    now?: string
  },
): Promise<ModerationResult> {
  // What the public sees is about to change: cached public views go.
  clearCache()
  const result: ModerationResult = { changed: [], skipped: [] }
  if (!ids.length) return result
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < ids.length; start += 500) {
      await keepingCounts(trx, ids.slice(start, start + 500), () =>
        moderateBatch(ids.slice(start, start + 500)),
      )
    }
    async function moderateBatch(batch: number[]) {
      const rows = await trx
        .selectFrom('responses')
        .where('id', 'in', batch)
        .where('consultation_id', '=', consultationId)
        .select(['id', 'status', 'publication', 'moderation_reason'])
        .execute()
      for (const row of rows) {
        const refuse =
          row.status === 'withdrawn' ||
          row.status === 'draft' ||
          (action === 'publish' && row.publication === 'not_published')
        if (refuse) {
          result.skipped.push(row.id)
          continue
        }
        const status = TARGET[action]
        const moderationReason = action === 'withhold' ? reason : null
        if (row.status === status && row.moderation_reason === moderationReason) continue
        await trx
          .updateTable('responses')
          .set({
            status,
            moderation_reason: moderationReason,
            published_at: action === 'publish' ? now : null,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .execute()
        await recordAudit(trx, {
          actor,
          action: `response.${action}`,
          entityType: 'response',
          entityId: row.id,
          before: { status: row.status, moderation_reason: row.moderation_reason },
          after: { status, moderation_reason: moderationReason },
          now: new Date(now),
        })
        result.changed.push(row.id)
      }
    }
  })
  return result
}

/**
 * Accepts or refuses a confidentiality claim. A refused claim withholds the
 * response (its author is told, and may edit or withdraw it): confidential
 * text is never published because a claim was refused.
 */
export async function decideConfidentiality(
  db: DB,
  {
    actor,
    id,
    decision,
    now = new Date().toISOString(),
  }: { actor: Actor; id: number; decision: 'accepted' | 'refused'; now?: string },
) {
  // What the public sees is about to change: cached public views go.
  clearCache()
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('responses as r')
      .innerJoin('consultations as c', 'c.id', 'r.consultation_id')
      .where('r.id', '=', id)
      .select([
        'r.confidential',
        'r.confidential_decision',
        'r.status',
        'r.contact_email',
        'r.tracking_number',
        'c.title',
      ])
      .executeTakeFirst()
    if (!row || row.confidential !== 1) return null
    await keepingCounts(trx, [id], () =>
      trx
        .updateTable('responses')
        .set({
          confidential_decision: decision,
          ...(decision === 'refused'
            ? {
                status: 'withheld' as const,
                moderation_reason: 'confidentiality-refused',
                published_at: null,
              }
            : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute(),
    )
    await recordAudit(trx, {
      actor,
      action: `response.confidentiality_${decision}`,
      entityType: 'response',
      entityId: id,
      before: { confidential_decision: row.confidential_decision, status: row.status },
      after: { confidential_decision: decision },
      now: new Date(now),
    })
    return {
      contactEmail: row.contact_email,
      trackingNumber: row.tracking_number,
      roundTitle: row.title,
    }
  })
}

/** Adds an internal note, seen only by officials. */
export async function addNote(
  db: DB,
  { actor, responseId, body }: { actor: Actor; responseId: number; body: string },
) {
  await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('response_notes')
      .values({
        response_id: responseId,
        author_id: actor.id,
        body,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor,
      action: 'response.note_added',
      entityType: 'response',
      entityId: responseId,
      after: { note_id: id },
    })
  })
}
