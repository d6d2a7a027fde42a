import { endianness } from 'node:os'
import { CompiledQuery, type Kysely } from 'kysely'
import { PackedCampaigns, SAME_CAMPAIGN, representative } from '#app/analysis/campaign-clusters.ts'
import {
  BANDS,
  NUM_HASHES,
  bandKeys,
  estimateJaccard,
  minhashSignature,
  signatureFromBytes,
  signatureToBytes,
} from '#app/analysis/minhash.ts'
import { isPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { pageOf } from '#app/utils/paging.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'

type Tx = Kysely<Database>

/** A bucket keeps this many members: enough to find any of them, few rows for identical copies. */
const BUCKET_MEMBERS = 4
/** Candidates compared per new response at most: the update stays constant-time. */
const MAX_CANDIDATES = 64

/** The text a campaign is recognised by: what the respondent wrote, not who they are. */
export async function campaignText(db: Tx, responseId: number): Promise<string> {
  return (await campaignTexts(db, [responseId])).get(responseId) ?? ''
}

async function setCluster(
  db: Tx,
  consultationId: number,
  members: number[],
  now: string,
): Promise<number> {
  // The members are looked up by id and their clusters filtered here: with `cluster_id is not
  // null` in the query, PostgreSQL on stale statistics walked the cluster index instead (70,000
  // rows, 17 ms, on every submission after a rebuild, found by the benchmark).
  const rows = await db
    .selectFrom('responses')
    .where('id', 'in', members)
    .select('cluster_id')
    .execute()
  const ids = [...new Set(rows.flatMap((r) => (r.cluster_id === null ? [] : [r.cluster_id])))].sort(
    (a, b) => a - b,
  )
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
  const bytes = Buffer.from(signatureToBytes(signature))
  await db
    .insertInto('response_signatures')
    .values({ response_id: responseId, signature: bytes })
    .onConflict((oc) => oc.column('response_id').doUpdateSet({ signature: bytes }))
    .execute()
  // A bucket holds BUCKET_MEMBERS responses at most, so this reads 128 rows at most, from the
  // buckets' key alone: the buckets' fill and the candidates.
  const members = await db
    .selectFrom('campaign_buckets')
    .where('consultation_id', '=', consultationId)
    .where('band_key', 'in', keys)
    .select(['band_key', 'response_id'])
    .execute()
  const fill = new Map<number, number>()
  const candidates = new Set<number>()
  for (const member of members) {
    fill.set(member.band_key, (fill.get(member.band_key) ?? 0) + 1)
    if (member.response_id !== responseId && candidates.size < MAX_CANDIDATES) {
      candidates.add(member.response_id)
    }
  }
  // Each candidate's signature once: a copy of a campaign letter shares most of its 32 buckets
  // with the same few letters, and reading a signature per bucket read each of them 30 times.
  const similar = new Set<number>()
  if (candidates.size) {
    const signatures = await db
      .selectFrom('response_signatures')
      .where('response_id', 'in', [...candidates])
      .select(['response_id', 'signature'])
      .execute()
    for (const candidate of signatures) {
      if (estimateJaccard(signature, signatureFromBytes(candidate.signature)) >= SAME_CAMPAIGN) {
        similar.add(candidate.response_id)
      }
    }
  }
  // Join the buckets that still have room.
  const open = keys.filter((key) => (fill.get(key) ?? 0) < BUCKET_MEMBERS)
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
  if (!similar.size) return null
  return setCluster(db, consultationId, [responseId, ...similar], now)
}

const LITTLE_ENDIAN = endianness() === 'LE'

/** Responses whose texts are read in one query (well under SQLite's 32,766 parameters). */
const TEXT_BATCH = 5000

/** Rows per multi-row insert in a rebuild: 30,000 parameters, under SQLite's limit of 32,766. */
const REBUILD_ROWS = 10_000

/** The texts of the multi-row inserts compiled so far, by table, columns and row count. */
const insertTexts = new Map<string, string>()
/** Distinct row counts are few (full chunks, and each band's last); this bounds the map anyway. */
const INSERT_TEXTS = 256

/**
 * Inserts many rows with one statement per REBUILD_ROWS, compiled by Kysely (so in the dialect's
 * own placeholders) once per shape and run again with each chunk's values: compiling a statement
 * of ten thousand rows costs more than running it, and a rebuild writes millions. (Compiled per
 * call, as it first was, it cost 13% of a rebuild: the callers pass one chunk at a time.)
 */
async function insertMany<T extends keyof Database & string>(
  db: Tx,
  table: T,
  columns: readonly string[],
  values: unknown[],
): Promise<void> {
  const width = columns.length
  for (let start = 0; start < values.length; start += REBUILD_ROWS * width) {
    const chunk = values.slice(start, start + REBUILD_ROWS * width)
    const rows = chunk.length / width
    // Each engine its own text: SQLite numbers no placeholders (?), PostgreSQL does ($1).
    const key = `${isPostgres(db) ? 'pg' : 'sqlite'}|${table}|${columns.join(',')}|${rows}`
    let text = insertTexts.get(key)
    if (text === undefined) {
      const row = Object.fromEntries(columns.map((column) => [column, null]))
      text = db
        .insertInto(table)
        .values(Array.from({ length: rows }, () => row) as never)
        .compile().sql
      if (insertTexts.size >= INSERT_TEXTS) insertTexts.clear()
      insertTexts.set(key, text)
    }
    await db.executeQuery(CompiledQuery.raw(text, chunk))
  }
}

/**
 * Recomputes every campaign of a round from the responses' texts: for repairs, or after the
 * threshold changes. The signatures are kept packed in one array (512 bytes per response) and
 * clustered band by band (see PackedCampaigns); the new signatures, buckets and clusters replace
 * the old in one transaction, written in key order.
 */
export async function rebuildCampaigns(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<number> {
  // Public statistics and reports count unique texts by campaign: their kept copies go.
  clearCache()
  const now = new Date().toISOString()
  // Sized once from a count: growing by doubling held the old array beside the new one, 768 MB
  // at a million responses. Responses that arrive meanwhile still fit (the arrays grow).
  const { n: expected } = await db
    .selectFrom('responses')
    .where('consultation_id', '=', consultationId)
    .where('status', '!=', 'draft')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  let ids = new Int32Array(Number(expected) + 64)
  let values = new Uint32Array(ids.length * NUM_HASHES)
  let n = 0
  // Texts are read a batch of responses at a time, in id order.
  for (let after = 0; ;) {
    const batch = await db
      .selectFrom('responses')
      .where('consultation_id', '=', consultationId)
      .where('status', '!=', 'draft')
      .where('id', '>', after)
      .select('id')
      .orderBy('id')
      .limit(5000)
      .execute()
    if (batch.length === 0) break
    after = batch[batch.length - 1]!.id
    const batchIds = batch.map((r) => r.id)
    const texts = await campaignTexts(db, batchIds)
    for (const id of batchIds) {
      if (n === ids.length) {
        const grownIds = new Int32Array(Math.ceil(ids.length * 1.25))
        grownIds.set(ids)
        ids = grownIds
        const grownValues = new Uint32Array(ids.length * NUM_HASHES)
        grownValues.set(values)
        values = grownValues
      }
      values.set(minhashSignature(texts.get(id) ?? ''), n * NUM_HASHES)
      ids[n++] = id
    }
  }
  const packed = new PackedCampaigns(values, n)

  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('responses')
      .set({ cluster_id: null })
      .where('consultation_id', '=', consultationId)
      .where('cluster_id', 'is not', null)
      .execute()
    await trx
      .deleteFrom('campaign_clusters')
      .where('consultation_id', '=', consultationId)
      .execute()
    await trx.deleteFrom('campaign_buckets').where('consultation_id', '=', consultationId).execute()
    // Upserting would be slower: the round's old signatures go, the new ones are inserted.
    await trx
      .deleteFrom('response_signatures')
      .where('response_id', 'in', (eb) =>
        eb.selectFrom('responses').where('consultation_id', '=', consultationId).select('id'),
      )
      .execute()
    const signatureRows: unknown[] = []
    for (let node = 0; node < n; node++) {
      // On a little-endian machine the packed array already holds the stored bytes: a view of
      // them, rather than a copy value by value.
      const signature = values.subarray(node * NUM_HASHES, (node + 1) * NUM_HASHES)
      signatureRows.push(
        ids[node],
        LITTLE_ENDIAN
          ? Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength)
          : Buffer.from(signatureToBytes(signature)),
      )
      if (signatureRows.length === REBUILD_ROWS * 2 || node === n - 1) {
        await insertMany(
          trx,
          'response_signatures',
          ['response_id', 'signature'],
          signatureRows.splice(0),
        )
      }
    }
    for (let band = 0; band < BANDS; band++) {
      const { keys, starts, nodes } = packed.joinBand(band, BUCKET_MEMBERS)
      const rows: unknown[] = []
      for (let i = 0; i < keys.length; i++) {
        for (let k = starts[i]!; k < starts[i + 1]!; k++) {
          rows.push(consultationId, keys[i], ids[nodes[k]!])
        }
        // Written as they come, a statement's worth at a time, so the heap holds no band whole.
        if (rows.length >= REBUILD_ROWS * 3 || i === keys.length - 1) {
          await insertMany(
            trx,
            'campaign_buckets',
            ['consultation_id', 'band_key', 'response_id'],
            rows.splice(0),
          )
        }
      }
    }
    const clusters = packed.clusters()
    for (const nodes of clusters) {
      // The representative is chosen among the first 200 members: comparing every pair of
      // a 60,000-member campaign would cost more than the whole rebuild.
      const rep = representative(
        nodes.slice(0, 200).map((node) => ({
          id: ids[node]!,
          signature: values.subarray(node * NUM_HASHES, (node + 1) * NUM_HASHES),
        })),
      )
      const { id: clusterId } = await trx
        .insertInto('campaign_clusters')
        .values({
          consultation_id: consultationId,
          representative_id: rep,
          size: nodes.length,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (let i = 0; i < nodes.length; i += REBUILD_ROWS) {
        await trx
          .updateTable('responses')
          .set({ cluster_id: clusterId })
          .where(
            'id',
            'in',
            nodes.slice(i, i + REBUILD_ROWS).map((node) => ids[node]!),
          )
          .execute()
      }
    }
    return clusters.length
  })
}

/** The campaign texts of many responses, by response id (see campaignText): a few queries, not one per response. */
export async function campaignTexts(
  db: Tx,
  responseIds: readonly number[],
): Promise<Map<number, string>> {
  if (responseIds.length > TEXT_BATCH) {
    const all = new Map<number, string>()
    for (let i = 0; i < responseIds.length; i += TEXT_BATCH) {
      for (const [id, text] of await campaignTexts(db, responseIds.slice(i, i + TEXT_BATCH))) {
        all.set(id, text)
      }
    }
    return all
  }
  const items = await db
    .selectFrom('response_items')
    .where('response_id', 'in', responseIds)
    .select(['id', 'response_id', 'body'])
    .orderBy('id')
    .execute()
  const answers = await db
    .selectFrom('response_answers as a')
    .innerJoin('response_items as i', 'i.id', 'a.item_id')
    .where('i.response_id', 'in', responseIds)
    .select(['i.response_id', 'a.answer'])
    .orderBy('a.id')
    .execute()
  const parts = new Map<number, string[]>()
  for (const { response_id, text } of [
    ...items.map((i) => ({ response_id: i.response_id, text: i.body })),
    ...answers.map((a) => ({ response_id: a.response_id, text: a.answer })),
  ]) {
    const list = parts.get(response_id)
    if (list) list.push(text)
    else parts.set(response_id, [text])
  }
  return new Map([...parts].map(([id, list]) => [id, list.join('\n')]))
}

/**
 * Rebuilds the campaigns of every round with responses that have no signature: after a
 * migration that dropped them, or responses loaded from outside the portal. Run at start.
 */
export async function rebuildMissingCampaigns(db: DB): Promise<number[]> {
  const stale = await db
    .selectFrom('responses as r')
    .leftJoin('response_signatures as s', 's.response_id', 'r.id')
    .where('r.status', '!=', 'draft')
    .where('s.response_id', 'is', null)
    .select('r.consultation_id')
    .distinct()
    .execute()
  for (const { consultation_id } of stale) {
    await rebuildCampaigns(db, { consultationId: consultation_id })
  }
  return stale.map((s) => s.consultation_id)
}

export interface ClusterSummary {
  id: number
  size: number
  representativeId: number
  representativeText: string
  statuses: Record<string, number>
}

/** Campaigns on one page of a round's list. */
export const CAMPAIGNS_PAGE = 50

/** How many campaigns a round has. */
export async function countClusters(db: DB, { consultationId }: { consultationId: number }) {
  const row = await db
    .selectFrom('campaign_clusters')
    .where('consultation_id', '=', consultationId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One page of a round's campaigns (CAMPAIGNS_PAGE to a page), with where it sits in the list. */
export async function listClusterPage(
  db: DB,
  { consultationId, page }: { consultationId: number; page: number },
) {
  const total = await countClusters(db, { consultationId })
  const paging = pageOf(total, CAMPAIGNS_PAGE, page)
  const clusters = await listClusters(db, {
    consultationId,
    limit: CAMPAIGNS_PAGE,
    offset: paging.offset,
  })
  return {
    clusters,
    paging: {
      page: paging.page,
      pageCount: paging.pageCount,
      total,
      first: paging.offset + 1,
      last: paging.offset + clusters.length,
    },
  }
}

/**
 * A round's campaigns, largest first, with the representative's text: all of them (for the
 * report), or `limit` from `offset` (a page of the list: a million responses made 2,000
 * campaigns, a page of 2.9 MB).
 */
export async function listClusters(
  db: DB,
  {
    consultationId,
    limit,
    offset = 0,
  }: { consultationId: number; limit?: number; offset?: number },
): Promise<ClusterSummary[]> {
  let page = db
    .selectFrom('campaign_clusters')
    .where('consultation_id', '=', consultationId)
    .orderBy('size', 'desc')
    .orderBy('id')
    .select(['id', 'size', 'representative_id'])
  if (limit !== undefined) page = page.limit(limit).offset(offset)
  const clusters = await page.execute()
  if (!clusters.length) return []
  // Every listed cluster's statuses in one grouped query, not one query per cluster.
  const members = db.selectFrom('responses').where('consultation_id', '=', consultationId)
  const statusRows = await (
    limit === undefined
      ? members.where('cluster_id', 'is not', null)
      : members.where(
          'cluster_id',
          'in',
          clusters.map((c) => c.id),
        )
  )
    .select((eb) => ['cluster_id', 'status', eb.fn.countAll<number>().as('n')])
    .groupBy(['cluster_id', 'status'])
    .execute()
  const statusesOf = new Map<number, Record<string, number>>()
  for (const row of statusRows) {
    const statuses = statusesOf.get(row.cluster_id!) ?? {}
    statuses[row.status] = Number(row.n)
    statusesOf.set(row.cluster_id!, statuses)
  }
  const texts = await campaignTexts(
    db,
    clusters.map((c) => c.representative_id),
  )
  return clusters.map((c) => ({
    id: c.id,
    size: c.size,
    representativeId: c.representative_id,
    representativeText: texts.get(c.representative_id) ?? '',
    statuses: statusesOf.get(c.id) ?? {},
  }))
}

/**
 * The text the public may see of each campaign: that of its first member that is published,
 * neither confidential nor withheld from publication by its author. The representative that
 * officials see is the first member of all, which may be unpublished, confidential or withdrawn;
 * a campaign with no such member has no public text.
 */
export async function publicCampaignTexts(
  db: DB,
  { consultationId, clusterIds }: { consultationId: number; clusterIds: number[] },
): Promise<Map<number, string>> {
  if (!clusterIds.length) return new Map()
  const firsts = await db
    .selectFrom('responses')
    .where('consultation_id', '=', consultationId)
    .where('cluster_id', 'in', clusterIds)
    .where('status', '=', 'published')
    .where('publication', '!=', 'not_published')
    .where('confidential', '=', 0)
    .groupBy('cluster_id')
    .select((eb) => ['cluster_id', eb.fn.min('id').as('id')])
    .execute()
  const texts = await campaignTexts(
    db,
    firsts.map((f) => Number(f.id)),
  )
  return new Map(firsts.map((f) => [f.cluster_id!, texts.get(Number(f.id)) ?? '']))
}

/** Members shown on one page of a campaign: the text of each is read and compared. */
export const CLUSTER_PAGE = 200

/** A campaign's id and round, or undefined: what an action on it checks first. */
export async function getClusterRound(db: DB, { clusterId }: { clusterId: number }) {
  return db
    .selectFrom('campaign_clusters')
    .where('id', '=', clusterId)
    .select(['id', 'consultation_id as consultationId'])
    .executeTakeFirst()
}

/** Every member of a campaign, by id: what an action on the whole campaign applies to. */
export async function clusterMemberIds(db: DB, { clusterId }: { clusterId: number }) {
  const rows = await db
    .selectFrom('responses')
    .where('cluster_id', '=', clusterId)
    .orderBy('id')
    .select('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * One campaign: its round, representative text and one page of its members (in id order),
 * each with what it adds to that text. A page, because the largest campaigns run to tens of
 * thousands of letters: all of them read at once held 71 MB for 24,000 members.
 */
export async function getCluster(
  db: DB,
  {
    clusterId,
    page = 1,
    perPage = CLUSTER_PAGE,
  }: { clusterId: number; page?: number; perPage?: number },
) {
  const cluster = await db
    .selectFrom('campaign_clusters')
    .where('id', '=', clusterId)
    .select(['id', 'consultation_id', 'size', 'representative_id'])
    .executeTakeFirst()
  if (!cluster) return null
  const base = await campaignText(db, cluster.representative_id)
  const baseSentences = new Set(sentences(base))
  const paging = pageOf(cluster.size, perPage, page)
  const members = await db
    .selectFrom('responses')
    .where('cluster_id', '=', clusterId)
    .orderBy('id')
    .limit(perPage)
    .offset(paging.offset)
    .select(['id', 'tracking_number', 'status', 'respondent_type', 'country', 'submitted_at'])
    .execute()
  const texts = await campaignTexts(
    db,
    members.map((m) => m.id),
  )
  const baseSignature = minhashSignature(base)
  const withVariations = []
  for (const m of members) {
    const text = texts.get(m.id) ?? ''
    withVariations.push({
      id: m.id,
      trackingNumber: m.tracking_number,
      status: m.status,
      respondentType: m.respondent_type,
      country: m.country,
      submittedAt: m.submitted_at,
      /** Sentences this member has that the representative does not. */
      additions: sentences(text).filter((s) => !baseSentences.has(s)),
      similarity: Number(estimateJaccard(minhashSignature(text), baseSignature).toFixed(2)),
    })
  }
  return {
    id: cluster.id,
    consultationId: cluster.consultation_id,
    size: cluster.size,
    representativeId: cluster.representative_id,
    representativeText: base,
    members: withVariations,
    page: paging.page,
    pageCount: paging.pageCount,
    firstNumber: paging.offset + 1,
  }
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean)
}
