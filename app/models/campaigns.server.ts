import type { Kysely } from 'kysely'
import { SAME_CAMPAIGN, CampaignIndex, representative } from '#app/analysis/campaign-clusters.ts'
import {
  bandKeys,
  estimateJaccard,
  minhashSignature,
  signatureFromBytes,
  signatureToBytes,
} from '#app/analysis/minhash.ts'
import type { Database } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'

type Tx = Kysely<Database>

/** A bucket keeps this many members: enough to find any of them, few rows for identical copies. */
const BUCKET_MEMBERS = 4
/** Candidates compared per new response at most: the update stays constant-time. */
const MAX_CANDIDATES = 64

/** The text a campaign is recognised by: what the respondent wrote, not who they are. */
export async function campaignText(db: Tx, responseId: number): Promise<string> {
  const items = await db
    .selectFrom('response_items')
    .where('response_id', '=', responseId)
    .select(['id', 'body'])
    .orderBy('id')
    .execute()
  const answers = items.length
    ? await db
        .selectFrom('response_answers')
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .select('answer')
        .execute()
    : []
  return [...items.map((i) => i.body), ...answers.map((a) => a.answer)].join('\n')
}

async function setCluster(
  db: Tx,
  consultationId: number,
  members: number[],
  now: string,
): Promise<number> {
  const existing = await db
    .selectFrom('responses')
    .where('id', 'in', members)
    .where('cluster_id', 'is not', null)
    .select('cluster_id')
    .distinct()
    .execute()
  const ids = existing.map((e) => e.cluster_id!).sort((a, b) => a - b)
  let clusterId = ids[0]
  if (clusterId === undefined) {
    const row = await db
      .insertInto('campaign_clusters')
      .values({
        consultation_id: consultationId,
        representative_id: Math.min(...members),
        size: 0,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    clusterId = row.id
  }
  // Sizes are kept by addition: counting a 60,000-member campaign again at
  // each new letter would cost milliseconds per response.
  let added = 0
  if (ids.length > 1) {
    // Merging clusters: every member of the others moves to the first.
    const others = ids.slice(1)
    const sizes = await db
      .selectFrom('campaign_clusters')
      .where('id', 'in', others)
      .select((eb) => eb.fn.sum<number>('size').as('n'))
      .executeTakeFirst()
    added += Number(sizes?.n ?? 0)
    await db
      .updateTable('responses')
      .set({ cluster_id: clusterId })
      .where('cluster_id', 'in', others)
      .execute()
    await db.deleteFrom('campaign_clusters').where('id', 'in', others).execute()
  }
  const joined = await db
    .updateTable('responses')
    .set({ cluster_id: clusterId })
    .where('id', 'in', members)
    .where('cluster_id', 'is', null)
    .executeTakeFirst()
  added += Number(joined.numUpdatedRows)
  await db
    .updateTable('campaign_clusters')
    .set((eb) => ({ size: eb('size', '+', added), updated_at: now }))
    .where('id', '=', clusterId)
    .execute()
  return clusterId
}

/**
 * Incremental campaign detection for one new or edited response: its MinHash
 * signature, its LSH buckets, and a bounded comparison with the responses
 * that share a bucket. Near-duplicates join (or merge) a cluster.
 */
export async function updateCampaigns(
  db: Tx,
  {
    responseId,
    consultationId,
    text,
    now = new Date().toISOString(),
  }: { responseId: number; consultationId: number; text?: string; now?: string },
): Promise<number | null> {
  // `text` saves reading back what the caller has just written.
  const signature = minhashSignature(text ?? (await campaignText(db, responseId)))
  const keys = bandKeys(signature)
  await db
    .insertInto('response_signatures')
    .values({ response_id: responseId, signature: Buffer.from(signatureToBytes(signature)) })
    .onConflict((oc) =>
      oc.column('response_id').doUpdateSet({ signature: Buffer.from(signatureToBytes(signature)) }),
    )
    .execute()
  const candidates = await db
    .selectFrom('campaign_buckets as b')
    .innerJoin('response_signatures as s', 's.response_id', 'b.response_id')
    .where('b.consultation_id', '=', consultationId)
    .where('b.band_key', 'in', keys)
    .where('b.response_id', '!=', responseId)
    .select(['b.response_id', 's.signature'])
    .distinct()
    .limit(MAX_CANDIDATES)
    .execute()
  const similar = candidates
    .filter((c) => estimateJaccard(signature, signatureFromBytes(c.signature)) >= SAME_CAMPAIGN)
    .map((c) => c.response_id)

  // Join the buckets that still have room.
  const counts = await db
    .selectFrom('campaign_buckets')
    .where('consultation_id', '=', consultationId)
    .where('band_key', 'in', keys)
    .select((eb) => ['band_key', eb.fn.countAll<number>().as('n')])
    .groupBy('band_key')
    .execute()
  const full = new Set(counts.filter((c) => Number(c.n) >= BUCKET_MEMBERS).map((c) => c.band_key))
  const open = keys.filter((k) => !full.has(k))
  if (open.length) {
    await db
      .insertInto('campaign_buckets')
      .values(
        open.map((band_key) => ({
          consultation_id: consultationId,
          band_key,
          response_id: responseId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  if (!similar.length) return null
  return setCluster(db, consultationId, [responseId, ...similar], now)
}

/**
 * Recomputes every campaign of a round from scratch, in memory, then writes
 * the clusters: for repairs, or after the threshold changes.
 */
export async function rebuildCampaigns(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<number> {
  const now = new Date().toISOString()
  const ids = await db
    .selectFrom('responses')
    .where('consultation_id', '=', consultationId)
    .where('status', '!=', 'draft')
    .select('id')
    .orderBy('id')
    .execute()
  // Texts are read in bulk, a batch of responses per query, not one query each.
  const index = new CampaignIndex()
  const signatures = new Map<number, Uint32Array>()
  for (let start = 0; start < ids.length; start += 2000) {
    const batch = ids.slice(start, start + 2000).map((r) => r.id)
    const items = await db
      .selectFrom('response_items')
      .where('response_id', 'in', batch)
      .select(['id', 'response_id', 'body'])
      .orderBy('id')
      .execute()
    const answers = await db
      .selectFrom('response_answers as a')
      .innerJoin('response_items as i', 'i.id', 'a.item_id')
      .where('i.response_id', 'in', batch)
      .select(['i.response_id', 'a.answer'])
      .orderBy('a.id')
      .execute()
    const texts = new Map<number, string[]>()
    for (const item of items)
      texts.set(item.response_id, [...(texts.get(item.response_id) ?? []), item.body])
    const extra = new Map<number, string[]>()
    for (const a of answers)
      extra.set(a.response_id, [...(extra.get(a.response_id) ?? []), a.answer])
    for (const id of batch) {
      const signature = minhashSignature(
        [...(texts.get(id) ?? []), ...(extra.get(id) ?? [])].join('\n'),
      )
      signatures.set(id, signature)
      index.add({ id, signature })
    }
  }
  const clusters = index.clusters()
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('responses')
      .set({ cluster_id: null })
      .where('consultation_id', '=', consultationId)
      .execute()
    await trx
      .deleteFrom('campaign_clusters')
      .where('consultation_id', '=', consultationId)
      .execute()
    await trx.deleteFrom('campaign_buckets').where('consultation_id', '=', consultationId).execute()
    // Written in multi-row statements: a million single-row inserts would dominate the rebuild.
    const seen = new Map<string, number>()
    let signatureRows: { response_id: number; signature: Buffer }[] = []
    let bucketRows: { consultation_id: number; band_key: string; response_id: number }[] = []
    const flush = async () => {
      if (signatureRows.length) {
        await trx
          .insertInto('response_signatures')
          .values(signatureRows)
          .onConflict((oc) =>
            oc
              .column('response_id')
              .doUpdateSet((eb) => ({ signature: eb.ref('excluded.signature') })),
          )
          .execute()
      }
      for (let i = 0; i < bucketRows.length; i += 300) {
        await trx
          .insertInto('campaign_buckets')
          .values(bucketRows.slice(i, i + 300))
          .execute()
      }
      signatureRows = []
      bucketRows = []
    }
    for (const [id, signature] of signatures) {
      signatureRows.push({ response_id: id, signature: Buffer.from(signatureToBytes(signature)) })
      for (const band_key of bandKeys(signature)) {
        const n = seen.get(band_key) ?? 0
        if (n >= BUCKET_MEMBERS) continue
        seen.set(band_key, n + 1)
        bucketRows.push({ consultation_id: consultationId, band_key, response_id: id })
      }
      if (signatureRows.length >= 400) await flush()
    }
    await flush()
    for (const members of clusters) {
      // The representative is chosen among the first 200 members: comparing every pair of
      // a 60,000-member campaign would cost more than the whole rebuild.
      const rep = representative(
        members.slice(0, 200).map((id) => ({ id, signature: signatures.get(id)! })),
      )
      const { id: clusterId } = await trx
        .insertInto('campaign_clusters')
        .values({
          consultation_id: consultationId,
          representative_id: rep,
          size: members.length,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .updateTable('responses')
        .set({ cluster_id: clusterId })
        .where('id', 'in', members)
        .execute()
    }
  })
  return clusters.length
}

export interface ClusterSummary {
  id: number
  size: number
  representativeId: number
  representativeText: string
  statuses: Record<string, number>
}

/** A round's campaigns, largest first, with the representative's text. */
export async function listClusters(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<ClusterSummary[]> {
  const clusters = await db
    .selectFrom('campaign_clusters')
    .where('consultation_id', '=', consultationId)
    .orderBy('size', 'desc')
    .orderBy('id')
    .select(['id', 'size', 'representative_id'])
    .execute()
  const result: ClusterSummary[] = []
  for (const c of clusters) {
    const statuses = await db
      .selectFrom('responses')
      .where('cluster_id', '=', c.id)
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute()
    result.push({
      id: c.id,
      size: c.size,
      representativeId: c.representative_id,
      representativeText: await campaignText(db, c.representative_id),
      statuses: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])),
    })
  }
  return result
}

/** One campaign: its round, representative text and every member with what it adds to that text. */
export async function getCluster(db: DB, { clusterId }: { clusterId: number }) {
  const cluster = await db
    .selectFrom('campaign_clusters')
    .where('id', '=', clusterId)
    .select(['id', 'consultation_id', 'size', 'representative_id'])
    .executeTakeFirst()
  if (!cluster) return null
  const base = await campaignText(db, cluster.representative_id)
  const baseSentences = new Set(sentences(base))
  const members = await db
    .selectFrom('responses')
    .where('cluster_id', '=', clusterId)
    .orderBy('id')
    .select(['id', 'tracking_number', 'status', 'respondent_type', 'country', 'submitted_at'])
    .execute()
  const withVariations = []
  for (const m of members) {
    const text = await campaignText(db, m.id)
    withVariations.push({
      id: m.id,
      trackingNumber: m.tracking_number,
      status: m.status,
      respondentType: m.respondent_type,
      country: m.country,
      submittedAt: m.submitted_at,
      /** Sentences this member has that the representative does not. */
      additions: sentences(text).filter((s) => !baseSentences.has(s)),
      similarity: Number(
        estimateJaccard(minhashSignature(text), minhashSignature(base)).toFixed(2),
      ),
    })
  }
  return {
    id: cluster.id,
    consultationId: cluster.consultation_id,
    size: cluster.size,
    representativeId: cluster.representative_id,
    representativeText: base,
    members: withVariations,
  }
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean)
}
