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

/** Forgets every cached value: call after an official changes what the public sees. */
export function clearCache(): void {
  store().clear()
}
