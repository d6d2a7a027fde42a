import { singleton } from './singleton.server.ts'

interface Entry {
  expires: number
  value: Promise<unknown>
}

const store = () => singleton('ttl-cache', () => new Map<string, Entry>())

/** How long public pages may show counts and texts before reading them again. */
export const PUBLIC_TTL_MS = 15_000

/**
 * The value of `make()`, computed at most once per `ttlMs` for a key. Public
 * pages read the same counts and rendered Markdown thousands of times a
 * second during a campaign; a few seconds' lag is the price. Concurrent
 * callers share one computation.
 */
export function cached<T>(key: string, ttlMs: number, make: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV === 'test' || ttlMs <= 0) return make()
  return cachedAlways(key, ttlMs, make)
}

/** As `cached`, also under tests (for the caches that tests exercise themselves). */
export function cachedAlways<T>(key: string, ttlMs: number, make: () => Promise<T>): Promise<T> {
  const now = Date.now()
  const map = store()
  const hit = map.get(key)
  if (hit && hit.expires > now) return hit.value as Promise<T>
  const value = make().catch((error: unknown) => {
    map.delete(key)
    throw error
  })
  map.set(key, { expires: now + ttlMs, value })
  if (map.size > 10_000) {
    for (const [k, v] of map) if (v.expires <= now) map.delete(k)
  }
  return value
}

/**
 * As `cached`, for values that take long to compute (the statistics or the report of a large
 * round): kept for `minTtlMs`, or for `factor` times as long as computing took, whichever is
 * longer, so that recomputing them never takes more than about 1/factor of the server's time,
 * however often they are asked for (2 s of statistics at a million responses are kept 40 s).
 * Concurrent callers share one computation. `limit`: the most entries with the key's prefix
 * (up to its first colon) kept at once; beyond it a value is computed but not kept.
 */
export function cachedAdaptive<T>(
  key: string,
  minTtlMs: number,
  make: () => Promise<T>,
  { factor = 20, limit = Infinity, always = false } = {},
): Promise<T> {
  if (!always && process.env.NODE_ENV === 'test') return make()
  const now = Date.now()
  const map = store()
  const hit = map.get(key)
  if (hit && hit.expires > now) return hit.value as Promise<T>
  if (Number.isFinite(limit)) {
    const prefix = `${key.split(':')[0]}:`
    let kept = 0
    for (const [k, v] of map) if (k.startsWith(prefix) && v.expires > now) kept++
    if (kept >= limit) return make()
  }
  const entry: Entry = { expires: Number.POSITIVE_INFINITY, value: Promise.resolve() }
  const started = performance.now()
  entry.value = make().then(
    (value) => {
      entry.expires = Date.now() + Math.max(minTtlMs, (performance.now() - started) * factor)
      return value
    },
    (error: unknown) => {
      if (map.get(key) === entry) map.delete(key)
      throw error
    },
  )
  map.set(key, entry)
  return entry.value as Promise<T>
}

// Told of every clearCache(): on PostgreSQL the server passes it on to the other servers
// (app/server/cache-signal.server.ts). Kept per process, across the server's two bundles.
const clearListeners = () => singleton('ttl-cache:listeners', () => new Set<() => void>())

/**
 * Forgets every cached value: call after an official changes what the public sees. With
 * several servers on one database, every server's copies go (see onClearCache).
 */
export function clearCache(): void {
  clearLocalCache()
  for (const listener of clearListeners()) listener()
}

/** Forgets this process's cached values only: what another server's clearCache() asks for. */
export function clearLocalCache(): void {
  store().clear()
}

/** Calls `listener` after each clearCache() of this process; returns what stops it. */
export function onClearCache(listener: () => void): () => void {
  clearListeners().add(listener)
  return () => void clearListeners().delete(listener)
}
