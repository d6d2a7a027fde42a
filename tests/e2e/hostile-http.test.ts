// The built server, started as npm start starts it, under what an attacker sends over the wire:
// the 1 KB POST that used to exhaust its heap, truncated and oversized bodies, slow clients,
// many large uploads at once, garbage on the socket; and the operations that keep it honest: a
// locked database, /healthz and its migrations, a graceful stop.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { type Socket, connect } from 'node:net'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type PortalProcess, freePort, launchPortal } from '#tests/drills/portal-process.ts'
import { readRespondPage } from '#tests/drills/response-fields.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

const SLUG = 'surveillance-technology-controls-2026'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Portal {
  url: string
  origin: string
  databasePath: string
  process: PortalProcess
}

async function start(env: Record<string, string> = {}): Promise<Portal> {
  const root = path.resolve('.')
  const dir = path.join(root, 'tests/.tmp')
  mkdirSync(dir, { recursive: true })
  const databasePath = path.join(dir, `hostile-${randomUUID()}.sqlite`)
  const port = await freePort()
  const portal = launchPortal({
    root,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      DEMO_SEED: 'true',
      SESSION_SECRET: 'hostile-http-secret',
      SUBMIT_RATE_LIMIT: '10000',
      MAIL_OUTBOX: path.join(dir, `outbox-${randomUUID()}`),
      ...env,
    },
  })
  await portal.ready()
  const url = `http://127.0.0.1:${port}`
  return { url, origin: url, databasePath, process: portal }
}

async function finish(portal: Portal) {
  await portal.process.stop()
  removeDatabaseFiles(portal.databasePath)
}

/** Resident memory of the server process (not the supervisor), in MB. */
function serverRssMb(portal: Portal): number {
  const pid = portal.process.serverPid()
  if (!pid) throw new Error('no server running')
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

/**
 * The server's resident memory once it has settled: the search indexer's thread starts after the
 * server listens and grows by some 25 MB in its first second, which is not the request's doing.
 */
async function settledRssMb(portal: Portal): Promise<number> {
  let last = serverRssMb(portal)
  for (let i = 0; i < 40; i++) {
    await sleep(250)
    const now = serverRssMb(portal)
    if (Math.abs(now - last) < 0.5) return now
    last = now
  }
  return last
}

async function healthy(portal: Portal) {
  const response = await fetch(`${portal.url}/healthz`)
  return response.status === 200 && ((await response.json()) as { status: string }).status === 'ok'
}

/** The respond page's fields, as the browser would send them, and a fresh submission key. */
async function respondForm(portal: Portal): Promise<FormData> {
  const page = readRespondPage(
    await (await fetch(`${portal.url}/consultations/${SLUG}/respond`)).text(),
  )
  const form = new FormData()
  form.set('submissionKey', page.submissionKey)
  form.set('respondentType', 'ngo')
  form.set('organisation', 'Hostile Input Watch')
  form.set('country', 'NO')
  form.set('publication', 'named')
  form.set('scopes[0].controlId', '')
  form.set('scopes[0].position', 'support')
  form.set('scopes[0].body', 'A response sent over the wire.')
  return form
}

/** Sends raw bytes on a socket; resolves with what came back and when the server closed it. */
function raw(portal: Portal, write: (socket: Socket) => Promise<void> | void) {
  const { port } = new URL(portal.url)
  return new Promise<{ reply: string; closedAfterMs: number }>((resolve) => {
    const started = Date.now()
    const socket = connect(Number(port), '127.0.0.1')
    let reply = ''
    socket.on('data', (d) => (reply += d.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }))
    socket.on('connect', () => void write(socket))
  })
}

