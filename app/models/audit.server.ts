import type { DB } from '#app/utils/db.server.ts'

export interface Actor {
  id: number
  role: string
}

/**
 * Appends one entry to the audit log. `before` and `after` hold the fields
 * that changed, never a password hash or a secret.
 */
export async function recordAudit(
  db: DB,
  entry: {
    actor: Actor | null
    action: string
    entityType: string
    entityId: string | number | null
    before?: Record<string, unknown> | null
    after?: Record<string, unknown> | null
    now?: Date
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor?.id ?? null,
      actor_role: entry.actor?.role ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      before: entry.before ? JSON.stringify(entry.before) : null,
      after: entry.after ? JSON.stringify(entry.after) : null,
      created_at: (entry.now ?? new Date()).toISOString(),
    })
    .execute()
}

/** A page of the audit log, newest first, filtered by action, entity type or actor. */
export async function listAudit(
  db: DB,
  {
    action,
    entity,
    actor,
    before,
    limit = 100,
  }: { action?: string; entity?: string; actor?: number; before?: number; limit?: number },
) {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.actor_id',
      'a.actor_role',
      'a.action',
      'a.entity_type',
      'a.entity_id',
      'a.before',
      'a.after',
      'a.created_at',
      'u.display_name',
    ])
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
  if (action) query = query.where('a.action', '=', action)
  if (entity) query = query.where('a.entity_type', '=', entity)
  if (actor) query = query.where('a.actor_id', '=', actor)
  if (before) query = query.where('a.id', '<', before)
  const rows = await query.execute()
  const actions = await db
    .selectFrom('audit_log')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute()
  return {
    entries: rows.slice(0, limit).map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorName: r.display_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      createdAt: r.created_at,
    })),
    nextBefore: rows.length > limit ? rows[limit - 1]!.id : null,
    actions: actions.map((a) => a.action),
  }
}
