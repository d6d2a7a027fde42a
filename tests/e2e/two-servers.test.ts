// Two built portal servers on one PostgreSQL database, as a deployment behind a load balancer
// runs them: started at the same moment (they migrate and seed once), then over plain HTTP a
// session, the rate limits, a submission key and an official's change are honoured by both.
// Needs TEST_DATABASE_URL (a server where a schema may be created); skipped without it.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '#tests/drills/portal-process.ts'
import { readRespondPage } from '#tests/drills/response-fields.ts'

const BASE_URL = process.env.TEST_DATABASE_URL
const SLUG = 'surveillance-technology-controls-2026'
const READY = 'Consultation portal ready at'
/** What app/server/page-cache.server.ts keeps a public page for (PAGE_TTL_MS). */
const PAGE_TTL_MS = 5_000
const API_LIMIT = 6
const SUBMIT_LIMIT = 3

const root = path.resolve('.')
const tmp = path.join(root, 'tests/.tmp')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Server {
  name: string
  url: string
  output: () => string
  stop: () => Promise<number | null>
}

/**
 * The built server (build/server/start.server.js, which `npm start`'s supervisor runs and the
 * e2e set-up has just built), started directly: two supervisors at once would each rebuild when
 * a source changed since, into the same folder.
 */
async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'build/server/start.server.js')],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not start:\n${output}`))
    }, 90_000)
    const check = () => {
      if (output.includes(READY)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}:\n${output}`))
    })
  })
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

async function onServer<T extends pg.QueryResultRow>(
  url: string,
  statement: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(statement, values)).rows
  } finally {
    await client.end()
  }
}

/** Headers of a browser on the server's own pages, from client address `client` (TRUST_PROXY). */
function from(server: Server, client: string, cookie?: string): Record<string, string> {
  return { Origin: server.url, 'X-Forwarded-For': client, ...(cookie ? { Cookie: cookie } : {}) }
}

/** A client address of its own, so that one test's hits do not count against another's. */
// A new client address each time: random ones from one /24 met again across the tests (a
// birthday collision) and ran into a limit of 3 meant for someone else.
let clients = 0
const newClient = () => {
  clients++
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`
}

async function signIn(server: Server, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/signin`, {
    method: 'POST',
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
    headers: from(server, newClient()),
    redirect: 'manual',
  })
  expect(response.status).toBe(302)
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

/** The demo round's response form, filled in, with a fresh submission key from `server`. */
async function responseForm(server: Server, organisation: string): Promise<FormData> {
  const page = readRespondPage(
    await (await fetch(`${server.url}/consultations/${SLUG}/respond`)).text(),
  )
  const form = new FormData()
  form.set('submissionKey', page.submissionKey)
  form.set('respondentType', 'ngo')
  form.set('organisation', organisation)
  form.set('country', 'NO')
  form.set('publication', 'named')
  form.set('scopes[0].controlId', '')
  form.set('scopes[0].position', 'support')
  form.set('scopes[0].body', `A response from ${organisation}, sent to two servers.`)
  return form
}

function submit(server: Server, form: FormData, client: string) {
  return fetch(`${server.url}/consultations/${SLUG}/respond`, {
    method: 'POST',
    body: form,
    headers: from(server, client),
    redirect: 'manual',
  })
}

/** The tracking number of a receipt's redirect. */
function trackingOf(response: Response): string {
  expect(response.status).toBe(302)
  return new URL(response.headers.get('Location')!, 'http://x').pathname.split('/').pop()!
}

/** Waits until a fixed window of `windowMs` has at least `needMs` left, so a test cannot straddle two. */
async function roomInWindow(windowMs: number, needMs: number) {
  const left = windowMs - (Date.now() % windowMs)
  if (left < needMs) await sleep(left + 50)
}

