import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { schemaSpec } from '#db/schema.ts'
import { migrateToLatest, migrationProvider } from '#db/migrate.ts'
import { randomUUID } from 'node:crypto'
import { openDatabase } from '#db/connection.ts'
import { isPostgres, openPostgres } from '#db/postgres.ts'
import { getDb } from '#app/utils/db.server.ts'

const postgres = isPostgres(getDb())
/** PostgreSQL's names for the column types the migrations write as SQLite's (db/postgres.ts). */
const PG_TYPES: Record<string, string> = { int8: 'integer', bytea: 'blob', float8: 'real' }

/** The database's own tables: on PostgreSQL those of this test file's schema only. */
async function ownTables() {
  const db = getDb()
  const tables = await db.introspection.getTables()
  if (!postgres) return tables
  const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db)
  return tables.filter((t) => t.schema === rows[0]!.name)
}

const searchTable = (name: string) =>
  name.startsWith('response_fts') || name === 'response_search' || name === 'search_queue'

describe('the migrated database', () => {
  test('has exactly the tables and columns db/schema.ts declares, with the same types and nullability', async () => {
    // The full-text tables (SQLite's queue of responses to index, its FTS5 tables being in a
    // file of their own; PostgreSQL's response_search) belong to the search modules
    // (app/models/search-*.server.ts), not to the Kysely interface.
    const tables = (await ownTables()).filter((t) => !searchTable(t.name))
    const actual = Object.fromEntries(
      tables.map((t) => [
        t.name,
        Object.fromEntries(
          t.columns.map((c) => {
            const type = c.dataType.toLowerCase()
            return [c.name, `${PG_TYPES[type] ?? type}${c.isNullable ? '?' : ''}`]
          }),
        ),
      ]),
    )
    // INTEGER PRIMARY KEY is never null, though SQLite reports it as nullable.
    for (const table of Object.values(actual)) {
      if (table.id === 'integer?') table.id = 'integer'
    }
    expect(actual).toEqual(schemaSpec)
  })

  // SQLite's query planner and pragmas: PostgreSQL's are its own (see the test after).
  test.skipIf(postgres)(
    "walks a round's responses in id order without sorting the round",
    async () => {
      // The keyset batches of exports and rebuilds; sorting the round at each batch made them
      // quadratic (0.9 s a batch at a million responses).
      const plans = await sql<{ detail: string }>`
      explain query plan select r.id from responses r
      where r.consultation_id = ${1} and r.status != ${'draft'} and r.id > ${0}
      order by r.id limit 2000`.execute(getDb())
      const detail = plans.rows.map((row) => row.detail).join('\n')
      expect(detail).toContain('responses_consultation_id')
      expect(detail).not.toContain('TEMP B-TREE')
    },
  )

  // SQLite's query planner and pragmas: PostgreSQL's are its own (see the test after).
  test.skipIf(postgres)(
    'counts by country and by type from covering indexes, and finds countries one seek at a time',
    async () => {
      const plan = async (query: ReturnType<typeof sql>) =>
        (await sql<{ detail: string }>`explain query plan ${query}`.execute(getDb())).rows
          .map((row) => row.detail)
          .join('\n')
      // Without statistics SQLite takes the index whose order matches the GROUP BY; reading each
      // response's row for its status took 1.8 s at a million.
      expect(
        await plan(sql`select r.country, count(*) from responses r
        where r.consultation_id = ${1} and r.status in ('received', 'published', 'withheld')
        group by r.country`),
      ).toMatch(/COVERING INDEX/)
      expect(
        await plan(sql`select min(country) from responses
        where consultation_id = ${1} and country > ${'DK'}`),
      ).toMatch(
        /COVERING INDEX responses_consultation_country(_submitted)? \(consultation_id=\? AND country>\?\)/,
      )
      // The report's named respondents, a slice of names at a time, straight off their index.
      expect(
        await plan(sql`select distinct coalesce("organisation", "author_name") as "name"
        from responses where consultation_id = ${1} and status = 'published'
        and publication = 'named' and coalesce("organisation", "author_name") is not null
        and coalesce("organisation", "author_name") > ${'M'}
        order by "name" limit 5000`),
      ).toMatch(/responses_named/)
      // The same trap for the count by respondent type (see the 001000 migration).
      expect(
        await plan(sql`select r.respondent_type, count(*) from responses r
        where r.consultation_id = ${1} and r.status in ('received', 'published', 'withheld')
        group by r.respondent_type`),
      ).toMatch(/COVERING INDEX/)
    },
  )

  // SQLite's query planner and pragmas: PostgreSQL's are its own (see the test after).
  test.skipIf(postgres)(
    "walks one respondent type's or one country's responses newest first, without sorting",
    async () => {
      // The review queue with a type or country filter: a page fills from the newest of those
      // responses only (see the 001000 migration).
      const plan = async (filter: ReturnType<typeof sql>) =>
        (
          await sql<{ detail: string }>`explain query plan select r.id from responses r
          where r.consultation_id = ${1} and r.status != ${'draft'} and ${filter}
          order by r.submitted_at desc, r.id desc limit 51`.execute(getDb())
        ).rows
          .map((row) => row.detail)
          .join('\n')
      const byType = await plan(sql`r.respondent_type = ${'company'}`)
      expect(byType).toContain('responses_consultation_type_submitted')
      expect(byType).not.toContain('TEMP B-TREE')
      const byCountry = await plan(sql`r.country = ${'DK'}`)
      expect(byCountry).toContain('responses_consultation_country_submitted')
      expect(byCountry).not.toContain('TEMP B-TREE')
      const both = await plan(sql`r.respondent_type = ${'company'} and r.country = ${'DK'}`)
      expect(both).toMatch(/responses_consultation_(type|country)_submitted/)
      expect(both).not.toContain('TEMP B-TREE')
    },
  )

  // SQLite's query planner and pragmas: PostgreSQL's are its own (see the test after).
  test.skipIf(postgres)(
    'opens with WAL, foreign keys on, durable commits and a busy timeout',
    async () => {
      const db = getDb()
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0]
      expect(await pragma('journal_mode')).toBe('wal')
      expect(await pragma('foreign_keys')).toBe(1)
      expect(await pragma('synchronous')).toBe(2) // FULL
      expect(await pragma('busy_timeout')).toBe(50)
    },
  )

  test.runIf(postgres)(
    'searches every language alike, accents and case folded, in a configuration of its own',
    async () => {
      const { rows } = await sql<{
        words: string
      }>`select to_tsvector('portal_search', 'Biométrie FACIALE, überwachung') as words`.execute(
        getDb(),
      )
      expect(rows[0]!.words).toBe("'biometrie':1 'faciale':2 'uberwachung':3")
    },
  )

  test('refuses rows that break a foreign key', async () => {
    const now = new Date().toISOString()
    await expect(
      getDb()
        .insertInto('controls')
        .values({
          consultation_id: 999_999,
          position: 0,
          reference: 'X',
          title: 'Orphan',
          created_at: now,
          updated_at: now,
          amended_at: null,
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY|foreign key constraint/)
  })

  test('keeps the audit log append-only', async () => {
    const db = getDb()
    await db
      .insertInto('audit_log')
      .values({
        actor_id: 1,
        actor_role: 'official',
        action: 'test',
        entity_type: 'consultation',
        entity_id: '1',
        before: null,
        after: null,
        created_at: new Date().toISOString(),
      })
      .execute()
    await expect(
      db.updateTable('audit_log').set({ action: 'rewritten' }).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
  })

  test('every migration can be undone and redone', async () => {
    const { Migrator, NO_MIGRATIONS } = await import('kysely/migration')
    // A database of its own: an SQLite one in memory, or a new schema on the PostgreSQL server.
    const schema = `undo_${randomUUID().replace(/-/g, '')}`
    let db
    if (postgres) {
      await sql.raw(`create schema ${schema}`).execute(getDb())
      const url = new URL(process.env.DATABASE_URL!)
      url.searchParams.set('options', `-c search_path=${schema},public`)
      db = openPostgres(url.toString(), { max: 1 })
    } else {
      db = openDatabase(':memory:')
    }
    const tableNames = async () =>
      (await db.introspection.getTables())
        .filter((t) => !postgres || t.schema === schema)
        .map((t) => t.name)
    try {
      await migrateToLatest(db)
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(postgres ? { migrationTableSchema: schema } : {}),
      })
      const down = await migrator.migrateTo(NO_MIGRATIONS)
      expect(down.error).toBeUndefined()
      expect(await tableNames()).toEqual([])
      await migrateToLatest(db)
      const names = await tableNames()
      expect(names.filter((n) => !searchTable(n)).sort()).toEqual(Object.keys(schemaSpec).sort())
      expect(names).toContain(postgres ? 'response_search' : 'search_queue')
      // SQLite's old full-text tables are gone from the portal's file: the search file has them.
      if (!postgres) expect(names.filter((n) => n.startsWith('response_fts'))).toEqual([])
    } finally {
      await db.destroy()
      if (postgres) await sql.raw(`drop schema ${schema} cascade`).execute(getDb())
    }
  })
})
