import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import { type RespondentTypeKey, stakeholderBalance } from '#app/analysis/stakeholders.ts'
import type { Database, Position } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { liveGeneration } from '#app/models/campaigns.server.ts'
import { PUBLIC_TTL_MS, cachedAdaptive } from '#app/utils/ttl-cache.server.ts'

// Counts for the analysis page, the report and the public API, computed in
// SQL (GROUP BY) so that a million responses never come into memory.

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

/** All the counts of a round. `publishedOnly` for anything public. */
export async function roundStatistics(
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

/**
 * The public statistics of a round (published responses only), kept as public pages are (see
 * cachedAdaptive): they cost 2 s at a million responses, during which the server answers
 * nothing else, and the open API would otherwise compute them at every request.
 */
export function publicStatistics(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<RoundStatistics> {
  return cachedAdaptive(`statistics:${consultationId}`, PUBLIC_TTL_MS, () =>
    roundStatistics(db, { consultationId, publishedOnly: true }),
  )
}

/** Officials' statistics are kept at least this long (ms), longer when they take long to count. */
export const OFFICIAL_TTL_MS = 1000

/**
 * Officials' statistics of a round (every response counted), with the time they were counted.
 * Kept as cachedAdaptive keeps values: at least a second, or 20 times as long as counting took
 * (about 50 s at a million responses, where counting takes 2.5 s during which the server answers
 * nothing else), so officials looking at a large round do not stop its submissions. Officials'
 * own changes clear it (clearCache); new responses show when it expires.
 */
export function officialStatistics(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<RoundStatistics & { countedAt: string }> {
  return cachedAdaptive(`official-statistics:${consultationId}`, OFFICIAL_TTL_MS, async () => ({
    ...(await roundStatistics(db, { consultationId })),
    countedAt: new Date().toISOString(),
  }))
}
