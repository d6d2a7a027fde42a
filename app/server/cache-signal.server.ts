// Kept copies (public pages, public data, statistics: app/utils/ttl-cache.server.ts) live in each
// server's memory. With several servers on one PostgreSQL database, an official's change made on
// one must clear them on all, or the others would show the old copy for a whole TTL (5 s for a
// page, 15 s and more for data). PostgreSQL carries the signal: each server LISTENs on one
// channel on a connection of its own, and each clearCache() sends a NOTIFY through the pool with
// the sender's id, so a server ignores its own. SQLite has one server, which clears its own.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type pg from 'pg'
import { loadPg } from '#db/postgres.ts'
import type { DB } from '#app/utils/db.server.ts'
import { clearLocalCache, onClearCache } from '#app/utils/ttl-cache.server.ts'

/** The channel the servers' cache clears travel on. */
export const CACHE_CHANNEL = 'portal_cache'

/** Waits before listening again after the connection failed: longer while it keeps failing. */
const RETRY_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000]

type Log = Pick<Console, 'warn' | 'error'>

export interface CacheSignal {
  /** This process's name in the notifications it sends. */
  id: string
  /** Resolves after the first attempt to listen, whether it succeeded or not. */
  ready: Promise<void>
  /** Whether a connection listens now. */
  listening: () => boolean
  /** Stops listening and sending. */
  stop: () => Promise<void>
}

/**
 * Passes this process's clearCache() on to the other servers on `db`, and clears this process's
 * copies when another server's arrives. A lost connection is opened again (never a crash); as
 * notifications sent meanwhile were missed, the copies kept here are cleared once it is back.
 */
export function startCacheSignal({
  url,
  db,
  channel = CACHE_CHANNEL,
  log = console,
}: {
  /** Where to listen: the server's DATABASE_URL. */
  url: string
  /** The pool the notifications are sent through. */
  db: DB
  channel?: string
  log?: Log
}): CacheSignal {
  const id = randomUUID()
  let client: pg.Client | null = null
  let stopped = false
  let failures = 0
  let everListened = false
  let retry: NodeJS.Timeout | undefined

  const lost = (which: pg.Client, reason: string) => {
    if (client !== which) return
    client = null
    which.end().catch(() => {})
    if (stopped) return
    log.warn(`Cache signal: the listening connection was lost (${reason}); listening again.`)
    schedule()
  }

  const schedule = () => {
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!
    failures++
    retry = setTimeout(() => void listen(), wait)
    retry.unref()
  }

  const listen = async (): Promise<void> => {
    if (stopped) return
    const next = new (loadPg().Client)({ connectionString: url })
    // An idle client's error (the database restarted, the network dropped) is emitted as an
    // event: without a handler it would end the process.
    next.on('error', (error) => lost(next, error.message))
    next.on('end', () => lost(next, 'closed'))
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== id) clearLocalCache()
    })
    try {
      await next.connect()
      await next.query(`listen ${next.escapeIdentifier(channel)}`)
    } catch (error) {
      next.end().catch(() => {})
      if (stopped) return
      const reason = error instanceof Error ? error.message : String(error)
      log.warn(`Cache signal: could not listen for other servers' changes (${reason}).`)
      schedule()
      return
    }
    if (stopped) {
      await next.end().catch(() => {})
      return
    }
    client = next
    failures = 0
    if (everListened) clearLocalCache()
    everListened = true
  }

  // Clears made in one turn of the event loop (a change that clears twice) go as one message.
  let pending = false
  const send = () => {
    pending = false
    if (stopped) return
    sql`select pg_notify(${channel}, ${id})`.execute(db).catch((error: unknown) => {
      log.error('Cache signal: other servers could not be told to clear their copies:', error)
    })
  }
  const unsubscribe = onClearCache(() => {
    if (pending || stopped) return
    pending = true
    setImmediate(send)
  })

  return {
    id,
    ready: listen(),
    listening: () => client !== null,
    async stop() {
      stopped = true
      unsubscribe()
      clearTimeout(retry)
      const last = client
      client = null
      await last?.end().catch(() => {})
    },
  }
}
