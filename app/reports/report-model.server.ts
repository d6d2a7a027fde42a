import type { TFunction } from 'i18next'
import { countClusters, listClusters, publicCampaignTexts } from '#app/models/campaigns.server.ts'
import { officialStatistics } from '#app/models/statistics.server.ts'
import { listSummaries } from '#app/models/summaries.server.ts'
import { listTags } from '#app/models/tags.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { countryName } from '#app/utils/display-names.ts'
import { formatDate, formatDateTime, formatNumber } from '#app/utils/format.ts'
import { NAMED_MAX, type ReportModel } from './report-model.ts'

/** Markdown to plain paragraphs for documents: markup dropped, paragraphs kept. */
function paragraphs(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .replace(/^#+\s*/gm, '')
        .replace(/^\s*[-*+]\s+/gm, '• ')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/[*_`>]/g, '')
        .replace(/\s*\n\s*/g, ' ')
        .trim(),
    )
    .filter(Boolean)
}

/** Everything the summary report says, gathered from the database and translated. */
/** Names read per query for the annex of named respondents. */
const NAME_SLICE = 5000

export async function buildReportModel(
  db: DB,
  {
    consultationId,
    t,
    locale,
    timeZone,
    namedMax = NAMED_MAX,
  }: {
    consultationId: number
    t: TFunction
    locale: string
    timeZone: string
    /** The most names the annex lists (tests lower it). */
    namedMax?: number
  },
): Promise<ReportModel> {
  const round = await db
    .selectFrom('consultations')
    .where('id', '=', consultationId)
    .select(['title', 'summary', 'opens_at', 'closes_at'])
    .executeTakeFirstOrThrow()
  const stats = await officialStatistics(db, { consultationId })
  const summaries = (await listSummaries(db, { consultationId })).filter(
    (s) => s.state === 'approved',
  )
  const tags = await listTags(db, { consultationId })
  // The annex shows the 50 largest campaigns; counting the rest is enough for the method. (All
  // of them with their members' statuses was a grouping of every member, 0.5 s at a million.)
  const clusterCount = await countClusters(db, { consultationId })
  const clusters = await listClusters(db, { consultationId, limit: 50 })
  // The report is published as it stands: a campaign is quoted only from a published member.
  const campaignTextsShown = await publicCampaignTexts(db, {
    consultationId,
    clusterIds: clusters.slice(0, 50).map((c) => c.id),
  })
  const controls = await db
    .selectFrom('controls')
    .where('consultation_id', '=', consultationId)
    .orderBy('position')
    .select(['id', 'reference', 'title'])
    .execute()
  // The annex names at most NAMED_MAX respondents: a million-response round can have hundreds of
  // thousands of named individuals, a PDF of thousands of pages nobody reads. Every name is in
  // the published responses and the open data, which the annex says beyond the limit.
  const namedQuery = db
    .selectFrom('responses')
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'published')
    .where('publication', '=', 'named')
    .where((eb) => eb(eb.fn.coalesce('organisation', 'author_name'), 'is not', null))
  // Walked a slice of the names index at a time (responses_named), with a turn for other
  // requests between: one query over every name held the server about 4 s at a million.
  const named: { name: string | null }[] = []
  let namedCount = 0
  for (let after: string | null = null; ;) {
    let slice = namedQuery
      .select((eb) => eb.fn.coalesce('organisation', 'author_name').as('name'))
      .distinct()
      .orderBy('name')
      .limit(NAME_SLICE)
    if (after !== null) {
      const from: string = after
      slice = slice.where((eb) => eb(eb.fn.coalesce('organisation', 'author_name'), '>', from))
    }
    const rows = await slice.execute()
    for (const row of rows) if (named.length < namedMax) named.push(row)
    namedCount += rows.length
    if (rows.length < NAME_SLICE) break
    after = rows[rows.length - 1]!.name ?? ''
    await new Promise((resolve) => setImmediate(resolve))
  }
  const columns: [string, string, string] = ['', t('report.allResponses'), t('report.uniqueTexts')]
  const period = [round.opens_at, round.closes_at].every(Boolean)
    ? t('report.period', {
        from: formatDate(round.opens_at!, locale, timeZone),
        to: formatDate(round.closes_at!, locale, timeZone),
      })
    : ''
  return {
    locale,
    title: round.title,
    subtitle: t('report.subtitle'),
    period,
    generatedAt: t('report.generatedAt', {
      date: formatDateTime(new Date().toISOString(), locale, timeZone),
    }),
    labels: {
      method: t('report.method'),
      statistics: t('report.statistics'),
      controls: t('report.controls'),
      tagSummaries: t('report.tagSummaries'),
      campaigns: t('report.campaigns'),
      respondents: t('report.respondents'),
      noSummary: t('report.noSummary'),
      total: t('report.total'),
      totals: t('report.totals'),
      page: t('report.page'),
    },
    method: [
      t('report.methodConsultation', { count: stats.total }),
      t('report.methodCampaigns', { count: clusterCount, unique: stats.uniqueTexts }),
      t('report.methodSummaries'),
    ],
    totals: { responses: stats.total, uniqueTexts: stats.uniqueTexts, published: stats.published },
    tables: [
      {
        title: t('report.byStakeholder'),
        columns: [t('report.stakeholderGroup'), columns[1], columns[2]],
        rows: stats.byStakeholder.map((g) => ({
          label: t(`stakeholders.${g.key}`),
          count: g.count,
          unique: g.unique,
        })),
      },
      {
        title: t('report.byType'),
        columns: [t('round.respondentType'), columns[1], columns[2]],
        rows: stats.byType.map((g) => ({
          label: t(`respondentTypes.${g.key}`),
          count: g.count,
          unique: g.unique,
        })),
      },
      {
        title: t('report.byCountry'),
        columns: [t('round.country'), columns[1], columns[2]],
        rows: stats.byCountry.map((g) => ({
          label: countryName(g.key, locale),
          count: g.count,
          unique: g.unique,
        })),
      },
    ],
    controls: controls.map((c) => {
      const counted = stats.byControl.find((s) => s.controlId === c.id)
      const summary = summaries.find((s) => s.controlId === c.id && s.tagId === null)
      return {
        reference: c.reference,
        title: c.title,
        positions: (counted?.positions ?? []).map((p) => ({
          label: t(`positions.${p.key}`),
          count: p.count,
          unique: p.unique,
        })),
        summary: summary ? paragraphs(summary.body) : null,
      }
    }),
    tagSummaries: summaries
      .filter((s) => s.tagId !== null)
      .map((s) => ({
        heading: tags.find((tag) => tag.id === s.tagId)?.name ?? '',
        paragraphs: paragraphs(s.body),
      })),
    campaigns: clusters.slice(0, 50).map((c, i) => ({
      heading: t('report.campaignHeading', { number: i + 1, count: c.size }),
      size: c.size,
      text: campaignTextsShown.get(c.id) ?? t('report.campaignUnpublished'),
    })),
    namedRespondents: named
      .map((n) => n.name)
      .filter((n): n is string => Boolean(n))
      .sort((a, b) => a.localeCompare(b, locale)),
    namedMore:
      namedCount > named.length
        ? t('report.respondentsMore', {
            count: namedCount - named.length,
            formatted: formatNumber(namedCount - named.length, locale),
          })
        : null,
  }
}
