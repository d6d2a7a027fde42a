import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { type CacheSignal, startCacheSignal } from '#app/server/cache-signal.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { cachedAlways, clearCache, onClearCache } from '#app/utils/ttl-cache.server.ts'

// Several servers on one PostgreSQL database clear each other's kept copies through
// LISTEN/NOTIFY. A channel of each test's own, so that nothing else on the server talks on it.
const postgres = process.env.PORTAL_TEST_ENGINE === 'postgres'
const postgresOnly = 'PostgreSQL only: SQLite has one server'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function eventually(check: () => Promise<boolean> | boolean, what: string) {
  for (let waited = 0; !(await check()); waited += 20) {
    if (waited > 5000) throw new Error(`not within 5 s: ${what}`)
    await sleep(20)
  }
}

/** A value kept for a minute, and how many times it was made. */
function keptValue() {
  let made = 0
  const key = `signal-test:${randomUUID()}`
  return {
    read: () => cachedAlways(key, 60_000, async () => ++made),
    made: () => made,
  }
}

/** A client of its own listening on `channel`: another server, as the database sees it. */
async function listener(channel: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  const payloads: string[] = []
  client.on('notification', (message) => payloads.push(message.payload ?? ''))
  await client.connect()
  await client.query(`listen ${client.escapeIdentifier(channel)}`)
  return { payloads, end: () => client.end() }
}

async function notify(channel: string, payload: string) {
  await sql`select pg_notify(${channel}, ${payload})`.execute(getDb())
}

const started: CacheSignal[] = []
afterEach(async () => {
  for (const signal of started.splice(0)) await signal.stop()
  clearCache()
})

function start(channel: string, log?: Pick<Console, 'warn' | 'error'>) {
  const signal = startCacheSignal({ url: process.env.DATABASE_URL!, db: getDb(), channel, log })
  started.push(signal)
  return signal
}

describe('clearCache', () => {
  test('tells its listeners, after clearing this process’s copies', () => {
    const value = keptValue()
    void value.read()
    const calls: number[] = []
    const stop = onClearCache(() => calls.push(value.made()))
    clearCache()
    stop()
    clearCache()
    expect(calls).toEqual([1])
  })
})

describe.skipIf(!postgres)(`the cache signal (${postgresOnly})`, () => {
  test("another server's clear empties this one's copies; this one's own do not come back", async () => {
    const channel = `cache_${randomUUID().replace(/-/g, '')}`
    const signal = start(channel)
    await signal.ready
    expect(signal.listening()).toBe(true)
    const value = keptValue()
    expect(await value.read()).toBe(1)
    expect(await value.read()).toBe(1)
    // Its own id: nothing to do, the sender cleared its copies itself.
    await notify(channel, signal.id)
    await sleep(200)
    expect(await value.read()).toBe(1)
    await notify(channel, 'another-server')
    await eventually(async () => (await value.read()) === 2, "another server's clear")
  })

  test('clearCache() tells the other servers, once for the clears of one moment', async () => {
    const channel = `cache_${randomUUID().replace(/-/g, '')}`
    const other = await listener(channel)
    try {
      const signal = start(channel)
      await signal.ready
      clearCache()
      clearCache()
      await eventually(() => other.payloads.length > 0, 'the notification')
      await sleep(200)
      expect(other.payloads).toEqual([signal.id])
      clearCache()
      await eventually(() => other.payloads.length === 2, 'the second notification')
    } finally {
      await other.end()
    }
  })

  test('a lost connection is opened again, and what was kept meanwhile goes', async () => {
    const channel = `cache_${randomUUID().replace(/-/g, '')}`
    const log = { warn: vi.fn(), error: vi.fn() }
    const signal = start(channel, log)
    await signal.ready
    const value = keptValue()
    expect(await value.read()).toBe(1)
    // The database ends the listening connection (a restart, a failover, an idle timeout).
    await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where pid <> pg_backend_pid() and query = ${`listen "${channel}"`}`.execute(getDb())
    await eventually(() => log.warn.mock.calls.length > 0, 'the loss noticed')
    await eventually(() => signal.listening(), 'listening again')
    // Clears sent while nobody listened were missed: the copies kept meanwhile are gone.
    expect(await value.read()).toBe(2)
    await notify(channel, 'another-server')
    await eventually(async () => (await value.read()) === 3, 'a clear after the reconnection')
    expect(log.error).not.toHaveBeenCalled()
  })

  test('a database that cannot be reached is tried again, without a crash', async () => {
    const log = { warn: vi.fn(), error: vi.fn() }
    const unreachable = new URL(process.env.DATABASE_URL!)
    unreachable.port = '1'
    const signal = startCacheSignal({ url: unreachable.toString(), db: getDb(), log })
    started.push(signal)
    await signal.ready
    expect(signal.listening()).toBe(false)
    await eventually(() => log.warn.mock.calls.length >= 2, 'a second attempt')
  })
})
