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

// Hot paths (responses, API reads) count in memory: a database write per
// request would cost a durable commit each. The key is still a keyed hash.
// One process holds one count; several servers will need a shared store.
const counters = new Map<string, { windowStart: number; count: number }>()
let lastPrune = 0

/** Like hitRateLimit, counted in this process's memory. */
export function hitMemoryRateLimit(
  rule: RateLimit,
  subject: string,
  now = Date.now(),
): RateLimitState {
  const windowStart = windowOf(rule, now)
  if (now - lastPrune > 60_000) {
    for (const [key, value] of counters)
      if (value.windowStart + rule.windowMs < now) counters.delete(key)
    lastPrune = now
  }
  const key = keyedHash(`${rule.scope}:${subject}`, now)
  let entry = counters.get(key)
  if (!entry || entry.windowStart !== windowStart) {
    entry = { windowStart, count: 0 }
    counters.set(key, entry)
  }
  entry.count++
  return {
    allowed: entry.count <= rule.limit,
    count: entry.count,
    resetAt: windowStart + rule.windowMs,
  }
}
