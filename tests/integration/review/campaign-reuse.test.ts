import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import {
  campaignOf,
  getCluster,
  listCampaignMembers,
  rebuildCampaigns,
  updateCampaigns,
} from '#app/models/campaigns.server.ts'
import { loader as clusterLoader } from '#app/routes/manage.campaigns.$clusterId.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { distinctText, editOf, prng } from '#tests/helpers/corpus.ts'
import { type LabelledText, reuseCorpus, reuseMetrics } from '#tests/helpers/reuse-corpus.ts'

async function round() {
  return createConsultation(getDb(), {
    slug: `reuse-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: 'Reuse round',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'R1', title: 'Control' }],
  })
}

/** The corpus's texts as responses of a round; the labelled texts under their response ids. */
async function respondAll(
  r: Awaited<ReturnType<typeof round>>,
  texts: LabelledText[],
  { incremental }: { incremental: boolean },
) {
  const out: LabelledText[] = []
  for (const t of texts) {
    const response = await createResponse(getDb(), {
      consultationId: r.id,
      items: [{ controlId: r.controlIds[0]!, position: 'support', body: t.text }],
    })
    if (incremental)
      await updateCampaigns(getDb(), { responseId: response.id, consultationId: r.id })
    out.push({ ...t, id: response.id })
  }
  return out
}

/** A round's campaigns as people see them, with each member's kind. */
async function campaignsOf(roundId: number) {
  const db = getDb()
  const rows = await db
    .selectFrom('campaign_members as m')
    .innerJoin('consultations as c', (join) =>
      join
        .onRef('c.id', '=', 'm.consultation_id')
        .onRef('c.campaign_generation', '=', 'm.generation'),
    )
    .where('m.consultation_id', '=', roundId)
    .orderBy('m.response_id')
    .select(['m.cluster_id', 'm.response_id', 'm.kind'])
    .execute()
  const byCluster = new Map<number, { id: number; kind: string }[]>()
  for (const row of rows) {
    const list = byCluster.get(row.cluster_id) ?? []
    list.push({ id: row.response_id, kind: row.kind })
    byCluster.set(row.cluster_id, list)
  }
  return [...byCluster.entries()].map(([id, members]) => ({ id, members }))
}

describe('campaigns that reuse a template', () => {
  const { texts, templates } = reuseCorpus({
    seed: 23,
    templates: 4,
    copies: 8,
    ownText: 6,
    partial: 5,
    independent: 40,
  })

  test('a rebuild joins the template with own text and partial copies to their campaign, and no independent text', async () => {
    const r = await round()
    const labelled = await respondAll(r, texts, { incremental: false })
    await rebuildCampaigns(getDb(), { consultationId: r.id })
    const campaigns = await campaignsOf(r.id)
    const metrics = reuseMetrics(labelled, campaigns)
    expect(metrics.strays).toBe(0)
    expect(campaigns).toHaveLength(4)
    for (const label of ['copy', 'own-text', 'partial'] as const) {
      expect(metrics[label].precision).toBe(1)
      expect(metrics[label].recall).toBeGreaterThanOrEqual(0.9)
    }
    const labelOf = new Map(labelled.map((t) => [t.id, t.label]))
    const members = campaigns.flatMap((c) => c.members)
    const reusing = members.filter((m) => m.kind === 'template')
    expect(reusing.length).toBeGreaterThan(5)
    expect(reusing.every((m) => labelOf.get(m.id) !== 'copy')).toBe(true)
    expect(
      members.filter((m) => labelOf.get(m.id) === 'copy').every((m) => m.kind === 'copy'),
    ).toBe(true)
    // The sizes count them.
    const sizes = await getDb()
      .selectFrom('campaign_clusters')
      .where(
        'id',
        'in',
        campaigns.map((c) => c.id),
      )
      .select(['id', 'size'])
      .execute()
    for (const { id, size } of sizes) {
      expect(size).toBe(campaigns.find((c) => c.id === id)!.members.length)
    }

    // The campaign's page shows what each adds and leaves out.
    const withReuse = campaigns.find((c) => c.members.some((m) => m.kind === 'template'))!
    const cluster = await getCluster(getDb(), { clusterId: withReuse.id })
    const member = cluster!.members.find((m) => m.kind === 'template')!
    const label = labelOf.get(member.id)
    if (label === 'own-text') expect(member.additions.length).toBeGreaterThan(3)
    else expect(member.omissions.length).toBeGreaterThan(0)
    expect(
      cluster!.members.filter((m) => m.kind === 'copy').every((m) => m.omissions.length === 0),
    ).toBe(true)
    const official = await signedInUser('official')
    const page = (await clusterLoader({
      request: pageRequest(`/manage/campaigns/${withReuse.id}`, { cookie: official.cookie }),
      params: { clusterId: String(withReuse.id) },
      context,
    })) as { cluster: { members: { id: number; kind: string }[] } }
    expect(page.cluster.members.find((m) => m.id === member.id)!.kind).toBe('template')

    // After the rebuild, a response that reuses a template joins its campaign as it arrives,
    // and an independent one joins none.
    const random = prng(99)
    const source = labelled.find((t) => t.label === 'copy' && t.source === 1)!
    const ownText = await createResponse(getDb(), {
      consultationId: r.id,
      items: [
        {
          controlId: r.controlIds[0]!,
          position: 'support',
          body: `${distinctText(random, 250)}\n\n${editOf(templates[1]!, random)}`,
        },
      ],
    })
    const joined = await updateCampaigns(getDb(), { responseId: ownText.id, consultationId: r.id })
    expect(joined).not.toBeNull()
    expect(joined).toBe(await campaignOf(getDb(), { responseId: source.id }))
    const kind = await getDb()
      .selectFrom('campaign_members')
      .where('response_id', '=', ownText.id)
      .where('cluster_id', '=', joined!)
      .select('kind')
      .executeTakeFirstOrThrow()
    expect(kind.kind).toBe('template')
    const other = await createResponse(getDb(), {
      consultationId: r.id,
      items: [
        { controlId: r.controlIds[0]!, position: 'support', body: distinctText(random, 200) },
      ],
    })
    expect(
      await updateCampaigns(getDb(), { responseId: other.id, consultationId: r.id }),
    ).toBeNull()
  }, 120_000)

  test('as responses arrive, the template with own text joins the campaign its copies began', async () => {
    const r = await round()
    // Copies first, so that each campaign exists before the texts that reuse it arrive.
    const ordered = [
      ...texts.filter((t) => t.label === 'copy'),
      ...texts.filter((t) => t.label !== 'copy'),
    ]
    const labelled = await respondAll(r, ordered, { incremental: true })
    const campaigns = await campaignsOf(r.id)
    const metrics = reuseMetrics(labelled, campaigns)
    expect(metrics.strays).toBe(0)
    expect(metrics['own-text'].precision).toBe(1)
    expect(metrics['own-text'].recall).toBeGreaterThanOrEqual(0.9)
    expect(metrics.partial.recall).toBeGreaterThanOrEqual(0.9)
    expect(campaigns.flatMap((c) => c.members).some((m) => m.kind === 'template')).toBe(true)
    // The same campaigns as a rebuild finds from the texts.
    const incremental = (await listCampaignMembers(getDb(), { consultationId: r.id })).length
    await rebuildCampaigns(getDb(), { consultationId: r.id })
    const rebuilt = reuseMetrics(labelled, await campaignsOf(r.id))
    expect(rebuilt.strays).toBe(0)
    expect(
      (await listCampaignMembers(getDb(), { consultationId: r.id })).length,
    ).toBeGreaterThanOrEqual(incremental - 2)
  }, 120_000)
})
