// The benchmark's in-process phases: campaign clustering and officials' search, measured on a
// Kysely handle of either engine. run.ts calls them on SQLite in its own process; PostgreSQL's run
// here as a process of their own (`tsx tests/bench/in-process.ts ROUND.json URL OUT.json`), which
// starts with no state left by SQLite's: the campaign rebuild keeps compiled INSERT texts by table
// and row count only (app/models/campaigns.server.ts), and SQLite's `?` placeholders reused on
// PostgreSQL were a syntax error.
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'
import { pairwisePrecisionRecall } from '#app/analysis/campaign-clusters.ts'
import { parseSearch } from '#app/analysis/search-query.ts'
import {
  listCampaignMembers,
  rebuildCampaigns,
  updateCampaigns,
} from '#app/models/campaigns.server.ts'
import { listQueue } from '#app/models/review.server.ts'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
import { findThemesJob } from '#app/jobs/theme-jobs.server.ts'
import { openPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'
import { vacuumAnalyze } from './bench-schema.ts'
import { generator } from './generate.ts'
import { quantile } from './http-load.ts'
import type { PortalRound } from './load-db.ts'
import { type Figures, round2 } from './report.ts'

/** Campaign clustering and officials' search, in process: the database work alone. */
export async function inProcessPhases(
  db: Kysely<Database>,
  round: PortalRound,
  figures: Figures,
  say: (line: string) => void,
  { afterRebuild }: { afterRebuild?: () => Promise<void> } = {},
): Promise<void> {
  // A full rebuild, then the cost of one more response.
  let t = performance.now()
  await rebuildCampaigns(db, { consultationId: round.roundId })
  const rebuildSeconds = (performance.now() - t) / 1000
  figures.cluster_rps = Math.round(round.ids.length / rebuildSeconds)
  await afterRebuild?.()
  const clusterRows = (await listCampaignMembers(db, { consultationId: round.roundId })).map(
    (m) => ({ id: m.responseId, cluster_id: m.clusterId }),
  )
  const found = new Map<number, number[]>()
  // Appended in place: copying the list at each member is quadratic in a campaign's size.
  const append = (map: Map<number, number[]>, key: number, id: number) => {
    const list = map.get(key)
    if (list) list.push(id)
    else map.set(key, [id])
  }
  for (const r of clusterRows) append(found, r.cluster_id!, r.id)
  const truth = new Map<number, number[]>()
  round.campaigns.forEach((c, i) => {
    if (c !== null) append(truth, c, round.ids[i]!)
  })
  const pr = pairwisePrecisionRecall([...found.values()], [...truth.values()])
  figures.cluster_precision = round2(pr.precision * 1000) / 1000
  figures.cluster_recall = round2(pr.recall * 1000) / 1000
  // Reuse recall: of the texts that add their own or keep part of a template, the share in the
  // campaign of that template (the found campaign holding most of its copies).
  const campaignOfTemplate = new Map<number, number>()
  const clusterOf = new Map(clusterRows.map((r) => [r.id, r.cluster_id!]))
  for (const [template, members] of truth) {
    const counts = new Map<number, number>()
    for (const id of members) {
      const cluster = clusterOf.get(id)
      if (cluster !== undefined) counts.set(cluster, (counts.get(cluster) ?? 0) + 1)
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0]
    if (best) campaignOfTemplate.set(template, best[0])
  }
  const reuseOf = (kind: 'own-text' | 'partial') => {
    let all = 0
    let joined = 0
    round.reuse.forEach((r, i) => {
      if (r !== kind) return
      all++
      const template = round.campaigns[i]!
      if (clusterOf.get(round.ids[i]!) === campaignOfTemplate.get(template)) joined++
    })
    return { all, joined }
  }
  const own = reuseOf('own-text')
  const partial = reuseOf('partial')
  const ratio = (joined: number, all: number) => (all ? Number((joined / all).toFixed(4)) : 1)
  figures.reuse_recall = ratio(own.joined + partial.joined, own.all + partial.all)
  figures.reuse_own_text_recall = ratio(own.joined, own.all)
  figures.reuse_partial_recall = ratio(partial.joined, partial.all)
  const extra = generator(99)
  const incremental: number[] = []
  // Each update runs inside the transaction that stores its response, as a submission runs it:
  // what it adds to that transaction, not a commit of its own per statement.
  for (let i = 0; i < 500; i++) {
    const r = extra.next()
    const now = new Date().toISOString()
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('responses')
        .values({
          consultation_id: round.roundId,
          tracking_number: `BENCH-${i}`,
          edit_token_hash: 'x',
          idempotency_key: null,
          user_id: null,
          respondent_type: r.respondentType,
          organisation: null,
          author_name: null,
          country: r.country,
          organisation_size: null,
          register_id: null,
          contact_name: null,
          contact_email: null,
          publication: r.publication,
          confidential: 0,
          confidential_justification: null,
          public_version: null,
          status: 'received',
          moderation_reason: null,
          is_late: 0,
          submitted_at: now,
          updated_at: now,
          published_at: null,
          withdrawn_at: null,
          confidential_decision: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('response_items')
        .values({
          response_id: id,
          control_id: round.controlIds[r.control]!,
          position: r.position,
          body: r.body,
        })
        .execute()
      const t0 = performance.now()
      await updateCampaigns(trx, { responseId: id, consultationId: round.roundId })
      incremental.push(performance.now() - t0)
    })
  }
  figures.cluster_incremental_ms = round2(quantile(incremental, 0.5))
  figures.cluster_incremental_mean_ms = round2(
    incremental.reduce((sum, ms) => sum + ms, 0) / incremental.length,
  )
  say(
    `clustering: rebuild ${figures.cluster_rps} responses/s, incremental ${figures.cluster_incremental_ms} ms, precision ${figures.cluster_precision}, recall ${figures.cluster_recall}, reuse recall ${figures.reuse_recall} (own text ${figures.reuse_own_text_recall}, partial ${figures.reuse_partial_recall})`,
  )

  // The round's themes, as the job finds them (listing, texts a batch at a time, the thread).
  t = performance.now()
  const { job } = await enqueueJob(db, {
    kind: 'themes.find',
    consultationId: round.roundId,
    actor: null,
  })
  const themes = (await findThemesJob({ db, job, progress: async () => {} })) as {
    themes: number
  }
  figures.themes_s = round2((performance.now() - t) / 1000)
  figures.themes_found = themes.themes
  say(`themes: ${figures.themes_found} found in ${figures.themes_s} s`)

  // Search at full size (the database work an official's search costs).
  const queries: [string, Record<string, unknown>][] = [
    ['common word', { q: 'surveillance' }],
    ['rare word', { q: 'harmonisation' }],
    ['phrase', { q: '"human rights"' }],
    ['prefix', { q: 'encrypt*' }],
    ['filtered', { q: 'spyware', respondentType: 'company', country: 'DK' }],
  ]
  let searchP95 = 0
  for (const [name, spec] of queries) {
    const parsed = parseSearch(String(spec.q))
    if (!parsed.ok) throw new Error(name)
    const times: number[] = []
    for (let i = 0; i < 25; i++) {
      t = performance.now()
      await listQueue(db, {
        consultationId: round.roundId,
        filters: {
          search: parsed,
          respondentType: spec.respondentType as never,
          country: spec.country as string | undefined,
        },
      })
      times.push(performance.now() - t)
    }
    const p95 = quantile(times.slice(5), 0.95)
    figures[`search_${name.replace(' ', '_')}_p50_ms`] = round2(quantile(times.slice(5), 0.5))
    figures[`search_${name.replace(' ', '_')}_p95_ms`] = round2(p95)
    searchP95 = Math.max(searchP95, p95)
  }
  figures.search_p95_ms = round2(searchP95)
  say(`search: worst p95 ${figures.search_p95_ms} ms`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [roundFile, url, outFile] = process.argv.slice(2)
  if (!roundFile || !url || !outFile) {
    console.error('Usage: tsx tests/bench/in-process.ts ROUND.json postgres://… OUT.json')
    process.exit(1)
  }
  const round = JSON.parse(readFileSync(roundFile, 'utf8')) as PortalRound
  const db = openPostgres(url)
  const figures: Figures = {}
  const say = (line: string) => console.log(line)
  // The rebuild rewrote a column of every response and filled two tables: autovacuum would
  // analyze them within a minute or so. The planner's statistics from before it (cluster_id all
  // null, no buckets) sent the campaign update's `id in (…) and cluster_id is not null` down the
  // cluster_id index, 17 ms a response under the round's campaign lock, where it takes 0.5 ms;
  // and the PostgreSQL a benchmark finds may run with autovacuum off.
  const afterRebuild = async () => {
    const t = performance.now()
    await vacuumAnalyze(url)
    say(`VACUUM (ANALYZE) after the rebuild: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  try {
    await inProcessPhases(db, round, figures, say, { afterRebuild })
  } finally {
    await db.destroy()
  }
  writeFileSync(outFile, JSON.stringify(figures))
}
