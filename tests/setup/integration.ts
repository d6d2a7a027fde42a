import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { migrateToLatest } from '#db/migrate.ts'

// Each test file gets its own freshly migrated SQLite file.
const dir = path.resolve('tests/.tmp')
mkdirSync(dir, { recursive: true })
const file = path.join(dir, `integration-${randomUUID()}.sqlite`)
process.env.DATABASE_PATH = file
process.env.SESSION_SECRET = 'integration-test-secret'
process.env.MAIL_OUTBOX = path.join(dir, `outbox-${randomUUID()}`)

beforeAll(async () => {
  const { getDb } = await import('#app/utils/db.server.ts')
  await migrateToLatest(getDb())
})

afterAll(async () => {
  const { getDb } = await import('#app/utils/db.server.ts')
  await getDb().destroy()
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  rmSync(process.env.MAIL_OUTBOX!, { recursive: true, force: true })
})
