import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Full-text search over responses. One row per response (SQLite: rowid = responses.id): the
// words of every item, answer, public version and name.
//
// SQLite: FTS5, unicode61 with remove_diacritics 2 folding case and accents; a trigram table
// holds only texts with Chinese, Japanese or Korean, which have no spaces between words for
// unicode61 to split on.
//
// PostgreSQL: a table of the same texts with their tsvector in a GIN index, under a text search
// configuration of its own, portal_search: the 'simple' one (every language alike, no stemming,
// no stop words, as unicode61) with accents removed by the unaccent dictionary first; and a
// pg_trgm GIN index on the texts with CJK characters, for LIKE. The application writes the
// tsvector with the text (see app/models/search-postgres.server.ts for why it is capped).
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create extension if not exists unaccent`.execute(db)
    await sql`create extension if not exists pg_trgm`.execute(db)
    await sql`create text search configuration portal_search (copy = pg_catalog.simple)`.execute(db)
    await sql`alter text search configuration portal_search
      alter mapping for word, numword, hword, numhword, hword_part, hword_numpart
      with unaccent, simple`.execute(db)
    await db.schema
      .createTable('response_search')
      .addColumn('response_id', 'integer', (c) =>
        c.primaryKey().references('responses.id').onDelete('cascade'),
      )
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('cjk', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      .execute()
    await sql`create index response_search_tsv on response_search using gin (tsv)`.execute(db)
    await sql`create index response_search_trigram on response_search
      using gin (body gin_trgm_ops) where cjk`.execute(db)
    return
  }
  await sql`create virtual table response_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2')`.execute(
    db,
  )
  await sql`create virtual table response_fts_cjk using fts5(body, tokenize = 'trigram')`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.dropTable('response_search').execute()
    await sql`drop text search configuration portal_search`.execute(db)
    return
  }
  await sql`drop table response_fts_cjk`.execute(db)
  await sql`drop table response_fts`.execute(db)
}
