import { redirect } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import { getDb } from '#app/utils/db.server.ts'
import { type SessionUser, getSessionUser } from './session.server.ts'

const RANK: Record<Role, number> = { participant: 0, official: 1, admin: 2 }

/** Whether `role` carries at least the powers of `needed` (admin ⊇ official ⊇ participant). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed]
}

// One lookup per request however many loaders ask.
const cache = new WeakMap<Request, Promise<SessionUser | null>>()

/** The signed-in user, or null. */
export function getOptionalUser(request: Request): Promise<SessionUser | null> {
  let found = cache.get(request)
  if (!found) {
    found = getSessionUser(getDb(), request)
    cache.set(request, found)
  }
  return found
}

/** The address of the sign-in page that comes back to this request's page. */
export function signInUrl(request: Request): string {
  const url = new URL(request.url)
  const back = `${url.pathname}${url.search}`
  return back === '/' ? '/signin' : `/signin?${new URLSearchParams({ redirectTo: back })}`
}

/** The signed-in user; anyone else is sent to sign in and brought back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request)
  if (!user) throw redirect(signInUrl(request))
  return user
}

/** A user with at least `role`; a signed-in user without it gets 403. */
export async function requireRole(request: Request, role: Role): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!hasRole(user.role, role)) throw new Response('Forbidden', { status: 403 })
  return user
}

/** Refuses signed-in users (sign-in and sign-up pages send them on). */
export async function requireAnonymous(request: Request, to = '/account'): Promise<void> {
  if (await getOptionalUser(request)) throw redirect(to)
}
