import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Campaign detection, second version: signatures are now one-permutation MinHash (see
// app/analysis/minhash.ts), so the stored ones can no longer be compared with new ones and are
// dropped; LSH band keys become integers (band * 2^32 + a 32-bit hash) instead of text, and the
// bucket table loses its rowid: it is all primary key (a SQLite clause, which PostgreSQL's
// version of this migration leaves out), half the size on disk and written in key order by a
// rebuild. `npm start` rebuilds the campaigns of every round whose signatures are missing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_buckets').execute()
  await db.schema
    .createTable('campaign_buckets')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('band_key', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_buckets_pk', ['consultation_id', 'band_key', 'response_id'])
    .modifyEnd(db.getExecutor().adapter instanceof PostgresAdapter ? sql`` : sql`without rowid`)
    .execute()
  await db.deleteFrom('response_signatures').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_buckets').execute()
  await db.schema
    .createTable('campaign_buckets')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('band_key', 'text', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_buckets_pk', ['consultation_id', 'band_key', 'response_id'])
    .execute()
  await db.deleteFrom('response_signatures').execute()
}
