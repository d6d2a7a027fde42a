// The benchmark's PostgreSQL: a schema of its own in the database given (`bench_<ms>`), which
// the servers and the in-process phases reach through search_path, and which is dropped at the
// end, so a run leaves the database as it found it and runs beside others' tests.
import pg from 'pg'

export interface BenchSchema {
  name: string
  /** The database's URL with `options=-c search_path=<schema>,public`. */
  url: string
  drop: () => Promise<void>
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Creates the run's schema; throws at once if the database cannot be reached. */
export async function createBenchSchema(databaseUrl: string): Promise<BenchSchema> {
  const name = `bench_${Date.now()}`
  await withClient(databaseUrl, async (client) => {
    // In public, before the migrations run: their `create extension if not exists` would
    // otherwise put them in the first schema of search_path, the bench's, and dropping it would
    // take them from everyone else using the database.
    await client.query('create extension if not exists unaccent schema public')
    await client.query('create extension if not exists pg_trgm schema public')
    await client.query(`create schema ${ident(name)}`)
  })
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${name},public`)
  let dropped = false
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return
      dropped = true
      await withClient(databaseUrl, (client) =>
        client.query(`drop schema if exists ${ident(name)} cascade`),
      )
    },
  }
}

/**
 * VACUUM (ANALYZE) of every table of the schema: planner statistics for the search's plans, and
 * the visibility map set, so that autovacuum does not start on the freshly copied tables in the
 * middle of a measurement and index-only scans need not visit the heap.
 */
export async function vacuumAnalyze(schemaUrl: string): Promise<void> {
  await withClient(schemaUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      'select tablename as name from pg_tables where schemaname = current_schema() order by 1',
    )
    if (rows.length) {
      await client.query(`vacuum (analyze) ${rows.map((r) => ident(r.name)).join(', ')}`)
    }
  })
}
