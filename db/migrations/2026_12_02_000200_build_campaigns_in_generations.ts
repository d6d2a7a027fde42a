import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Campaigns are rebuilt as a background job, beside the ones people see (README, Decisions,
// 2026-12-02, jobs). A round's campaigns now belong to a generation: the round names the one in
// use (campaign_generation) and, while a rebuild runs, the one being built (campaign_building).
// Membership moves from responses.cluster_id to campaign_members, so that a rebuild can write a
// million memberships beside the old ones in short transactions and switch to them with one
// update of the round. Responses that change while a rebuild runs are noted in campaign_pending
// and brought into the new generation before the switch.
//
// The buckets gain the generation in their key. They and the signatures are dropped rather than
// copied: at a million responses the copy would hold start-up for minutes, and `npm start` now
// rebuilds the rounds without signatures as a job, after it starts serving, while the old
// clusters stay in place.
/** The indexes on responses that covered cluster_id (migrations 000700, 000900 and 001000 of 2026-11-29). */
const COVERING: [string, string[]][] = [
  [
    'responses_statistics',
    [
      'consultation_id',
      'status',
      'publication',
      'respondent_type',
      'country',
      'cluster_id',
      'submitted_at',
    ],
  ],
  [
    'responses_consultation_country',
    ['consultation_id', 'country', 'status', 'publication', 'cluster_id'],
  ],
  [
    'responses_consultation_type_submitted',
    ['consultation_id', 'respondent_type', 'submitted_at', 'id', 'status', 'cluster_id'],
  ],
]

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .alterTable('consultations')
    .addColumn('campaign_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('consultations').addColumn('campaign_building', 'integer').execute()
  await db.schema
    .alterTable('campaign_clusters')
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.dropIndex('campaign_clusters_consultation_size').execute()
  await db.schema
    .createIndex('campaign_clusters_round_generation_size')
    .on('campaign_clusters')
    .columns(['consultation_id', 'generation', 'size'])
    .execute()
  await db.schema
    .createTable('campaign_members')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addColumn('cluster_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_members_pk', [
      'consultation_id',
      'generation',
      'response_id',
    ])
    .modifyEnd(postgres ? sql`` : sql`without rowid`)
    .execute()
  await db.schema
    .createIndex('campaign_members_cluster')
    .on('campaign_members')
    .columns(['cluster_id', 'response_id'])
    .execute()
  await sql`insert into campaign_members (consultation_id, generation, response_id, cluster_id)
    select consultation_id, 0, id, cluster_id from responses where cluster_id is not null`.execute(
    db,
  )
  await db.schema.dropIndex('responses_cluster_id').execute()
  // Three covering indexes named the column: they are made again without it.
  for (const [name] of COVERING) await db.schema.dropIndex(name).execute()
  await db.schema.alterTable('responses').dropColumn('cluster_id').execute()
  for (const [name, columns] of COVERING) {
    await db.schema
      .createIndex(name)
      .on('responses')
      .columns(columns.filter((c) => c !== 'cluster_id'))
      .execute()
  }
  await db.schema
    .createTable('campaign_pending')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_pending_pk', ['consultation_id', 'response_id'])
    .execute()
  await db.schema.dropTable('campaign_buckets').execute()
  await db.schema
    .createTable('campaign_buckets')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('band_key', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_buckets_pk', [
      'consultation_id',
      'generation',
      'band_key',
      'response_id',
    ])
    .modifyEnd(postgres ? sql`` : sql`without rowid`)
    .execute()
  await db.deleteFrom('response_signatures').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema.dropTable('campaign_buckets').execute()
  await db.schema
    .createTable('campaign_buckets')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('band_key', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_buckets_pk', ['consultation_id', 'band_key', 'response_id'])
    .modifyEnd(postgres ? sql`` : sql`without rowid`)
    .execute()
  await db.deleteFrom('response_signatures').execute()
  await db.schema.dropTable('campaign_pending').execute()
  await db.schema
    .alterTable('responses')
    .addColumn('cluster_id', 'integer', (c) =>
      c.references('campaign_clusters.id').onDelete('set null'),
    )
    .execute()
  await db.schema.createIndex('responses_cluster_id').on('responses').column('cluster_id').execute()
  for (const [name, columns] of COVERING) {
    await db.schema.dropIndex(name).execute()
    await db.schema.createIndex(name).on('responses').columns(columns).execute()
  }
  // The generation in use is the one the responses point at again; the others go.
  await sql`update responses set cluster_id = (
      select m.cluster_id from campaign_members m
      join consultations c on c.id = m.consultation_id and c.campaign_generation = m.generation
      where m.response_id = responses.id)`.execute(db)
  await sql`delete from campaign_clusters where generation <> (
      select campaign_generation from consultations c where c.id = campaign_clusters.consultation_id)`.execute(
    db,
  )
  await db.schema.dropTable('campaign_members').execute()
  await db.schema.dropIndex('campaign_clusters_round_generation_size').execute()
  await db.schema.alterTable('campaign_clusters').dropColumn('generation').execute()
  await db.schema
    .createIndex('campaign_clusters_consultation_size')
    .on('campaign_clusters')
    .columns(['consultation_id', 'size'])
    .execute()
  await db.schema.alterTable('consultations').dropColumn('campaign_building').execute()
  await db.schema.alterTable('consultations').dropColumn('campaign_generation').execute()
}