describe('hostile requests to the built server', { timeout: 120_000 }, () => {
  let portal: Portal

  beforeAll(async () => {
    portal = await start({
      HEADERS_TIMEOUT_MS: '1500',
      REQUEST_TIMEOUT_MS: '10000',
      IDLE_TIMEOUT_MS: '3000',
    })
  }, 180_000)

  afterAll(async () => {
    await finish(portal)
  })

  test('the 1 KB POST that exhausted the heap is a 400 page; memory stays put and the portal answers', async () => {
    const before = await settledRssMb(portal)
    for (const name of ['scopes[5000000].body', 'scopes[1].answers[3000000]']) {
      for (const encoding of ['multipart', 'urlencoded'] as const) {
        const body =
          encoding === 'multipart'
            ? (() => {
                const form = new FormData()
                form.set(name, 'x')
                return form
              })()
            : new URLSearchParams({ [name]: 'x' })
        const response = await fetch(`${portal.url}/consultations/${SLUG}/respond`, {
          method: 'POST',
          headers: { Origin: portal.origin },
          body,
        })
        expect(response.status, `${name} ${encoding}`).toBe(400)
        const html = await response.text()
        expect(html).toContain('It referred to more entries than this page has.')
        expect(html).toContain(name)
      }
    }
    expect(await healthy(portal)).toBe(true)
    expect(serverRssMb(portal) - before).toBeLessThan(30)
  })

  test('a truncated multipart body is a 400 that says so, not a 500', async () => {
    const encoded = new Response(await respondForm(portal))
    const type = encoded.headers.get('content-type')!
    const whole = Buffer.from(await encoded.arrayBuffer())
    const response = await fetch(`${portal.url}/consultations/${SLUG}/respond`, {
      method: 'POST',
      headers: { Origin: portal.origin, 'Content-Type': type },
      body: whole.subarray(0, Math.floor(whole.byteLength * 0.7)),
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('It arrived incomplete')
  })

  test('headers sent a byte at a time (slowloris) are cut off, and others are served meanwhile', async () => {
    const slow = raw(portal, async (socket) => {
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n`)
      for (let i = 0; i < 40 && !socket.destroyed; i++) {
        socket.write('X')
        await sleep(250)
      }
    })
    await sleep(300)
    expect(await healthy(portal)).toBe(true)
    const { reply, closedAfterMs } = await slow
    // Node answers 408 and closes once HEADERS_TIMEOUT_MS has passed (checked every second).
    expect(closedAfterMs).toBeLessThan(4000)
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
  })

  test('a body that trickles in is cut off at REQUEST_TIMEOUT_MS', async () => {
    const { closedAfterMs } = await raw(portal, async (socket) => {
      socket.write(
        `POST /consultations/${SLUG}/respond HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${portal.origin}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n',
      )
      for (let i = 0; i < 100 && !socket.destroyed; i++) {
        socket.write('a')
        await sleep(200)
      }
    })
    // Alive (a byte every 200 ms keeps IDLE_TIMEOUT_MS at bay) but never done.
    expect(closedAfterMs).toBeGreaterThan(9000)
    expect(closedAfterMs).toBeLessThan(13_000)
    expect(await healthy(portal)).toBe(true)
  })

  test('headers too large are a 431; a body larger than any form a 413, before it is read', async () => {
    const big = await fetch(`${portal.url}/`, { headers: { 'X-Padding': 'x'.repeat(20_000) } })
    expect(big.status).toBe(431)
    const { reply } = await raw(portal, (socket) => {
      socket.write(
        `POST /consultations/${SLUG}/respond HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${portal.origin}\r\n` +
          `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${10 * 1024 ** 3}\r\n\r\n`,
      )
    })
    expect(reply).toMatch(/^HTTP\/1\.1 413/)
    expect(reply).toContain('Request too large')
  })

  test('garbage on the socket is answered 400, and the portal keeps serving', async () => {
    for (const junk of [
      '\u0000\u0001\u0002\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'POST\r\n\r\n',
      '\u00ff'.repeat(5000),
    ]) {
      const { reply } = await raw(portal, (socket) => {
        socket.write(Buffer.from(junk, 'latin1'))
      })
      expect(reply, JSON.stringify(junk.slice(0, 20))).toMatch(/^HTTP\/1\.1 (400|505)/)
    }
    expect(await healthy(portal)).toBe(true)
  })

  test('a database locked by another process: a 503 that says so, and a respondent keeps the text', async () => {
    const db = new Database(portal.databasePath)
    db.exec('begin immediate')
    try {
      const signup = await fetch(`${portal.url}/signup`, {
        method: 'POST',
        headers: { Origin: portal.origin },
        body: new URLSearchParams({
          displayName: 'Someone',
          email: `locked-${randomUUID()}@example.org`,
          password: 'a long enough password',
        }),
      })
      expect(signup.status).toBe(503)
      expect(await signup.text()).toContain('The portal could not save anything just now.')
      const form = await respondForm(portal)
      form.set('scopes[0].body', 'Written while the database was locked.')
      const respond = await fetch(`${portal.url}/consultations/${SLUG}/respond`, {
        method: 'POST',
        headers: { Origin: portal.origin },
        body: form,
      })
      expect(respond.status).toBe(503)
      expect(respond.headers.get('retry-after')).toBe('30')
      const html = await respond.text()
      expect(html).toContain('could not store your response just now')
      expect(html).toContain('Written while the database was locked.')
    } finally {
      db.exec('rollback')
      db.close()
    }
    expect(await healthy(portal)).toBe(true)
  })

  test('/healthz says when the database’s migrations are not this code’s', async () => {
    const db = new Database(portal.databasePath)
    try {
      db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
        '2099_01_01_000000_from_newer_code',
        new Date().toISOString(),
      )
      const response = await fetch(`${portal.url}/healthz`)
      expect(response.status).toBe(503)
      expect(await response.json()).toMatchObject({
        status: 'migrations-not-current',
        migrations: { current: false, unknown: ['2099_01_01_000000_from_newer_code'] },
      })
    } finally {
      db.prepare('delete from kysely_migration where name = ?').run(
        '2099_01_01_000000_from_newer_code',
      )
      db.close()
    }
    expect(await healthy(portal)).toBe(true)
  })
})

