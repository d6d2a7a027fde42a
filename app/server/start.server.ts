// The server: migrate, seed an empty database, then serve the Remix build over node:http.
// `npm start` runs it compiled (build/server/start.server.js, built by app/server/build.mjs);
// `npm run dev` runs it through tsx with --dev. On SQLite (DATABASE_PATH) it is the only server;
// on PostgreSQL (DATABASE_URL) several may share the database: they prepare it one at a time,
// and tell each other when their kept copies of public pages and data must go.
import { randomBytes } from 'node:crypto'
import { watch } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type ServerBuild, broadcastDevReady } from '@remix-run/node'
import { sql } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import { migrateToLatest, migrationFolder, withPrepareLock } from '#db/migrate.ts'
import { isPostgres, openPostgres } from '#db/postgres.ts'
import { demoLogins, seedIfEmpty } from '#db/seed.ts'
import { getDb } from '#app/utils/db.server.ts'
import { type Env, getEnv } from '#app/utils/env.server.ts'
import { roundsMissingSignatures } from '#app/models/campaigns.server.ts'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
import { jobHandlers } from '#app/jobs/kinds.server.ts'
import { type JobRunner, startJobRunner } from '#app/jobs/runner.server.ts'
import { type SearchIndexer, startSearchIndexer } from '#app/jobs/search-thread.server.ts'
import { sweepBlobs } from '#app/models/file-store.server.ts'
import { listPublicConsultations } from '#app/models/consultations.server.ts'
import { DOCUMENT_MAX_BYTES } from '#app/models/consultation-input.server.ts'
import { type CacheSignal, startCacheSignal } from './cache-signal.server.ts'
import { createPortalHandler } from './http.server.ts'
import { warmUp } from './warm-up.server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const buildFile = path.join(root, 'build', 'index.js')
const dev = process.argv.includes('--dev')
// An operator who says NODE_ENV=production means a real deployment.
const declaredProduction = process.env.NODE_ENV === 'production'
process.env.NODE_ENV = dev ? 'development' : 'production'

/**
 * Migrates and seeds an empty database, on a handle of its own closed after, and queues a
 * campaign rebuild for each round with responses that have no signature (run after serving).
 * On PostgreSQL all of it holds one advisory lock: of several servers started at once, one does
 * the work and the others wait for it, then find nothing left to do.
 */
async function prepareDatabase(env: Env): Promise<string[] | null> {
  const db = env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL, { max: 1 })
    : openDatabase(env.DATABASE_PATH)
  const log = (line: string) => console.log(line)
  try {
    return await withPrepareLock(
      db,
      async (conn) => {
        await migrateToLatest(conn, log)
        const seeded = env.DEMO_SEED ? await seedIfEmpty(conn) : null
        for (const id of await roundsMissingSignatures(conn)) {
          const { created } = await enqueueJob(conn, {
            kind: 'campaigns.rebuild',
            consultationId: id,
            actor: null,
          })
          if (created)
            console.log(
              `Campaigns of round ${id}: some responses have no signature; a rebuild is queued.`,
            )
        }
        return seeded
      },
      log,
    )
  } finally {
    await db.destroy()
  }
}

/** Where the database is, for the log: never PostgreSQL's password (or its user). */
function describeDatabase(env: Env): string {
  if (!env.DATABASE_URL) return env.DATABASE_PATH
  const url = new URL(env.DATABASE_URL)
  const host = url.hostname || url.searchParams.get('host') || 'localhost'
  return `PostgreSQL at ${host}${url.port ? `:${url.port}` : ''}${url.pathname || '/'}`
}

/**
 * A real deployment (NODE_ENV=production, or the demo turned off) must bring
 * its own SESSION_SECRET. The demo on a fresh clone gets a random one for the
 * life of the process, so `npm install && npm start` needs no set-up.
 */
function ensureSessionSecret(demo: boolean): void {
  if (process.env.SESSION_SECRET?.trim()) return
  if (declaredProduction || !demo) {
    console.error(
      'SESSION_SECRET is not set. A production server needs it to sign session cookies:\n' +
        '  SESSION_SECRET=$(node -e "console.log(crypto.randomBytes(32).toString(\'hex\'))") npm start\n' +
        'Several secrets separated by commas rotate: the first signs, all verify.',
    )
    process.exit(1)
  }
  process.env.SESSION_SECRET = randomBytes(32).toString('hex')
  console.warn(
    'SESSION_SECRET is not set: using a random one for this demo run (sign-ins end when the server stops).',
  )
}

