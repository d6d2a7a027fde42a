import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import { type RespondentTypeKey, stakeholderBalance } from '#app/analysis/stakeholders.ts'
import type { Database, Position } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { campaignGenerations, liveGeneration } from '#app/models/campaigns.server.ts'
import { readCounts } from '#app/models/round-counts.server.ts'

// Counts for the analysis page, the report and the public API. They are kept as responses
// change (round-counts.server.ts) and read here in a few milliseconds at any size;
// recountStatistics counts the same from scratch in SQL (GROUP BY, so that a million responses
// never come into memory), to check them.

export interface Count<K extends string = string> {
  key: K
  count: number
  /** Counting each mass campaign once. */
  unique: number
}

export interface RoundStatistics {
  total: number
  uniqueTexts: number
  published: number
  byType: Count<RespondentTypeKey>[]
  byStakeholder: (Count<ReturnType<typeof stakeholderBalance>[number]['key']> & { share: number })[]
  byCountry: Count[]
  byControl: {
    controlId: number | null
    reference: string | null
    title: string | null
    positions: Count<Position>[]
    total: number
  }[]
  overTime: { date: string; count: number }[]
}

type Builder = ExpressionBuilder<Database & { r: Database['responses'] }, 'r'>

/** Which responses a statistic counts: every real one (spam, withdrawn and drafts left out), or only published ones. */
function scope(consultationId: number, publishedOnly: boolean) {
  return (eb: Builder): Expression<SqlBool> =>
    publishedOnly
      ? eb.and([
          eb('r.consultation_id', '=', consultationId),
          eb('r.status', '=', 'published'),
          eb('r.publication', '!=', 'not_published'),
        ])
      : eb.and([
          eb('r.consultation_id', '=', consultationId),
          eb('r.status', 'in', ['received', 'published', 'withheld']),
        ])
}

// A campaign's members count as one text. Each count is grouped by campaign as well (responses
// outside any campaign in one group): a key's unique texts are then its responses outside
// campaigns plus the campaigns it has members in. `count(distinct ...)` over a million responses
// sorted them all, seconds per statistic; these groups come straight off the covering index
// responses_statistics.
interface ClusterGroup {
  cluster_id: number | null
  count: number | string | bigint
}

