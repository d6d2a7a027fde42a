// The server: migrate, seed an empty database, then serve the Remix build over node:http.
// `npm start` runs it compiled (build/server/start.server.js, built by app/server/build.mjs);
// `npm run dev` runs it through tsx with --dev.
import { randomBytes } from 'node:crypto'
import { watch } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type ServerBuild, broadcastDevReady } from '@remix-run/node'
import { openDatabase } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { demoLogins, seedIfEmpty } from '#db/seed.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { rebuildMissingCampaigns } from '#app/models/campaigns.server.ts'
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
  // The bundled app reads the same variable: make it absolute once, here.
  process.env.DATABASE_PATH = env.DATABASE_PATH
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
  })
  const server = createServer(handler)
  server.keepAliveTimeout = 65_000

  server.listen(env.PORT, env.HOST, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : env.PORT
    const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST
    console.log(`\nConsultation portal ready at http://${host}:${port}`)
    if (env.DEMO_SEED) {
      console.log('\nDemo logins (set DEMO_SEED=false for a real deployment):')
      for (const login of demoLogins) {
        console.log(`  ${login.role.padEnd(12)} ${login.email.padEnd(28)} ${login.password}`)
      }
    }
    if (dev) void broadcastDevReady(build)
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

  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
