import { type Kysely, PostgresAdapter, sql } from 'kysely'

// SQLite's FTS5 merges its index's segments as it writes (automerge): the submission whose
// write crossed a merge's turn did that merge's share in its own statement, and at a million
// responses that held the server's thread for 50 to 200 ms. The server now merges in small
// steps between requests (app/server/search-merger.server.ts); FTS5 merges on its own only
// when a level of the index fills up (crisismerge). README, Decisions, 2026-12-02.
const TABLES = ['response_fts', 'response_fts_cjk'] as const

async function setAutomerge(db: Kysely<any>, value: number) {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  for (const table of TABLES) {
    await sql`insert into ${sql.table(table)} (${sql.ref(table)}, rank) values ('automerge', ${sql.lit(Math.trunc(value))})`.execute(
      db,
    )
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await setAutomerge(db, 0)
}

export async function down(db: Kysely<any>): Promise<void> {
  // FTS5's default.
  await setAutomerge(db, 4)
}
