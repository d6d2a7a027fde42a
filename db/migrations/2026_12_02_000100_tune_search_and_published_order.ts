import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Two findings of the benchmark on PostgreSQL (README, Decisions, 2026-12-02):
//
// - The published responses of a round, newest first (the open-data API, the public list), are
//   read in (submitted_at, id) order. SQLite's index on (consultation_id, status, submitted_at)
//   ends in the rowid, so it serves that order as it is; PostgreSQL's does not, and walked past
//   every newer unpublished response (16,552 rows, 16.7 ms at 100,000). The index now names id
//   last on both engines: the same index for SQLite, the order PostgreSQL needs.
// - PostgreSQL: a response's tsvector (about 1.4 KB) was stored out of line (TOAST), and a phrase,
//   which the GIN index cannot check by itself, read every candidate's back: 44,000 buffers for
//   one page. Kept in the row it costs a quarter of that. The rows are rewritten for it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_consultation_status_submitted').execute()
  await db.schema
    .createIndex('responses_consultation_status_submitted')
    .on('responses')
    .columns(['consultation_id', 'status', 'submitted_at', 'id'])
    .execute()
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table response_search alter column tsv set storage main`.execute(db)
    await sql`update response_search set tsv = tsv || ''::tsvector`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table response_search alter column tsv set storage extended`.execute(db)
  }
  await db.schema.dropIndex('responses_consultation_status_submitted').execute()
  await db.schema
    .createIndex('responses_consultation_status_submitted')
    .on('responses')
    .columns(['consultation_id', 'status', 'submitted_at'])
    .execute()
}
