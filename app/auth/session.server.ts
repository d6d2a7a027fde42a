import { createCookie } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { getEnv, getSessionSecrets } from '#app/utils/env.server.ts'
import { createSecretToken, hashToken } from '#app/utils/tokens.server.ts'
import { summariseUserAgent } from './user-agent.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** A session ends after two weeks without use... */
export const SESSION_IDLE_MS = 14 * DAY
/** ...and after ninety days whatever happens. */
export const SESSION_MAX_MS = 90 * DAY

export interface SessionUser {
  id: number
  email: string
  displayName: string
  role: Role
  sessionId: string
}

function isLocalhost(request: Request): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(request.url).hostname)
}

/**
 * The cookie holds only a random token, signed; the database keeps its hash.
 * Secure in production except on localhost, where browsers treat plain HTTP
 * as secure anyway but some clients do not.
 */
function sessionCookie(request: Request) {
  return createCookie('__session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: getEnv().NODE_ENV === 'production' && !isLocalhost(request),
    secrets: getSessionSecrets(),
    maxAge: SESSION_MAX_MS / 1000,
  })
}

/** Starts a session for `userId` and returns the Set-Cookie header that carries it. */
export async function createSession(
  db: DB,
  { userId, request, now = new Date() }: { userId: number; request: Request; now?: Date },
): Promise<string> {
  const token = createSecretToken()
  await db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      user_agent: summariseUserAgent(request.headers.get('User-Agent')),
    })
    .execute()
  return sessionCookie(request).serialize(token)
}

async function readToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie(request).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : null
}

/**
 * The signed-in user of this request, or null: the cookie must carry a valid
 * signature, its session must exist and be unexpired, and the account must
 * not be disabled. An active session's expiry slides, written at most hourly.
 */
export async function getSessionUser(
  db: DB,
  request: Request,
  now = new Date(),
): Promise<SessionUser | null> {
  const token = await readToken(request)
  if (!token) return null
  const id = hashToken(token)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.disabled_at', 'is', null)
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.role',
      'sessions.created_at',
      'sessions.last_seen_at',
    ])
    .executeTakeFirst()
  if (!row) return null
  if (now.getTime() - Date.parse(row.last_seen_at) > HOUR) {
    const cap = Date.parse(row.created_at) + SESSION_MAX_MS
    await db
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: new Date(Math.min(now.getTime() + SESSION_IDLE_MS, cap)).toISOString(),
      })
      .where('id', '=', id)
      .execute()
  }
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    sessionId: id,
  }
}

/** Ends this request's session and returns the Set-Cookie header that clears the cookie. */
export async function destroySession(db: DB, request: Request): Promise<string> {
  const token = await readToken(request)
  if (token) await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute()
  return sessionCookie(request).serialize('', { maxAge: 0 })
}

export interface SessionSummary {
  id: string
  createdAt: string
  lastSeenAt: string
  userAgent: string | null
  current: boolean
}

/** The user's unexpired sessions, most recently used first. */
export async function listSessions(
  db: DB,
  { userId, currentId, now = new Date() }: { userId: number; currentId: string; now?: Date },
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .orderBy('last_seen_at', 'desc')
    .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
    .execute()
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }))
}

/** Ends one of the user's sessions (another user's session id does nothing). */
export async function revokeSession(
  db: DB,
  { userId, sessionId }: { userId: number; sessionId: string },
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '=', sessionId)
    .execute()
}

/** Ends every session of the user except, optionally, the one in use. */
export async function revokeOtherSessions(
  db: DB,
  { userId, keepId }: { userId: number; keepId?: string },
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepId) query = query.where('id', '!=', keepId)
  await query.execute()
}