// Many large uploads at once, on a server with the production timeouts: 24 clients sending 10 MB
// each, and again on every 503, move some gigabytes through a loaded machine's loopback, and one
// upload may take longer than the short REQUEST_TIMEOUT_MS and IDLE_TIMEOUT_MS that the slow-client
// tests above need (on CI, with both cores busy, it did: a 408 and a connection closed mid-upload).
describe('many large uploads at once', { timeout: 180_000 }, () => {
  let portal: Portal

  beforeAll(async () => {
    portal = await start({
      // Small, so that a handful of uploads fill it.
      FORM_MEMORY_BUDGET_MB: '3',
      ATTACHMENT_MAX_BYTES: String(1024 * 1024),
    })
  }, 180_000)

  afterAll(async () => {
    await finish(portal)
  })

  test('24 maximum-size submissions at once: those past the memory budget are told to retry, and every one is stored on retry', async () => {
    const before = serverRssMb(portal)
    let peak = before
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, serverRssMb(portal))
      } catch {
        // Between two samples the process may be busy: the next sample counts.
      }
    }, 50)
    const file = new Uint8Array(1024 * 1024 - 10)
    file.set(new TextEncoder().encode('%PDF-1.4\n'))
    const statuses: number[] = []
    const retryAfter = new Set<string | null>()
    // When one upload fails, the others stop rather than go on loading the server.
    let failed = false
    try {
      await Promise.all(
        Array.from({ length: 24 }, async () => {
          const form = await respondForm(portal)
          for (let i = 0; i < 10; i++) {
            form.append('files', new File([file], `annex-${i}.pdf`, { type: 'application/pdf' }))
          }
          for (let attempt = 0; attempt < 200 && !failed; attempt++) {
            const response = await fetch(`${portal.url}/consultations/${SLUG}/respond`, {
              method: 'POST',
              headers: { Origin: portal.origin },
              body: form,
              redirect: 'manual',
            })
            const text = await response.text()
            statuses.push(response.status)
            if (response.status !== 503 && response.status !== 302) {
              throw new Error(`${response.status}: ${text.slice(0, 2000)}`)
            }
            if (response.status !== 503) return
            retryAfter.add(response.headers.get('retry-after'))
            // A client honouring Retry-After would wait 10 s; a quicker one still gets in.
            await sleep(200 + Math.random() * 300)
          }
        }).map((upload) =>
          upload.catch((error: unknown) => {
            failed = true
            throw error
          }),
        ),
      )
    } finally {
      clearInterval(sampler)
    }
    expect(statuses.filter((s) => s === 302)).toHaveLength(24)
    expect(statuses.every((s) => s === 302 || s === 503)).toBe(true)
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0)
    expect([...retryAfter]).toEqual(['10'])
    // Files are written to the database as they arrive and the rest are told to retry: the server
    // holds a piece of a few at a time, not 24 × 10 MB (which it once held, and more, in copies).
    // What grows is the garbage of bodies read and thrown away, which V8 collects in its time:
    // Node 24 lets more of it pile up first (170 MB in one CI run of 2026-12-02, against 150 and
    // under on Node 20); holding the bodies would take 240 MB and more, on either.
    const node24 = Number(process.versions.node.split('.')[0]) >= 24
    console.log(`The server's memory: ${before} MB before, ${peak} MB at the peak.`)
    expect(peak - before).toBeLessThan(node24 ? 210 : 150)
    // README's target was 300 MB, which Node 20 kept (259 MB in the benchmark). Node 24's server
    // sits higher on a loaded machine: 304 and 311 MB in two of four CI runs of 2026-12-02, with
    // both engines' tests beside it (the old server took 4 GB here). Since 2026-12-03 the server
    // also runs the search indexer's thread, a V8 of its own: 21 to 27 MB at rest, measured; with
    // it, 262 and 273 MB on Node 20 here, 321 to 339 on Node 24, and 340 in one CI run.
    expect(peak).toBeLessThan(node24 ? 370 : 320)
    const db = new Database(portal.databasePath, { readonly: true })
    try {
      const { n } = db
        .prepare("select count(*) as n from attachments where filename like 'annex-%'")
        .get() as { n: number }
      expect(n).toBe(240)
    } finally {
      db.close()
    }
    expect(await healthy(portal)).toBe(true)
  })
})