function countsOf<K extends string>(rows: (ClusterGroup & { key: K })[]): Count<K>[] {
  const counts = new Map<K, Count<K>>()
  for (const row of rows) {
    const entry = counts.get(row.key) ?? { key: row.key, count: 0, unique: 0 }
    const n = Number(row.count)
    entry.count += n
    entry.unique += row.cluster_id === null ? n : 1
    counts.set(row.key, entry)
  }
  return [...counts.values()].sort(
    (x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
  )
}

/** A round's responses, each with its campaign (m.cluster_id, null outside any) as people see it. */
function responsesWithCampaigns(db: DB, consultationId: number) {
  return db
    .selectFrom('responses as r')
    .leftJoin('campaign_members as m', (join) =>
      join
        .onRef('m.response_id', '=', 'r.id')
        .on('m.consultation_id', '=', consultationId)
        .on('m.generation', '=', liveGeneration(consultationId)),
    )
}

/** All the counts of a round, counted from scratch: the check of the kept ones. `publishedOnly` for anything public. */
export async function recountStatistics(
  db: DB,
  { consultationId, publishedOnly = false }: { consultationId: number; publishedOnly?: boolean },
): Promise<RoundStatistics> {
  const where = scope(consultationId, publishedOnly)
  const totals = await responsesWithCampaigns(db, consultationId)
    .where(where)
    .select([
      'm.cluster_id',
      sql<number>`count(*)`.as('count'),
      sql<number>`sum(case when r.status = 'published' and r.publication != 'not_published' then 1 else 0 end)`.as(
        'published',
      ),
    ])
    .groupBy('m.cluster_id')
    .execute()
  const [all] = countsOf(totals.map((row) => ({ ...row, key: 'all' as const })))
  const grouped = async (column: 'respondent_type' | 'country') =>
    countsOf(
      (
        await responsesWithCampaigns(db, consultationId)
          .where(where)
          .select([
            sql<string>`r.${sql.ref(column)}`.as('key'),
            'm.cluster_id',
            sql<number>`count(*)`.as('count'),
          ])
          .groupBy([`r.${column}`, 'm.cluster_id'])
          .execute()
      ).map((row) => ({ ...row, key: String(row.key) })),
    )
  const byType = (await grouped('respondent_type')) as Count<RespondentTypeKey>[]
  // Between the round's first and last ids, SQLite walks the round's responses in id order and
  // finds each one's items beside the previous ones': 1.3 s at a million responses, against 4 s
  // when it took them in the order of the statistics index.
  const idRange = async (direction: 'asc' | 'desc') =>
    (
      await db
        .selectFrom('responses')
        .where('consultation_id', '=', consultationId)
        .orderBy('id', direction)
        .select('id')
        .limit(1)
        .executeTakeFirst()
    )?.id ?? 0
  const [firstId, lastId] = [await idRange('asc'), await idRange('desc')]
  const positions = await responsesWithCampaigns(db, consultationId)
    .innerJoin('response_items as i', 'i.response_id', 'r.id')
    .where(where)
    .where('r.id', '>=', firstId)
    .where('r.id', '<=', lastId)
    .select(['i.control_id', 'i.position', 'm.cluster_id', sql<number>`count(*)`.as('count')])
    .groupBy(['i.control_id', 'i.position', 'm.cluster_id'])
    .execute()
  const controlRows = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .select(['id', 'reference', 'title', 'position'])
    .execute()
  const controlOf = new Map(controlRows.map((c) => [c.id, c]))
  const byControlId = new Map<number | null, (ClusterGroup & { key: Position })[]>()
  for (const row of positions) {
    const list = byControlId.get(row.control_id) ?? []
    list.push({ ...row, key: row.position })
    byControlId.set(row.control_id, list)
  }
  const controls = [...byControlId]
    .map(([controlId, rows]) => {
      const control = controlId === null ? undefined : controlOf.get(controlId)
      const counts = countsOf(rows)
      return {
        controlId,
        reference: control?.reference ?? null,
        title: control?.title ?? null,
        // Positions in their usual order, as the table and chart show them.
        positions: counts.sort((x, y) => x.key.localeCompare(y.key)),
        total: counts.reduce((sum, c) => sum + c.count, 0),
        order: control?.position ?? -1,
      }
    })
    .sort((x, y) => x.order - y.order)
    .map(({ order: _order, ...control }) => control)
  const overTime = await db
    .selectFrom('responses as r')
    .where(where)
    .select([
      sql<string>`substr(r.submitted_at, 1, 10)`.as('date'),
      sql<number>`count(*)`.as('count'),
    ])
    .groupBy(sql`substr(r.submitted_at, 1, 10)`)
    .orderBy('date')
    .execute()
  return {
    total: all?.count ?? 0,
    uniqueTexts: all?.unique ?? 0,
    published: totals.reduce((sum, row) => sum + Number(row.published ?? 0), 0),
    byType,
    byStakeholder: stakeholderBalance(byType),
    byCountry: await grouped('country'),
    byControl: controls,
    overTime: overTime.map((r) => ({ date: r.date, count: Number(r.count) })),
  }
}

/** The kept counts of a round, as statistics. `publishedOnly` for anything public. */
export async function roundStatistics(
  db: DB,
  { consultationId, publishedOnly = false }: { consultationId: number; publishedOnly?: boolean },
): Promise<RoundStatistics> {
  const scope = publishedOnly ? 'public' : 'all'
  const { live } = await campaignGenerations(db, consultationId)
  const kept = await readCounts(db, { consultationId, generation: live })
  const campaignsOf = new Map<string, { clusters: number; members: number }>()
  for (const c of kept.campaigns) {
    if (c.scope === scope) campaignsOf.set(`${c.dimension}|${c.key}`, c)
  }
  const countsBy = (dimension: string) => {
    const counts: Count[] = []
    for (const c of kept.counts) {
      if (c.scope !== scope || c.dimension !== dimension) continue
      const campaigns = campaignsOf.get(`${dimension}|${c.key}`)
      counts.push({
        key: c.key,
        count: c.count,
        unique: c.count - (campaigns?.members ?? 0) + (campaigns?.clusters ?? 0),
      })
    }
    return counts.sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
  }
  const [all] = countsBy('total')
  const [published] = kept.counts.filter((c) => c.scope === 'public' && c.dimension === 'total')
  const byType = countsBy('type') as Count<RespondentTypeKey>[]
  const controlRows = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .select(['id', 'reference', 'title', 'position'])
    .execute()
  const controlOf = new Map(controlRows.map((c) => [c.id, c]))
  const byControlId = new Map<number | null, Count<Position>[]>()
  for (const c of countsBy('position')) {
    const [control, position] = c.key.split('|') as [string, Position]
    const controlId = control === '0' ? null : Number(control)
    const list = byControlId.get(controlId) ?? []
    list.push({ ...c, key: position })
    byControlId.set(controlId, list)
  }
  const controls = [...byControlId]
    .map(([controlId, counts]) => {
      const control = controlId === null ? undefined : controlOf.get(controlId)
      return {
        controlId,
        reference: control?.reference ?? null,
        title: control?.title ?? null,
        positions: counts.sort((x, y) => x.key.localeCompare(y.key)),
        total: counts.reduce((sum, c) => sum + c.count, 0),
        order: control?.position ?? -1,
      }
    })
    .sort((x, y) => x.order - y.order)
    .map(({ order: _order, ...control }) => control)
  return {
    total: all?.count ?? 0,
    uniqueTexts: all?.unique ?? 0,
    published: published?.count ?? 0,
    byType,
    byStakeholder: stakeholderBalance(byType),
    byCountry: countsBy('country'),
    byControl: controls,
    overTime: countsBy('day')
      .map((c) => ({ date: c.key, count: c.count }))
      .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
  }
}

/**
 * Where the kept statistics of a round differ from a count from scratch: empty when they
 * agree. What an operator runs to trust them (`npm run db:check-counts`), and the tests.
 */
export async function checkStatistics(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<string[]> {
  const differences: string[] = []
  for (const publishedOnly of [false, true]) {
    const kept = await roundStatistics(db, { consultationId, publishedOnly })
    const counted = await recountStatistics(db, { consultationId, publishedOnly })
    const normal = (stats: RoundStatistics) =>
      JSON.stringify({
        ...stats,
        byControl: [...stats.byControl].sort((x, y) => (x.controlId ?? 0) - (y.controlId ?? 0)),
      })
    if (normal(kept) !== normal(counted)) {
      differences.push(
        `${publishedOnly ? 'public' : 'officials'} statistics of round ${consultationId}: kept ${normal(kept)}, counted ${normal(counted)}`,
      )
    }
  }
  return differences
}

/** The public statistics of a round (published responses only): read from the kept counts. */
export function publicStatistics(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<RoundStatistics> {
  return roundStatistics(db, { consultationId, publishedOnly: true })
}

/**
 * Officials' statistics of a round (every response counted), with the time they were read:
 * kept as responses change, so never stale.
 */
export async function officialStatistics(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<RoundStatistics & { countedAt: string }> {
  return {
    ...(await roundStatistics(db, { consultationId })),
    countedAt: new Date().toISOString(),
  }
}
