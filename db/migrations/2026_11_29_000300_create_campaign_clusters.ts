import type { Kysely } from 'kysely'

// Mass-campaign detection: each response's MinHash signature, the LSH bucket
// keys that find its near-duplicates (a bucket keeps a few members only: a
// thousand identical copies need not a thousand rows per key), and the
// clusters found, each response pointing at its own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_clusters')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('representative_id', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('campaign_clusters_consultation_size')
    .on('campaign_clusters')
    .columns(['consultation_id', 'size'])
    .execute()
  await db.schema
    .alterTable('responses')
    .addColumn('cluster_id', 'integer', (c) =>
      c.references('campaign_clusters.id').onDelete('set null'),
    )
    .execute()
  await db.schema.createIndex('responses_cluster_id').on('responses').column('cluster_id').execute()
  await db.schema
    .createTable('response_signatures')
    .addColumn('response_id', 'integer', (c) =>
      c.primaryKey().notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('signature', 'blob', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('campaign_buckets')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('band_key', 'text', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_buckets_pk', ['consultation_id', 'band_key', 'response_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_buckets').execute()
  await db.schema.dropTable('response_signatures').execute()
  await db.schema.dropIndex('responses_cluster_id').execute()
  await db.schema.alterTable('responses').dropColumn('cluster_id').execute()
  await db.schema.dropTable('campaign_clusters').execute()
}
