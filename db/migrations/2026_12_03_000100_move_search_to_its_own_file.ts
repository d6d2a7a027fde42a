import { type Kysely, PostgresAdapter, sql } from 'kysely'

// SQLite's full-text index moves to a file of its own, written by a thread of its own (see
// db/search-file.ts for why). What stays in the portal's file is the queue of responses to
// index: a response's transaction notes its id there, so that a crash loses no note. The old
// tables go: the indexer builds the new file from the responses themselves (their texts are
// all in the portal's file), while the server answers. PostgreSQL keeps its index in its tables
// (tsvector in GIN), written in the response's transaction as before.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`create table search_queue (
    id integer primary key autoincrement,
    response_id integer not null
  )`.execute(db)
  await sql`drop table if exists main.response_fts_vocab`.execute(db)
  await sql`drop table if exists main.response_fts_cjk`.execute(db)
  await sql`drop table if exists main.response_fts`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`drop table search_queue`.execute(db)
  // Empty: the earlier code indexes what it writes from then on (`npm run db:copy` rebuilds).
  await sql`create virtual table main.response_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2')`.execute(
    db,
  )
  await sql`create virtual table main.response_fts_cjk using fts5(body, tokenize = 'trigram')`.execute(
    db,
  )
  await sql`create virtual table main.response_fts_vocab using fts5vocab(response_fts, row)`.execute(
    db,
  )
}
