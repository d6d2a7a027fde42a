import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { migrateToLatest } from '#db/migrate.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

// Each test file gets its own freshly migrated database: an SQLite file, or, in the
// integration-postgres project (TEST_DATABASE_URL set), a schema of its own on that server.
const dir = path.resolve('tests/.tmp')
mkdirSync(dir, { recursive: true })
const file = path.join(dir, `integration-${randomUUID()}.sqlite`)
const postgres = process.env.PORTAL_TEST_ENGINE === 'postgres'
const schema = `test_${randomUUID().replace(/-/g, '')}`
process.env.DATABASE_PATH = file
process.env.SESSION_SECRET = 'integration-test-secret'
process.env.MAIL_OUTBOX = path.join(dir, `outbox-${randomUUID()}`)

function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('The integration-postgres project needs TEST_DATABASE_URL')
  return url
}

if (postgres) {
  const url = new URL(baseUrl())
  // The file's own schema first; public after it, where the extensions (unaccent, pg_trgm) live.
  url.searchParams.set('options', `-c search_path=${schema},public`)
  process.env.DATABASE_URL = url.toString()
}

async function onServer(statement: string) {
  const client = new pg.Client({ connectionString: baseUrl() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

beforeAll(async () => {
  if (postgres) {
    await onServer(`create schema ${schema}`)
    await onServer('create extension if not exists unaccent schema public').catch(() => {})
    await onServer('create extension if not exists pg_trgm schema public').catch(() => {})
  }
  const { getDb } = await import('#app/utils/db.server.ts')
  await migrateToLatest(getDb())
})

afterAll(async () => {
  const { getDb } = await import('#app/utils/db.server.ts')
  await getDb().destroy()
  if (postgres) await onServer(`drop schema ${schema} cascade`)
  removeDatabaseFiles(file)
  rmSync(process.env.MAIL_OUTBOX!, { recursive: true, force: true })
})