describe.skipIf(!BASE_URL)('two portal servers on one PostgreSQL database', () => {
  const schema = `test_${randomUUID().replace(/-/g, '')}`
  const outbox = path.join(tmp, `outbox-${randomUUID()}`)
  let databaseUrl = ''
  const servers: Server[] = []
  let a: Server
  let b: Server
  const query = <T extends pg.QueryResultRow>(statement: string, values: unknown[] = []) =>
    onServer<T>(databaseUrl, statement, values)

  beforeAll(async () => {
    mkdirSync(tmp, { recursive: true })
    // The extensions live in public, where every test schema finds them.
    for (const extension of ['unaccent', 'pg_trgm']) {
      await onServer(BASE_URL!, `create extension if not exists ${extension} schema public`).catch(
        () => {},
      )
    }
    await onServer(BASE_URL!, `create schema ${schema}`)
    const url = new URL(BASE_URL!)
    url.searchParams.set('options', `-c search_path=${schema},public`)
    databaseUrl = url.toString()
    const env = {
      DATABASE_URL: databaseUrl,
      // Unused on PostgreSQL; a path of the test's own all the same.
      DATABASE_PATH: path.join(tmp, `two-servers-${randomUUID()}.sqlite`),
      DEMO_SEED: 'true',
      SESSION_SECRET: 'two-servers-secret-not-for-production',
      TRUST_PROXY: 'true',
      API_RATE_LIMIT: String(API_LIMIT),
      SUBMIT_RATE_LIMIT: String(SUBMIT_LIMIT),
      DATABASE_POOL_SIZE: '4',
      MAIL_OUTBOX: outbox,
    }
    // At the same moment, on an empty schema.
    const started = await Promise.allSettled([startServer('A', env), startServer('B', env)])
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value)
    for (const result of started) if (result.status === 'rejected') throw result.reason
    ;[a, b] = servers as [Server, Server]
  }, 180_000)

  afterAll(async () => {
    const codes = await Promise.all(servers.map((server) => server.stop()))
    if (BASE_URL) await onServer(BASE_URL, `drop schema if exists ${schema} cascade`)
    rmSync(outbox, { recursive: true, force: true })
    for (const file of readdirSync(tmp)) {
      if (file.startsWith('two-servers-')) rmSync(path.join(tmp, file), { force: true })
    }
    expect(codes).toEqual([0, 0])
  })

  test('started at once, they migrate and seed the database once, and both are healthy', async () => {
    const migrated = [a, b].filter((s) => /^migration \S+: Success$/m.test(s.output()))
    expect(migrated).toHaveLength(1)
    const seeded = [a, b].filter((s) => s.output().includes('Seeded the demo round'))
    expect(seeded).toHaveLength(1)
    for (const server of [a, b]) {
      expect(server.output()).toContain('Database: PostgreSQL at 127.0.0.1:5432')
      expect(server.output()).not.toContain(BASE_URL!)
      // The db:migrate and db:seed commands bundled into the server do not run as commands.
      expect(server.output()).not.toMatch(/^Migrating |failed/m)
    }

    const files = readdirSync(path.join(root, 'db/migrations')).filter((f) => /^\d.*\.ts$/.test(f))
    const count = async (table: string) =>
      (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n
    expect(await count('kysely_migration')).toBe(files.length)
    expect(await count('users')).toBe(3)
    expect(await count('consultations')).toBe(2)
    // Neither server touched an SQLite file: DATABASE_PATH is not used on PostgreSQL.
    expect(readdirSync(tmp).filter((f) => f.startsWith('two-servers-'))).toEqual([])

    for (const server of [a, b]) {
      const health = await fetch(`${server.url}/healthz`)
      expect(health.status).toBe(200)
      expect(((await health.json()) as { status: string }).status).toBe('ok')
    }
  })

  test('a session started on one server is honoured, and ended, on the other', async () => {
    const cookie = await signIn(a, 'participant@example.org', 'participant-demo-password')
    const account = (server: Server) =>
      fetch(`${server.url}/account`, { headers: { Cookie: cookie }, redirect: 'manual' })
    const onB = await account(b)
    expect(onB.status).toBe(200)
    expect(await onB.text()).toContain('participant@example.org')
    expect((await fetch(`${b.url}/account`, { redirect: 'manual' })).status).toBe(302)

    const signOut = await fetch(`${b.url}/signout`, {
      method: 'POST',
      headers: from(b, newClient(), cookie),
      redirect: 'manual',
    })
    expect(signOut.status).toBe(302)
    const onA = await account(a)
    expect(onA.status).toBe(302)
    expect(onA.headers.get('Location')).toMatch(/^\/signin/)
  })

  test("the open-data API's limit counts one client's requests to both servers together", async () => {
    await roomInWindow(60_000, 15_000)
    const client = newClient()
    const get = (server: Server) =>
      fetch(`${server.url}/api/v1/consultations`, { headers: { 'X-Forwarded-For': client } })
    const statuses: number[] = []
    for (let i = 0; i < API_LIMIT; i++) statuses.push((await get(i % 2 ? b : a)).status)
    // Each server has seen half of the limit: only together are they past it.
    expect(statuses).toEqual(Array(API_LIMIT).fill(200))
    const refusedA = await get(a)
    const refusedB = await get(b)
    expect([refusedA.status, refusedB.status]).toEqual([429, 429])
    expect(Number(refusedB.headers.get('Retry-After'))).toBeGreaterThan(0)
    // Another client is not affected.
    const other = await fetch(`${b.url}/api/v1/consultations`, {
      headers: { 'X-Forwarded-For': newClient() },
    })
    expect(other.status).toBe(200)
  })

  test("the response form's limit counts one client's responses to both servers together", async () => {
    await roomInWindow(10 * 60_000, 30_000)
    const client = newClient()
    const sent: number[] = []
    for (const server of [a, b, a]) {
      sent.push((await submit(server, await responseForm(server, 'Limit Watch'), client)).status)
    }
    expect(sent).toEqual([302, 302, 302])
    const refused = await submit(b, await responseForm(b, 'Limit Watch'), client)
    expect(refused.status).toBe(429)
  })

  test('one submission key sent to both servers at once makes one response, one receipt', async () => {
    const forms = await Promise.all(
      Array.from({ length: 5 }, (_, i) => responseForm(a, `Double Send ${i}`)),
    )
    // A client of its own per form: the response limit is not what is tested here.
    const pairs = await Promise.all(
      forms.map((form) => {
        const client = newClient()
        return Promise.all([submit(a, form, client), submit(b, form, client)])
      }),
    )
    for (const [i, [toA, toB]] of pairs.entries()) {
      const tracking = trackingOf(toA!)
      expect(trackingOf(toB!)).toBe(tracking)
      const rows = await query<{ tracking_number: string }>(
        'select tracking_number from responses where idempotency_key = $1',
        [forms[i]!.get('submissionKey')],
      )
      expect(rows).toEqual([{ tracking_number: tracking }])
    }
  })

  test("an official's change on one server clears the other's kept pages, and counts on both", async () => {
    const official = await signIn(a, 'official@example.org', 'official-demo-password')
    const marker = () => `Signal Org ${randomUUID().slice(0, 8)}`
    const [direct, moderated] = [marker(), marker()]
    const ids: number[] = []
    for (const organisation of [direct, moderated]) {
      const tracking = trackingOf(await submit(a, await responseForm(a, organisation), newClient()))
      const [row] = await query<{ id: number }>(
        'select id::int as id from responses where tracking_number = $1',
        [tracking],
      )
      ids.push(row!.id)
    }
    const page = async () => (await fetch(`${b.url}/consultations/${SLUG}/responses`)).text()
    const published = async () => {
      const response = await fetch(`${b.url}/api/v1/consultations/${SLUG}/statistics`, {
        headers: { 'X-Forwarded-For': newClient() },
      })
      return ((await response.json()) as { data: { published_responses: number } }).data
        .published_responses
    }

    // B renders the page and counts, and keeps them.
    const keptAt = Date.now()
    expect(await page()).not.toContain(direct)
    const before = await published()
    // Published behind the servers' backs: no server is told, so B goes on showing its copies.
    await query(`update responses set status = 'published', published_at = $2 where id = $1`, [
      ids[0],
      new Date().toISOString(),
    ])
    expect(await page()).not.toContain(direct)
    expect(await published()).toBe(before)

    // An official publishes the other through A: B's copies go.
    const moderation = await fetch(`${a.url}/manage/responses/${ids[1]}`, {
      method: 'POST',
      body: new URLSearchParams({ intent: 'moderate', action: 'publish' }),
      headers: from(a, newClient(), official),
      redirect: 'manual',
    })
    expect(moderation.status).toBe(302)
    const changedAt = Date.now()
    let html = await page()
    while (!html.includes(moderated) && Date.now() - changedAt < 1000) {
      await sleep(25)
      html = await page()
    }
    expect(html).toContain(moderated)
    expect(html).toContain(direct)
    // The statistics are kept as the portal changes responses, on either server: the one
    // published behind its back is not counted (npm run db:check-counts would report it).
    expect(await published()).toBe(before + 1)
    // Well before B's copy would have expired by itself.
    expect(Date.now() - keptAt).toBeLessThan(PAGE_TTL_MS)
  })
})