describe('stopping with SIGTERM', { timeout: 120_000 }, () => {
  test('finishes the request in flight, checkpoints the log and exits cleanly', async () => {
    const portal = await start()
    try {
      const encoded = new Response(await respondForm(portal))
      const type = encoded.headers.get('content-type')!
      const body = Buffer.from(await encoded.arrayBuffer())
      const { port } = new URL(portal.url)
      // A submission whose body takes a second and a half to arrive, stopped in the middle.
      const inFlight = new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1')
        let reply = ''
        socket.on('data', (d) => (reply += d.toString('latin1')))
        socket.on('close', () => resolve(reply))
        socket.on('connect', async () => {
          socket.write(
            `POST /consultations/${SLUG}/respond HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${portal.origin}\r\n` +
              `Content-Type: ${type}\r\nContent-Length: ${body.byteLength}\r\nConnection: close\r\n\r\n`,
          )
          const third = Math.ceil(body.byteLength / 3)
          for (let i = 0; i < 3; i++) {
            socket.write(body.subarray(i * third, (i + 1) * third))
            await sleep(500)
          }
        })
      })
      await sleep(400)
      const stopped = portal.process.stop()
      const reply = await inFlight
      expect(reply).toMatch(/^HTTP\/1\.1 302/)
      await stopped
      expect(portal.process.output()).toContain('Database checkpointed and closed.')
      const wal = `${portal.databasePath}-wal`
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true)
      const db = new Database(portal.databasePath, { readonly: true })
      try {
        const row = db
          .prepare('select count(*) as n from responses where organisation = ?')
          .get('Hostile Input Watch') as { n: number }
        expect(row.n).toBe(1)
      } finally {
        db.close()
      }
    } finally {
      removeDatabaseFiles(portal.databasePath)
    }
  })
})
