import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import { type RespondentTypeKey, stakeholderBalance } from '#app/analysis/stakeholders.ts'
import type { Database, Position } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'

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

// A campaign's members count as one text: the key is the cluster, or the response alone.
const uniqueKey = sql<number>`count(distinct case when r.cluster_id is null then -r.id else r.cluster_id end)`

/** All the counts of a round. `publishedOnly` for anything public. */
export async function roundStatistics(
  db: DB,
  { consultationId, publishedOnly = false }: { consultationId: number; publishedOnly?: boolean },
): Promise<RoundStatistics> {
  const where = scope(consultationId, publishedOnly)
  const totals = await db
    .selectFrom('responses as r')
    .where(where)
    .select([
      sql<number>`count(*)`.as('total'),
      uniqueKey.as('unique'),
      sql<number>`sum(case when r.status = 'published' and r.publication != 'not_published' then 1 else 0 end)`.as(
        'published',
      ),
    ])
    .executeTakeFirstOrThrow()
  const grouped = async (column: 'respondent_type' | 'country') =>
    (
      await db
        .selectFrom('responses as r')
        .where(where)
        .select([
          sql<string>`r.${sql.ref(column)}`.as('key'),
          sql<number>`count(*)`.as('count'),
          uniqueKey.as('unique'),
        ])
        .groupBy(`r.${column}`)
        .orderBy(sql`count(*)`, 'desc')
        .orderBy(sql`1`)
        .execute()
    ).map((row) => ({ key: String(row.key), count: Number(row.count), unique: Number(row.unique) }))
  const byType = (await grouped('respondent_type')) as Count<RespondentTypeKey>[]
  const positions = await db
    .selectFrom('response_items as i')
    .innerJoin('responses as r', 'r.id', 'i.response_id')
    .leftJoin('controls as c', 'c.id', 'i.control_id')
    .where(where)
    .select([
      'i.control_id',
      'c.reference',
      'c.title',
      'c.position as control_position',
      'i.position',
      sql<number>`count(*)`.as('count'),
      uniqueKey.as('unique'),
    ])
    .groupBy(['i.control_id', 'c.reference', 'c.title', 'c.position', 'i.position'])
    .orderBy('c.position')
    .execute()
  const controls = new Map<string, RoundStatistics['byControl'][number]>()
  for (const row of positions) {
    const key = String(row.control_id)
    const entry = controls.get(key) ?? {
      controlId: row.control_id,
      reference: row.reference,
      title: row.title,
      positions: [],
      total: 0,
    }
    entry.positions.push({
      key: row.position,
      count: Number(row.count),
      unique: Number(row.unique),
    })
    entry.total += Number(row.count)
    controls.set(key, entry)
  }
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
    total: Number(totals.total),
    uniqueTexts: Number(totals.unique),
    published: Number(totals.published ?? 0),
    byType,
    byStakeholder: stakeholderBalance(byType),
    byCountry: await grouped('country'),
    byControl: [...controls.values()],
    overTime: overTime.map((r) => ({ date: r.date, count: Number(r.count) })),
  }
}
