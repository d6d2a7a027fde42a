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
