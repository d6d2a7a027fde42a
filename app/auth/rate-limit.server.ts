import { sql } from 'kysely'
import { isPostgres } from '#db/postgres.ts'
import type { DB } from '#app/utils/db.server.ts'
import { isDatabaseUnavailable } from '#app/utils/database-errors.server.ts'
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

/**
 * Counts one hit on a hot path (responses, API reads) where every server sees it: in the
 * rate_limits table on PostgreSQL, which several servers may share; in this process's memory
 * on SQLite, which has one server, and where a write per request would cost a durable commit.
 * A count the database cannot take lets the request through: the database's own failure is
 * then what answers it.
 */
export async function hitSharedRateLimit(
  db: DB,
  rule: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<RateLimitState> {
  if (!isPostgres(db)) return hitMemoryRateLimit(rule, subject, now)
  try {
    const state = await db.transaction().execute(async (trx) => {
      // A count lost in a crash lets a client a few more requests: not worth a wait for the
      // disk on every request. The upsert takes the row's lock, so concurrent hits all count.
      await sql`set local synchronous_commit = off`.execute(trx)
      return hitRateLimit(trx, rule, subject, now)
    })
    pruneEndedWindows(db, rule, now)
    return state
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error
    console.warn(`Rate limit ${rule.scope} not counted: the database is unavailable.`)
    return { allowed: true, count: 0, resetAt: windowOf(rule, now) + rule.windowMs }
  }
}

/** When each scope's ended windows were last deleted, by this process. */
const lastPrunes = new Map<string, number>()

/** Deletes a scope's ended windows, once a minute at most, without making the request wait. */
function pruneEndedWindows(db: DB, rule: RateLimit, now: number): void {
  if (now - (lastPrunes.get(rule.scope) ?? 0) < 60_000) return
  lastPrunes.set(rule.scope, now)
  db.deleteFrom('rate_limits')
    .where('scope', '=', rule.scope)
    .where('window_start', '<', windowOf(rule, now))
    .execute()
    .catch((error: unknown) => console.warn(`Rate limits ${rule.scope} not pruned:`, error))
}

// On SQLite, hot paths count in memory (see hitSharedRateLimit). The key is still a keyed hash.
const counters = new Map<string, { windowStart: number; count: number }>()
let lastPrune = 0

/** Like hitRateLimit, counted in this process's memory: for one server alone. */
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
