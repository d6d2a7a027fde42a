import { type Kysely, sql } from 'kysely'

// Statistics kept as responses change, instead of counted at each look (README, Decisions,
// 2026-12-02, statistics): 2.5 s at a million responses, on the server's only thread.
//
// stat_counts: responses per (scope, dimension, key). Scope 'all' is what officials count
//   (received, published or withheld); 'public' is what the public sees (published, and not
//   "do not publish"). Dimensions: 'total' (key ''), 'type', 'country', 'day' (UTC date) and
//   'position' (key '<control id or 0>|<position>', one per item of a response).
// stat_campaigns: in one generation of a round's campaigns, how many members of each campaign
//   fall under each key; stat_campaign_keys sums it per key: how many campaigns have members
//   there, and how many members. A key's texts, each campaign counted once, are then its
//   count, less its campaign members, plus its campaigns.
//
// The tables are filled here from the responses as they are.
const SCOPES = {
  all: sql`r.status in ('received', 'published', 'withheld')`,
  public: sql`r.status = 'published' and r.publication <> 'not_published'`,
}
const DIMENSIONS = {
  total: { key: sql`''`, items: false },
  type: { key: sql`r.respondent_type`, items: false },
  country: { key: sql`r.country`, items: false },
  day: { key: sql`substr(r.submitted_at, 1, 10)`, items: false },
  position: {
    key: sql`coalesce(cast(i.control_id as text), '0') || '|' || i.position`,
    items: true,
  },
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stat_counts')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_counts_pk', ['consultation_id', 'scope', 'dimension', 'key'])
    .execute()
  await db.schema
    .createTable('stat_campaigns')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('cluster_id', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_campaigns_pk', [
      'consultation_id',
      'generation',
      'cluster_id',
      'scope',
      'dimension',
      'key',
    ])
    .execute()
  await db.schema
    .createTable('stat_campaign_keys')
    .addColumn('consultation_id', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('clusters', 'integer', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_campaign_keys_pk', [
      'consultation_id',
      'generation',
      'scope',
      'dimension',
      'key',
    ])
    .execute()
  for (const [scope, where] of Object.entries(SCOPES)) {
    for (const [dimension, { key, items }] of Object.entries(DIMENSIONS)) {
      const join = items ? sql`join response_items i on i.response_id = r.id` : sql``
      // PostgreSQL refuses a constant in GROUP BY: the total has no key to group by.
      const byKey = dimension === 'total' ? sql`` : sql`, ${key}`
      await sql`insert into stat_counts (consultation_id, scope, dimension, key, count)
        select r.consultation_id, ${scope}, ${dimension}, ${key}, count(*)
        from responses r ${join}
        where ${where}
        group by r.consultation_id${byKey}`.execute(db)
      // Every campaign membership is of generation 0 here (migration 2026_12_02_000200).
      await sql`insert into stat_campaigns
          (consultation_id, generation, cluster_id, scope, dimension, key, members)
        select r.consultation_id, m.generation, m.cluster_id, ${scope}, ${dimension}, ${key}, count(*)
        from responses r
        join campaign_members m on m.response_id = r.id and m.consultation_id = r.consultation_id
        ${join}
        where ${where}
        group by r.consultation_id, m.generation, m.cluster_id${byKey}`.execute(db)
    }
  }
  await sql`insert into stat_campaign_keys
      (consultation_id, generation, scope, dimension, key, clusters, members)
    select consultation_id, generation, scope, dimension, key, count(*), sum(members)
    from stat_campaigns
    group by consultation_id, generation, scope, dimension, key`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stat_campaign_keys').execute()
  await db.schema.dropTable('stat_campaigns').execute()
  await db.schema.dropTable('stat_counts').execute()
}