/** What a server asks itself before it serves: the pages nearly every visitor opens first. */
async function warmUpPaths(): Promise<string[]> {
  const paths = ['/healthz', '/', '/consultations', '/signin']
  try {
    const { open } = await listPublicConsultations(getDb(), { now: new Date().toISOString() })
    const slug = open[0]?.slug
    if (slug) paths.push(`/consultations/${slug}`, `/consultations/${slug}/respond`)
  } catch (error) {
    console.error('Warming up: the open rounds could not be read:', error)
  }
  return paths
}

async function main(): Promise<void> {
  const env = getEnv()
  ensureSessionSecret(env.DEMO_SEED)
  // The bundled app reads the same variables: make them absolute once, here.
  process.env.DATABASE_PATH = env.DATABASE_PATH
  process.env.PORTAL_MIGRATIONS_DIR = migrationFolder()
  console.log(`Database: ${describeDatabase(env)}`)
  const seeded = await prepareDatabase(env)
  if (seeded?.length) console.log(seeded.join('\n'))
  // Listening before serving: a change made on another server from now on clears this one's copies.
  let cacheSignal: CacheSignal | null = null
  if (env.DATABASE_URL) {
    cacheSignal = startCacheSignal({ url: env.DATABASE_URL, db: getDb() })
    await cacheSignal.ready
  }

  let build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const handler = createPortalHandler({
    build: () => build,
    mode: dev ? 'development' : 'production',
    publicDir: path.join(root, 'public'),
    trustProxy: env.TRUST_PROXY,
    logRequests: env.LOG_REQUESTS || dev,
    publicUrl: env.PUBLIC_URL,
    // The largest form: a response with every file at its largest, and its text.
    maxBodyBytes:
      Math.max(env.ATTACHMENT_MAX_FILES * env.ATTACHMENT_MAX_BYTES, DOCUMENT_MAX_BYTES) +
      16 * 1024 * 1024,
  })
  // Slow clients are cut off: headers must arrive within HEADERS_TIMEOUT_MS (a slowloris sends
  // them a byte at a time), a whole request within REQUEST_TIMEOUT_MS, and a connection silent
  // for IDLE_TIMEOUT_MS is closed. Node checks the first two every connectionsCheckingInterval.
  const server = createServer(
    {
      headersTimeout: env.HEADERS_TIMEOUT_MS,
      requestTimeout: env.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, env.HEADERS_TIMEOUT_MS),
      maxHeaderSize: 16 * 1024,
    },
    handler,
  )
  server.keepAliveTimeout = Math.min(65_000, env.IDLE_TIMEOUT_MS)
  server.timeout = env.IDLE_TIMEOUT_MS
  server.maxHeadersCount = 100
  server.maxConnections = env.MAX_CONNECTIONS

  if (!dev) await warmUp(handler, await warmUpPaths())

  server.listen(env.PORT, env.HOST, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : env.PORT
    const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST
    // npm start's supervisor restarts a server only once it has been ready: told before anyone
    // reading the log can act on the line below (a test that killed the server on seeing it,
    // on a loaded machine, found the supervisor not yet told, and not restarting it).
    process.send?.('ready')
    console.log(`\nConsultation portal ready at http://${host}:${port}`)
    if (env.DEMO_SEED) {
      console.log('\nDemo logins (set DEMO_SEED=false for a real deployment):')
      for (const login of demoLogins) {
        console.log(`  ${login.role.padEnd(12)} ${login.email.padEnd(28)} ${login.password}`)
      }
    }
    if (dev) void broadcastDevReady(build)
  })

  // Files staged by requests that never finished (a crash, a client gone) are removed now and
  // every hour, a batch at a time between requests.
  const sweep = () =>
    void sweepBlobs(getDb()).catch((error: unknown) => console.error('File sweep failed:', error))
  const sweeper = setInterval(sweep, 60 * 60_000)
  sweeper.unref()
  setTimeout(sweep, 5_000).unref()

  // How long the event loop was held, from the first request the server could take to its stop:
  // printed at the stop, for operators and `npm run bench` (event_loop_max_lag_ms).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  const servingSince = { at: 0 }
  server.once('listening', () => {
    loopDelay.enable()
    servingSince.at = performance.now()
    if (env.LOG_EVENT_LOOP) {
      const second = monitorEventLoopDelay({ resolution: 10 })
      second.enable()
      setInterval(() => {
        const held = second.max / 1e6
        second.reset()
        if (held > 50)
          console.log(`${new Date().toISOString()} event loop held ${held.toFixed(0)} ms`)
      }, 1000).unref()
      // Garbage collection holds the thread too; the long pauses are logged with their kind.
      new PerformanceObserver((entries) => {
        for (const entry of entries.getEntries()) {
          if (entry.duration > 50) {
            const kind = (entry as { detail?: { kind?: number } }).detail?.kind
            console.log(
              `${new Date().toISOString()} garbage collection held ${entry.duration.toFixed(0)} ms (kind ${kind})`,
            )
          }
        }
      }).observe({ entryTypes: ['gc'] })
    }
  })

  // Jobs start once the server answers: a rebuild queued above (or left by a crash) runs while
  // the portal serves. So does SQLite's search indexer, which from now on writes what the
  // server's transactions queue (db/search-file.ts); PostgreSQL indexes in those transactions.
  let jobs: JobRunner | null = null
  let searchIndexer: SearchIndexer | null = null
  server.once('listening', () => {
    if (!env.DATABASE_URL) {
      process.env.PORTAL_SEARCH_INDEXER = 'thread'
      searchIndexer = startSearchIndexer({ db: getDb(), portalPath: env.DATABASE_PATH })
    }
    void startJobRunner({
      db: getDb(),
      handlers: jobHandlers,
      postgres: env.DATABASE_URL
        ? { url: env.DATABASE_URL, schema: env.JOB_QUEUE_SCHEMA }
        : undefined,
      staleMs: env.JOB_STALE_SECONDS * 1000,
      soleServer: !env.DATABASE_URL,
    }).then(
      (runner) => {
        jobs = runner
        if (stopping) void runner.stop()
      },
      (error: unknown) => console.error('The job runner could not start:', error),
    )
  })

  if (dev) {
    // `remix dev --manual` rebuilds in place; pick the new build up without a restart.
    let timer: NodeJS.Timeout | undefined
    watch(path.dirname(buildFile), () => {
      clearTimeout(timer)
      timer = setTimeout(async () => {
        build = (await import(`${pathToFileURL(buildFile).href}?t=${Date.now()}`)) as ServerBuild
        await broadcastDevReady(build)
      }, 50)
    })
  }

  // SIGTERM (systemd, a container, npm start's supervisor): take no new connection, let the
  // requests in flight finish (SHUTDOWN_GRACE_MS at most), then fold SQLite's WAL into the
  // database, or close PostgreSQL's connections.
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: finishing the requests in flight, then stopping.`)
    if (servingSince.at) {
      loopDelay.disable()
      const ms = (ns: number) => (ns / 1e6).toFixed(1)
      console.log(
        `Event loop delay while serving (${((performance.now() - servingSince.at) / 1000).toFixed(0)} s): max ${ms(loopDelay.max)} ms, p99 ${ms(loopDelay.percentile(99))} ms`,
      )
    }
    clearInterval(sweeper)
    const idle = setInterval(() => server.closeIdleConnections(), 100)
    const force = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_GRACE_MS)
    server.close(() => {
      clearInterval(idle)
      clearTimeout(force)
      void Promise.all([jobs?.stop(), searchIndexer?.stop()])
        .then(() => shutDownDatabase(cacheSignal))
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error('Stopping:', error)
            process.exit(1)
          },
        )
    })
    server.closeIdleConnections()
  }
  // A signal to the whole process group (Ctrl-C, systemd) reaches the server twice: once
  // directly and once from npm start's supervisor. The second must not kill it mid-shutdown.
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

/**
 * SQLite: copies the write-ahead log into the database and closes it, so a stopped server leaves
 * one file. PostgreSQL: stops listening for other servers and closes the pool.
 */
async function shutDownDatabase(cacheSignal: CacheSignal | null): Promise<void> {
  const db = getDb()
  await cacheSignal?.stop()
  if (isPostgres(db)) {
    await db.destroy()
    console.log('Database connections closed.')
    return
  }
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
  await db.destroy()
  console.log('Database checkpointed and closed.')
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
