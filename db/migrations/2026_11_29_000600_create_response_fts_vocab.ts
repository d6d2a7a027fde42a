import { type Kysely, PostgresAdapter, sql } from 'kysely'

// The words in the full-text index, for expanding a prefix search ("encrypt*") into the words it
// begins: FTS5 answers a prefix longer than its prefix indexes (2 to 4 characters) by merging
// every matching word's rows in full, which at a million responses costs tens of milliseconds
// per query and again for each snippet. SQLite only: PostgreSQL's GIN index answers a prefix
// (`encrypt:*`) by itself.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`create virtual table response_fts_vocab using fts5vocab(response_fts, row)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`drop table response_fts_vocab`.execute(db)
}
