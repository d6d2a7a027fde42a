import type { Role } from '#db/schema.ts'
import { hashPassword, needsRehash, verifyPassword } from '#app/auth/password.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { type Actor, recordAudit } from './audit.server.ts'

/** The one spelling of an email address we store and compare. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase()
}

export class EmailTakenError extends Error {
  constructor() {
    super('email taken')
  }
}

export class LastAdminError extends Error {
  constructor() {
    super('the last admin cannot lose the role')
  }
}

export interface UserSummary {
  id: number
  email: string
  displayName: string
  role: Role
  createdAt: string
}

// A real hash of a random password: verifying against it costs as much as a
// real account, so timing does not tell whether an email is registered.
let dummyHash: Promise<string> | undefined

/**
 * The account for `email` if `password` matches, else null. The work done is
 * the same whether or not the account exists.
 */
export async function verifyCredentials(
  db: DB,
  { email, password }: { email: string; password: string },
): Promise<UserSummary | null> {
  const row = await db
    .selectFrom('users')
    .where('email', '=', normaliseEmail(email))
    .where('disabled_at', 'is', null)
    .select(['id', 'email', 'display_name', 'role', 'created_at', 'password_hash'])
    .executeTakeFirst()
  dummyHash ??= hashPassword(crypto.randomUUID())
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash))
  if (!row || !ok) return null
  if (needsRehash(row.password_hash)) {
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', row.id)
      .where('password_hash', '=', row.password_hash)
      .execute()
  }
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
  }
}

/** Creates an account; throws EmailTakenError if the address is already registered. */
export async function createAccount(
  db: DB,
  input: {
    email: string
    displayName: string
    password: string
    role?: Role
    actor?: Actor | null
  },
): Promise<number> {
  const email = normaliseEmail(input.email)
  const now = new Date().toISOString()
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .where('email', '=', email)
      .select('id')
      .executeTakeFirst()
    if (existing) throw new EmailTakenError()
    const { id } = await trx
      .insertInto('users')
      .values({
        email,
        display_name: input.displayName.trim(),
        password_hash: passwordHash,
        role: input.role ?? 'participant',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor: input.actor ?? { id, role: input.role ?? 'participant' },
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      after: { role: input.role ?? 'participant' },
    })
    return id
  })
}

/** Renames the account. */
export async function changeDisplayName(
  db: DB,
  { userId, displayName }: { userId: number; displayName: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ display_name: displayName.trim(), updated_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}

/**
 * Sets a new password if `currentPassword` is right; returns false if not.
 * Every other session of the account ends: a changed password locks out
 * whoever else had it.
 */
export async function changePassword(
  db: DB,
  input: { userId: number; currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .where('id', '=', input.userId)
    .select(['password_hash', 'role'])
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) return false
  const passwordHash = await hashPassword(input.newPassword)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
      .where('id', '=', input.userId)
      .execute()
    await trx
      .deleteFrom('sessions')
      .where('user_id', '=', input.userId)
      .where('id', '!=', input.keepSessionId)
      .execute()
    await recordAudit(trx, {
      actor: { id: input.userId, role: row.role },
      action: 'user.password_changed',
      entityType: 'user',
      entityId: input.userId,
    })
  })
  return true
}

/**
 * Deletes the account if `password` is right; returns false if not. Its
 * sessions go with it; its responses stay in the public record as their
 * authors chose to publish them, with the link to the account removed
 * (responses.user_id is set to null by the foreign key).
 */
export async function deleteAccount(
  db: DB,
  { userId, password }: { userId: number; password: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .select(['password_hash', 'role'])
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(password, row.password_hash))) return false
  await db.transaction().execute(async (trx) => {
    if (row.role === 'admin') await assertAnotherAdmin(trx, userId)
    await trx.deleteFrom('users').where('id', '=', userId).execute()
    await recordAudit(trx, {
      actor: { id: userId, role: row.role },
      action: 'user.deleted',
      entityType: 'user',
      entityId: userId,
      before: { role: row.role },
    })
  })
  return true
}

async function assertAnotherAdmin(db: DB, userId: number): Promise<void> {
  const other = await db
    .selectFrom('users')
    .where('role', '=', 'admin')
    .where('id', '!=', userId)
    .where('disabled_at', 'is', null)
    .select('id')
    .executeTakeFirst()
  if (!other) throw new LastAdminError()
}

/** Every account, officials and admins first, for the admin's user list. */
export async function listUsers(db: DB): Promise<UserSummary[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'role', 'created_at'])
    .orderBy((eb) =>
      eb
        .case()
        .when('role', '=', 'admin')
        .then(0)
        .when('role', '=', 'official')
        .then(1)
        .else(2)
        .end(),
    )
    .orderBy('email')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    createdAt: r.created_at,
  }))
}

/**
 * Gives an account another role, audit-logged. Throws LastAdminError rather
 * than leave the portal without an admin. A user whose role changes is
 * signed out everywhere, so no session keeps powers it should have lost.
 */
export async function changeRole(
  db: DB,
  { actor, userId, role }: { actor: Actor; userId: number; role: Role },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('users')
      .where('id', '=', userId)
      .select('role')
      .executeTakeFirst()
    if (!row) throw new Response('Not found', { status: 404 })
    if (row.role === role) return
    if (row.role === 'admin') await assertAnotherAdmin(trx, userId)
    await trx
      .updateTable('users')
      .set({ role, updated_at: new Date().toISOString() })
      .where('id', '=', userId)
      .execute()
    if (userId !== actor.id)
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
    await recordAudit(trx, {
      actor,
      action: 'user.role_changed',
      entityType: 'user',
      entityId: userId,
      before: { role: row.role },
      after: { role },
    })
  })
}
