import { type Kysely, sql } from 'kysely'

// Full-text search over responses (SQLite FTS5; PostgreSQL will use tsvector
// and pg_trgm in a migration of its own). One row per response, rowid =
// responses.id: the words of every item, answer, public version and name.
// unicode61 with remove_diacritics 2 folds case and accents; the trigram
// table holds only texts with Chinese, Japanese or Korean, which have no
// spaces between words for unicode61 to split on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table response_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2')`.execute(
    db,
  )
  await sql`create virtual table response_fts_cjk using fts5(body, tokenize = 'trigram')`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table response_fts_cjk`.execute(db)
  await sql`drop table response_fts`.execute(db)
}
