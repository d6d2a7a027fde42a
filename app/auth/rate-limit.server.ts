import { sql } from 'kysely'
import type { DB } from '#app/utils/db.server.ts'
import { keyedHash } from './keyed-hash.server.ts'

export interface RateLimit {
  /** What is limited, e.g. 'signin-account' or 'submit-client'. */
  scope: string
  /** How many hits a window allows. */
  limit: number
  windowMs: number
}

export interface RateLimitState {
  allowed: boolean
  count: number
  /** When the current window ends (ms since the epoch). */
  resetAt: number
}

function windowOf(rule: RateLimit, now: number): number {
  return Math.floor(now / rule.windowMs) * rule.windowMs
}

/** How many hits `subject` has in the current window, without counting one. */
export async function peekRateLimit(
  db: DB,
  rule: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<RateLimitState> {
  const windowStart = windowOf(rule, now)
  const row = await db
    .selectFrom('rate_limits')
    .where('scope', '=', rule.scope)
    .where('key_hash', '=', keyedHash(`${rule.scope}:${subject}`, now))
    .where('window_start', '=', windowStart)
    .select('count')
    .executeTakeFirst()
  const count = row?.count ?? 0
  return { allowed: count < rule.limit, count, resetAt: windowStart + rule.windowMs }
}

/** Counts one hit for `subject` and says whether it was within the limit. */
export async function hitRateLimit(
  db: DB,
  rule: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<RateLimitState> {
  const windowStart = windowOf(rule, now)
  const row = await db
    .insertInto('rate_limits')
    .values({
      scope: rule.scope,
      key_hash: keyedHash(`${rule.scope}:${subject}`, now),
      window_start: windowStart,
      count: 1,
    })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key_hash', 'window_start'])
        .doUpdateSet({ count: sql<number>`rate_limits.count + 1` }),
    )
    .returning('count')
    .executeTakeFirstOrThrow()
  return {
    allowed: row.count <= rule.limit,
    count: row.count,
    resetAt: windowStart + rule.windowMs,
  }
}

/** Forgets `subject`'s hits in the current window (after a successful sign-in, say). */
export async function clearRateLimit(
  db: DB,
  rule: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where('scope', '=', rule.scope)
    .where('key_hash', '=', keyedHash(`${rule.scope}:${subject}`, now))
    .execute()
}

/** Deletes windows that ended before `now`: run now and then, they are never read again. */
export async function pruneRateLimits(db: DB, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where('window_start', '<', now - 86_400_000)
    .execute()
}
