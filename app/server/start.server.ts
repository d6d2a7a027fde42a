// The server: migrate, seed an empty database, then serve the Remix build over node:http.
// `npm start` runs it compiled (build/server/start.server.js, built by app/server/build.mjs);
// `npm run dev` runs it through tsx with --dev.
import { randomBytes } from 'node:crypto'
import { watch } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type ServerBuild, broadcastDevReady } from '@remix-run/node'
import { sql } from 'kysely'
import { openDatabase } from '#db/connection.ts'
import { migrateToLatest, migrationFolder } from '#db/migrate.ts'
import { demoLogins, seedIfEmpty } from '#db/seed.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { rebuildMissingCampaigns } from '#app/models/campaigns.server.ts'
import { sweepBlobs } from '#app/models/file-store.server.ts'
import { DOCUMENT_MAX_BYTES } from '#app/models/consultation-input.server.ts'
import { createPortalHandler } from './http.server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const buildFile = path.join(root, 'build', 'index.js')
const dev = process.argv.includes('--dev')
// An operator who says NODE_ENV=production means a real deployment.
const declaredProduction = process.env.NODE_ENV === 'production'
process.env.NODE_ENV = dev ? 'development' : 'production'

async function prepareDatabase(file: string, seedDemo: boolean): Promise<string[] | null> {
  const db = openDatabase(file)
  try {
    await migrateToLatest(db, (line) => console.log(line))
    const seeded = seedDemo ? await seedIfEmpty(db) : null
    for (const id of await rebuildMissingCampaigns(db)) {
      console.log(`Campaigns of round ${id} rebuilt: some responses had no signature.`)
    }
    return seeded
  } finally {
    await db.destroy()
  }
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

async function main(): Promise<void> {
  const env = getEnv()
  ensureSessionSecret(env.DEMO_SEED)
  // The bundled app reads the same variables: make them absolute once, here.
  process.env.DATABASE_PATH = env.DATABASE_PATH
  process.env.PORTAL_MIGRATIONS_DIR = migrationFolder()
  console.log(`Database: ${env.DATABASE_PATH}`)
  const seeded = await prepareDatabase(env.DATABASE_PATH, env.DEMO_SEED)
  if (seeded?.length) console.log(seeded.join('\n'))

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

  server.listen(env.PORT, env.HOST, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : env.PORT
    const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST
    console.log(`\nConsultation portal ready at http://${host}:${port}`)
    // npm start's supervisor restarts a server only once it has been ready.
    process.send?.('ready')
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
  // requests in flight finish (SHUTDOWN_GRACE_MS at most), then fold the WAL into the database.
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: finishing the requests in flight, then stopping.`)
    clearInterval(sweeper)
    const idle = setInterval(() => server.closeIdleConnections(), 100)
    const force = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_GRACE_MS)
    server.close(() => {
      clearInterval(idle)
      clearTimeout(force)
      void shutDownDatabase().then(
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

/** Copies the write-ahead log into the database and closes it, so a stopped server leaves one file. */
async function shutDownDatabase(): Promise<void> {
  const db = getDb()
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
  await db.destroy()
  console.log('Database checkpointed and closed.')
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
