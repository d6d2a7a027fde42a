import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { isPostgres } from '#db/postgres.ts'
import { jobHandlers } from '#app/jobs/kinds.server.ts'
import { type JobRunner, startJobRunner } from '#app/jobs/runner.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// A job runner for the tests that ask for reports and exports, which the server makes as jobs:
// started as the server starts it, on SQLite or through pg-boss on PostgreSQL.

/** pg-boss's schema for this file: beside the file's own (see tests/setup/integration.ts). */
function bossSchema(): string {
  const options = new URL(process.env.DATABASE_URL!).searchParams.get('options')!
  return `${/search_path=(\w+)/.exec(options)![1]}_boss`
}

/** Starts a runner with the portal's handlers, `handlers` replacing some of them. */
export function startTestRunner(handlers: Partial<typeof jobHandlers> = {}): Promise<JobRunner> {
  return startJobRunner({
    db: getDb(),
    handlers: { ...jobHandlers, ...handlers },
    postgres: isPostgres(getDb())
      ? { url: process.env.DATABASE_URL!, schema: bossSchema() }
      : undefined,
    pollMs: 200,
    log: () => {},
  })
}

/** Removes pg-boss's schema once the file's runners are stopped. */
export async function dropBossSchema(): Promise<void> {
  if (!isPostgres(getDb())) return
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(`drop schema if exists ${bossSchema()} cascade`)
  } finally {
    await client.end()
  }
}

/** A runner for every test of the file: started before the first, stopped after the last. */
export function runJobsInThisFile(): void {
  let runner: JobRunner | undefined
  beforeAll(async () => {
    runner = await startTestRunner()
  })
  afterAll(async () => {
    await runner?.stop()
    await dropBossSchema()
  })
}
