import { performance } from 'node:perf_hooks'
import {
  countJoiningMembers,
  countNewMembers,
  dropCampaignCounts,
  mergeCampaignCounts,
} from '#app/models/round-counts.server.ts'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { type Kysely, sql } from 'kysely'
import { SAME_CAMPAIGN } from '#app/analysis/campaign-clusters.ts'
import {
  REUSE_CANDIDATES,
  type MemberKind,
  reuseKind,
  shingleContainment,
  templateDifferences,
} from '#app/analysis/campaign-reuse.ts'
import {
  BANDS,
  REUSE_BANDS,
  bandKeys,
  estimateJaccard,
  minhashSignature,
  reuseBandKeys,
  shingleHashes,
  signatureFromBytes,
  signatureToBytes,
} from '#app/analysis/minhash.ts'
import { CampaignThread } from '#app/jobs/campaign-thread.server.ts'
import { lockRoundCampaigns } from '#app/models/campaign-lock.server.ts'
import { insertRows } from '#app/models/bulk-insert.server.ts'
import { countInIdSlices, roundIdSpan } from '#app/models/round-span.server.ts'
import type { Database } from '#db/schema.ts'
import type { DB } from '#app/utils/db.server.ts'
import { pageOf } from '#app/utils/paging.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'

type Tx = Kysely<Database>

/** A bucket keeps this many members: enough to find any of them, few rows for identical copies. */
const BUCKET_MEMBERS = 4
/** Candidates compared per new response at most: the update stays constant-time. */
const MAX_CANDIDATES = 64
/** Rows of representatives' reuse bands a new response reads at most. */
const REUSE_ROWS_READ = 256
/**
 * The estimated Jaccard similarity with a representative below which a new response is not
 * compared with its text: reusing the template at REUSE_CONTAINMENT with five times its length
 * of one's own is still 0.17, and unrelated texts are mostly under 0.06.
 */
const REUSE_JACCARD_FLOOR = 0.1
/** Representatives whose texts a new response is compared with at most. */
const REUSE_TEXTS = 3

/**
 * The generation of a round's campaigns that people see, the one a rebuild is writing, and
 * whether responses join that one themselves yet (once it is written: see rebuildCampaigns).
 */
export async function campaignGenerations(
  db: Tx,
  consultationId: number,
): Promise<{ live: number; building: number | null; buildingJoins: boolean }> {
  const row = await db
    .selectFrom('consultations')
    .where('id', '=', consultationId)
    .select(['campaign_generation', 'campaign_building', 'campaign_building_joins'])
    .executeTakeFirst()
  return {
    live: row?.campaign_generation ?? 0,
    building: row?.campaign_building ?? null,
    buildingJoins: row?.campaign_building !== null && Boolean(row?.campaign_building_joins),
  }
}

/**
 * The generation of campaigns people see, inside a query: of the round `round` (an id), or of
 * the round whose id is in the column `round` (a reference such as 'r.consultation_id').
 */
export function liveGeneration(round: number | string) {
  return typeof round === 'number'
    ? sql<number>`(select campaign_generation from consultations where consultations.id = ${round})`
    : sql<number>`(select campaign_generation from consultations where consultations.id = ${sql.ref(round)})`
}

/** The text a campaign is recognised by: what the respondent wrote, not who they are. */
export async function campaignText(db: Tx, responseId: number): Promise<string> {
  return (await campaignTexts(db, [responseId])).get(responseId) ?? ''
}

/**
 * Puts members into one cluster of a generation, merging the clusters they are in. `via` is
 * how the first of them came to join the others: a copy of them, or the template with changes
 * (see campaign-reuse.ts). A copy of members that all joined as the template with changes is
 * one too. Returns the cluster, and whether it is new.
 */
async function setCluster(
  db: Tx,
  {
    consultationId,
    generation,
    members,
    via = 'copy',
    now,
  }: {
    consultationId: number
    generation: number
    members: number[]
    via?: MemberKind
    now: string
  },
): Promise<{ clusterId: number; created: boolean }> {
  const rows = await db
    .selectFrom('campaign_members')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .where('response_id', 'in', members)
    .select(['response_id', 'cluster_id', 'kind'])
    .execute()
  const ids = [...new Set(rows.map((r) => r.cluster_id))].sort((a, b) => a - b)
  let clusterId = ids[0]
  const created = clusterId === undefined
  if (clusterId === undefined) {
    const row = await db
      .insertInto('campaign_clusters')
      .values({
        consultation_id: consultationId,
        generation,
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
    await mergeCampaignCounts(db, { consultationId, generation, into: clusterId, from: others })
    await db
      .updateTable('campaign_members')
      .set({ cluster_id: clusterId })
      .where('cluster_id', 'in', others)
      .execute()
    await db.deleteFrom('campaign_clusters').where('id', 'in', others).execute()
  }
  const inCluster = new Set(rows.map((r) => r.response_id))
  const joining = [...new Set(members)].filter((id) => !inCluster.has(id))
  const others = rows.filter((r) => r.response_id !== members[0])
  const firstKind: MemberKind =
    via === 'template' ||
    (others.length > 0 && joining.length === 1 && others.every((r) => r.kind === 'template'))
      ? 'template'
      : 'copy'
  if (joining.length) {
    await db
      .insertInto('campaign_members')
      .values(
        joining.map((response_id) => ({
          consultation_id: consultationId,
          generation,
          response_id,
          cluster_id: clusterId,
          kind: response_id === members[0] ? firstKind : ('copy' as const),
        })),
      )
      .execute()
    await countJoiningMembers(db, { consultationId, generation, clusterId, ids: joining })
    added += joining.length
  }
  await db
    .updateTable('campaign_clusters')
    .set((eb) => ({ size: eb('size', '+', added), updated_at: now }))
    .where('id', '=', clusterId)
    .execute()
  return { clusterId, created }
}

/**
 * Brings one response into one generation of its round's campaigns: its LSH buckets, and a
 * bounded comparison with the responses that share a bucket. Near-duplicates join (or merge) a
 * cluster. Returns the response's cluster, or null.
 */
async function joinGeneration(
  db: Tx,
  {
    responseId,
    consultationId,
    generation,
    signature,
    text,
    now,
  }: {
    responseId: number
    consultationId: number
    generation: number
    signature: Uint32Array
    /** The response's campaign text, asked for only if it may reuse a campaign's. */
    text: () => Promise<string>
    now: string
  },
): Promise<number | null> {
  const keys = bandKeys(signature)
  // A bucket holds BUCKET_MEMBERS responses at most, so this reads 128 rows at most, from the
  // buckets' key alone: the buckets' fill and the candidates.
  const members = await db
    .selectFrom('campaign_buckets')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
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
  const signatureOf = new Map<number, Uint32Array>([[responseId, signature]])
  if (candidates.size) {
    const signatures = await db
      .selectFrom('response_signatures')
      .where('response_id', 'in', [...candidates])
      .select(['response_id', 'signature'])
      .execute()
    for (const candidate of signatures) {
      const other = signatureFromBytes(candidate.signature)
      signatureOf.set(candidate.response_id, other)
      if (estimateJaccard(signature, other) >= SAME_CAMPAIGN) similar.add(candidate.response_id)
    }
  }
  // Join the buckets that still have room.
  const open = keys.filter((key) => (fill.get(key) ?? 0) < BUCKET_MEMBERS)
  await addToBuckets(db, { consultationId, generation, responseId, keys: open })
  const scope = { consultationId, generation }
  if (!similar.size) {
    const reused = await findReusedText(db, { ...scope, responseId, signature, text })
    if (!reused) return null
    const joined = await setCluster(db, {
      ...scope,
      members: [responseId, reused.templateId],
      via: reused.kind,
      now,
    })
    return joined.clusterId
  }
  const joining = [responseId, ...similar]
  const { clusterId, created } = await setCluster(db, { ...scope, members: joining, now })
  if (created) {
    // A new campaign's representative (its first member) is what later texts may reuse.
    const first = Math.min(...joining)
    await storeReuseKeys(db, { ...scope, responseId: first, signature: signatureOf.get(first)! })
  }
  return clusterId
}

/** Puts a response in the buckets of a generation's band keys given (once each). */
async function addToBuckets(
  db: Tx,
  {
    consultationId,
    generation,
    responseId,
    keys,
  }: { consultationId: number; generation: number; responseId: number; keys: number[] },
) {
  if (!keys.length) return
  await db
    .insertInto('campaign_buckets')
    .values(
      keys.map((band_key) => ({
        consultation_id: consultationId,
        generation,
        band_key,
        response_id: responseId,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** A campaign representative's reuse bands, for new responses to find it by (findReusedText). */
async function storeReuseKeys(
  db: Tx,
  {
    consultationId,
    generation,
    responseId,
    signature,
  }: { consultationId: number; generation: number; responseId: number; signature: Uint32Array },
) {
  await addToBuckets(db, { consultationId, generation, responseId, keys: reuseBandKeys(signature) })
}

/**
 * The campaign member (a representative) whose text a response that is no copy reuses, and
 * how (campaign-reuse.ts): the representatives sharing most reuse bands with it are estimated
 * from their signatures, and the few likely ones compared on their texts' shingles.
 */
async function findReusedText(
  db: Tx,
  {
    consultationId,
    generation,
    responseId,
    signature,
    text,
  }: {
    consultationId: number
    generation: number
    responseId: number
    signature: Uint32Array
    text: () => Promise<string>
  },
): Promise<{ templateId: number; kind: MemberKind } | null> {
  const rows = await db
    .selectFrom('campaign_buckets')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .where('band_key', 'in', reuseBandKeys(signature))
    .limit(REUSE_ROWS_READ)
    .select('response_id')
    .execute()
  const hits = new Map<number, number>()
  for (const { response_id } of rows) {
    if (response_id !== responseId) hits.set(response_id, (hits.get(response_id) ?? 0) + 1)
  }
  if (!hits.size) return null
  const ranked = [...hits]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, REUSE_CANDIDATES)
    .map(([id]) => id)
  const signatures = await db
    .selectFrom('response_signatures')
    .where('response_id', 'in', ranked)
    .select(['response_id', 'signature'])
    .execute()
  const likely = signatures
    .map((row) => ({
      id: row.response_id,
      jaccard: estimateJaccard(signature, signatureFromBytes(row.signature)),
    }))
    .filter((c) => c.jaccard >= REUSE_JACCARD_FLOOR)
    .sort((a, b) => b.jaccard - a.jaccard || a.id - b.id)
    .slice(0, REUSE_TEXTS)
  if (!likely.length) return null
  // Only members of this generation's campaigns: a representative's keys outlive nothing else.
  const members = await db
    .selectFrom('campaign_members')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .where(
      'response_id',
      'in',
      likely.map((c) => c.id),
    )
    .select('response_id')
    .execute()
  const inCampaign = new Set(members.map((m) => m.response_id))
  const templates = likely.filter((c) => inCampaign.has(c.id)).map((c) => c.id)
  if (!templates.length) return null
  const own = shingleHashes(await text())
  const texts = await campaignTexts(db, templates)
  let best: { templateId: number; kind: MemberKind; score: number } | null = null
  for (const templateId of templates) {
    const overlap = shingleContainment(own, shingleHashes(texts.get(templateId) ?? ''))
    const kind = reuseKind(overlap)
    const score = Math.max(overlap.ofMember, overlap.ofTemplate)
    if (kind && (!best || score > best.score)) best = { templateId, kind, score }
  }
  return best && { templateId: best.templateId, kind: best.kind }
}

async function storeSignature(db: Tx, responseId: number, signature: Uint32Array) {
  const bytes = Buffer.from(signatureToBytes(signature))
  await db
    .insertInto('response_signatures')
    .values({ response_id: responseId, signature: bytes })
    .onConflict((oc) => oc.column('response_id').doUpdateSet({ signature: bytes }))
    .execute()
}

/**
 * Incremental campaign detection for one new or edited response, inside its transaction: its
 * MinHash signature, then its place in the campaigns people see. While a rebuild runs, the
 * response is also noted for the rebuild to bring into the generation it is writing.
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
  await lockRoundCampaigns(db, consultationId)
  // `text` saves reading back what the caller has just written.
  const own = text ?? (await campaignText(db, responseId))
  const ownText = async () => own
  const signature = minhashSignature(own)
  await storeSignature(db, responseId, signature)
  const { live, building, buildingJoins } = await campaignGenerations(db, consultationId)
  if (building !== null && buildingJoins) {
    // The rebuild has written its generation: the response joins it here, as it joins the one
    // in use, and the rebuild's catch-up has only what came before to bring in (an edit of one
    // of those is brought in here, and so no longer waits).
    await db
      .deleteFrom('campaign_pending')
      .where('consultation_id', '=', consultationId)
      .where('response_id', '=', responseId)
      .execute()
    await joinGeneration(db, {
      responseId,
      consultationId,
      generation: building,
      signature,
      text: ownText,
      now,
    })
  } else if (building !== null) {
    await db
      .insertInto('campaign_pending')
      .values({ consultation_id: consultationId, response_id: responseId })
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  return joinGeneration(db, {
    responseId,
    consultationId,
    generation: live,
    signature,
    text: ownText,
    now,
  })
}

/** Responses whose texts are read in one query (well under SQLite's 32,766 parameters). */
const TEXT_BATCH = 5000

/** Texts a rebuild reads and signs at a time: the items of 1,000 took up to 98 ms to read. */
const SIGN_BATCH = 500

/** Rows per multi-row insert in a rebuild: 8,000 parameters at most, under SQLite's 32,766. */
const WRITE_ROWS = 2000

/** How long one of a rebuild's write transactions may run before it commits and lets others in. */
const SLICE_MS = 25

/** Lets the requests waiting behind a rebuild's last step run (SQLite's driver never yields). */
const yieldToOthers = () => nextTurn()

/** A rebuild rests this many times as long as each of its steps took. */
const REST = 2

/**
 * Between two of a rebuild's steps: twice as long as the last took, so that the rebuild has at
 * most a third of the server's thread and of the database, and submissions the rest. With only
 * a turn of the event loop between, the next slice began before the submissions waiting had
 * theirs; resting as long again (half the time) still doubled their p99 at a million.
 */
const pauseAfter = (ms: number, rest = REST) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.min(rest * 50, Math.max(1, Math.round(ms * rest)))),
  )

/**
 * The catch-up's slices and rests. Once the new generation takes new responses itself, what is
 * left to bring in no longer grows, so the catch-up need not outpace anyone: it takes a fifth of
 * the database in slices of 10 ms. With a third in slices of 25 ms, the submissions meanwhile had
 * the worst p99 of the rebuild at a million (956 ms, against 477 to 684 in its other phases).
 */
const CATCH_UP = { sliceMs: 10, rest: 4 }

/** Rests in proportion to the work done since its last rest: for loops of single statements. */
function restingPacer(): () => Promise<void> {
  let since = performance.now()
  return async () => {
    await pauseAfter(performance.now() - since)
    since = performance.now()
  }
}

/**
 * Runs write steps in transactions of about SLICE_MS each, yielding between them: a rebuild
 * writes tens of millions of rows, and one transaction held every submission for its length.
 */
async function writeInSlices(db: DB, steps: Iterable<(trx: Tx) => Promise<void>>): Promise<void> {
  const iterator = steps[Symbol.iterator]()
  let next = iterator.next()
  while (!next.done) {
    const started = performance.now()
    await db.transaction().execute(async (trx) => {
      do {
        await next.value!(trx)
        next = iterator.next()
      } while (!next.done && performance.now() - started < SLICE_MS)
    })
    await pauseAfter(performance.now() - started)
  }
}

/** Rows a deletion of an old generation removes per statement. */
const DROP_SLICE = 5000

/**
 * Deletes a generation of a round's campaigns, a slice at a time: it is no longer seen. Each
 * slice is a range of the table's key, up to the key DROP_SLICE rows on (`in (select … limit)`
 * took PostgreSQL 1.7 s for 6,000 buckets).
 */
async function dropGeneration(db: DB, consultationId: number, generation: number) {
  const rest = restingPacer()
  await dropCampaignCounts(db, { consultationId, generation, slice: DROP_SLICE }, rest)
  const tables = [
    ['campaign_members', 'response_id'],
    ['campaign_buckets', 'band_key'],
    ['campaign_clusters', 'id'],
  ] as const
  for (const [table, key] of tables) {
    for (;;) {
      const rows = () =>
        db
          .deleteFrom(table)
          .where('consultation_id', '=', consultationId)
          .where('generation', '=', generation)
      const bound = await db
        .selectFrom(table)
        .where('consultation_id', '=', consultationId)
        .where('generation', '=', generation)
        .orderBy(key)
        .offset(DROP_SLICE)
        .limit(1)
        .select(`${key} as key`)
        .executeTakeFirst()
      if (!bound) {
        await rows().execute()
        break
      }
      await rows().where(key, '<', bound.key).execute()
      await rest()
    }
  }
}

/** What a rebuild is doing, for its job's progress. */
export type RebuildPhase = 'signing' | 'grouping' | 'writing' | 'catching-up' | 'cleaning'

/** Told of a rebuild's progress (done of total steps); throwing stops the rebuild, cleanly. */
export type RebuildProgress = (step: {
  phase: RebuildPhase
  done: number
  total: number
}) => Promise<void>

/** Responses a rebuild's final steps read at a time, from those written meanwhile. */
const PENDING_SLICE = 25

/**
 * Brings the responses written during a rebuild into the generation it wrote; true when none are
 * left. `signedUpTo` is the last response the rebuild signed itself: a later one's signature is
 * the one its own transaction stored, from its text as it is (each edit stores it again).
 */
async function joinPending(
  trx: Tx,
  {
    consultationId,
    generation,
    now,
    signedUpTo,
  }: { consultationId: number; generation: number; now: string; signedUpTo: number },
  { limit, sliceMs }: { limit: number; sliceMs: number },
): Promise<boolean> {
  const pending = await trx
    .selectFrom('campaign_pending')
    .where('consultation_id', '=', consultationId)
    .orderBy('response_id')
    .limit(limit)
    .select('response_id')
    .execute()
  const ids = pending.map((p) => p.response_id)
  if (!ids.length) return true
  // An earlier response, edited while the rebuild signed, may have had the rebuild's signature
  // of its old text written over its new one: it is signed again from the text as it is now.
  // A later one's stored signature is read: signing each again took a millisecond or two, and
  // the catch-up at a million barely kept up with the submissions arriving meanwhile.
  const stored = new Map<number, Uint32Array>()
  const later = ids.filter((id) => id > signedUpTo)
  if (later.length) {
    const rows = await trx
      .selectFrom('response_signatures')
      .where('response_id', 'in', later)
      .select(['response_id', 'signature'])
      .execute()
    for (const row of rows) stored.set(row.response_id, signatureFromBytes(row.signature))
  }
  const unsigned = ids.filter((id) => !stored.has(id))
  const texts = unsigned.length ? await campaignTexts(trx, unsigned) : new Map<number, string>()
  // Within the slice's time: 50 responses at a millisecond or two each held every submission
  // for 100 ms, and 77,000 arrived during a rebuild at a million.
  const started = performance.now()
  const joined: number[] = []
  for (const responseId of ids) {
    if (joined.length && performance.now() - started > sliceMs) break
    let signature = stored.get(responseId)
    if (!signature) {
      signature = minhashSignature(texts.get(responseId) ?? '')
      await storeSignature(trx, responseId, signature)
    }
    const text = async () => texts.get(responseId) ?? (await campaignText(trx, responseId))
    await joinGeneration(trx, { responseId, consultationId, generation, signature, text, now })
    joined.push(responseId)
  }
  await trx
    .deleteFrom('campaign_pending')
    .where('consultation_id', '=', consultationId)
    .where('response_id', 'in', joined)
    .execute()
  return ids.length < limit && joined.length === ids.length
}

/**
 * Recomputes every campaign of a round from the responses' texts: for repairs, or after the
 * threshold changes. Built beside the campaigns people see, as a new generation, and switched to
 * in one short transaction when complete: until then the old campaigns stay as they were, and a
 * rebuild that stops half-way (cancelled, or its server killed) leaves them so. The signing,
 * sorting and joining run in a worker thread (CampaignThread); every write runs in transactions
 * of about SLICE_MS; responses that arrive meanwhile are noted (campaign_pending) and brought
 * into the new generation before the switch. Returns the number of campaigns found.
 */
export async function rebuildCampaigns(
  db: DB,
  { consultationId, progress }: { consultationId: number; progress?: RebuildProgress },
): Promise<number> {
  const now = new Date().toISOString()
  const report = progress ?? (async () => {})
  // A generation number no earlier attempt used: one cut off may still be writing its own.
  const { generation, previous } = await db.transaction().execute(async (trx) => {
    await lockRoundCampaigns(trx, consultationId)
    const { live, building } = await campaignGenerations(trx, consultationId)
    const next = Math.max(live, building ?? live) + 1
    await trx
      .updateTable('consultations')
      .set({ campaign_building: next, campaign_building_joins: 0 })
      .where('id', '=', consultationId)
      .execute()
    return { generation: next, previous: building }
  })
  let thread: CampaignThread | null = null
  try {
    // What an interrupted rebuild left goes first.
    if (previous !== null) await dropGeneration(db, consultationId, previous)
    // The responses there were when the build began: later ones are noted as pending (the
    // building generation is set), and read again without a bound the read would never end
    // while responses keep arriving.
    // Counted a slice at a time: one count held the server 0.4 s at a million.
    const submitted = () =>
      db
        .selectFrom('responses')
        .where('consultation_id', '=', consultationId)
        .where('status', '!=', 'draft')
    const span = await roundIdSpan(db, consultationId)
    const lastId = span?.last ?? 0
    const n = await countInIdSlices(span, async (from, to) => {
      const row = await submitted()
        .where('id', '>=', from)
        .where('id', '<', to)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    })
    // Steps: each text signed, each band joined (a band counts as n / BANDS), each member written.
    const expected = Math.max(1, n)
    const total = expected * 3
    await report({ phase: 'signing', done: 0, total })
    thread = new CampaignThread()
    let signed = 0
    for (let after = 0; ;) {
      const batch = await submitted()
        .where('id', '>', after)
        .where('id', '<=', lastId)
        .select('id')
        .orderBy('id')
        .limit(SIGN_BATCH)
        .execute()
      if (batch.length === 0) break
      after = batch[batch.length - 1]!.id
      const ids = batch.map((r) => r.id)
      const read = performance.now()
      const texts = await campaignTexts(db, ids)
      await pauseAfter(performance.now() - read)
      const bytes = await thread.sign(
        Int32Array.from(ids),
        ids.map((id) => texts.get(id) ?? ''),
      )
      const width = bytes.length / ids.length
      const rows: unknown[] = []
      ids.forEach((id, i) => rows.push(id, Buffer.from(bytes.buffer, i * width, width)))
      await writeInSlices(db, [
        (trx) =>
          insertRows(trx, 'response_signatures', ['response_id', 'signature'], rows, 'response_id'),
      ])
      signed += ids.length
      await report({ phase: 'signing', done: Math.min(signed, expected), total })
    }
    for (let band = 0; band < BANDS; band++) {
      await report({
        phase: 'grouping',
        done: expected + Math.round((band * expected) / BANDS),
        total,
      })
      const { keys, starts, ids } = await thread.band(band, BUCKET_MEMBERS)
      const steps = function* () {
        let rows: unknown[] = []
        for (let i = 0; i < keys.length; i++) {
          for (let k = starts[i]!; k < starts[i + 1]!; k++) {
            rows.push(consultationId, generation, keys[i], ids[k])
          }
          if (rows.length >= WRITE_ROWS * 4 || i === keys.length - 1) {
            const chunk = rows
            rows = []
            yield (trx: Tx) =>
              insertRows(
                trx,
                'campaign_buckets',
                ['consultation_id', 'generation', 'band_key', 'response_id'],
                chunk,
              )
          }
        }
      }
      await writeInSlices(db, steps())
    }
    const found = await thread.clusters()
    const { representatives, starts, ids, reuseKeys } = found
    const { joined: reused, merged } = await checkReuse(db, thread, found)
    await thread.close()
    thread = null
    const joiningAlone = [...reused.values()].reduce((sum, list) => sum + list.length, 0)
    // A campaign that joins a larger one whole brings its members, of the kind it joined as.
    for (const [from, { into, kind }] of merged) {
      const list = reused.get(into) ?? []
      for (let k = starts[from]!; k < starts[from + 1]!; k++) list.push({ id: ids[k]!, kind })
      reused.set(into, list)
    }
    const members = ids.length + joiningAlone
    let written = 0
    await report({ phase: 'writing', done: expected * 2, total })
    const clusterSteps = function* () {
      for (let c = 0; c < representatives.length; c++) {
        if (merged.has(c)) continue
        let clusterId = 0
        const from = starts[c]!
        const to = starts[c + 1]!
        // The copies, then the texts that reuse the representative's (with their kind).
        const extra = reused.get(c) ?? []
        const memberIds = [...ids.subarray(from, to), ...extra.map((m) => m.id)]
        const kinds = [
          ...Array.from({ length: to - from }, () => 'copy'),
          ...extra.map((m) => m.kind),
        ]
        yield async (trx: Tx) => {
          const row = await trx
            .insertInto('campaign_clusters')
            .values({
              consultation_id: consultationId,
              generation,
              representative_id: representatives[c]!,
              size: memberIds.length,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          clusterId = row.id
          // Its representative's reuse bands, for responses arriving later (findReusedText).
          const keys: unknown[] = []
          for (let band = 0; band < REUSE_BANDS; band++) {
            keys.push(
              consultationId,
              generation,
              reuseKeys[c * REUSE_BANDS + band],
              representatives[c],
            )
          }
          await insertRows(
            trx,
            'campaign_buckets',
            ['consultation_id', 'generation', 'band_key', 'response_id'],
            keys,
          )
        }
        for (let i = 0; i < memberIds.length; i += WRITE_ROWS) {
          const end = Math.min(memberIds.length, i + WRITE_ROWS)
          yield async (trx: Tx) => {
            const rows: unknown[] = []
            for (let k = i; k < end; k++)
              rows.push(consultationId, generation, memberIds[k], clusterId, kinds[k])
            await insertRows(
              trx,
              'campaign_members',
              ['consultation_id', 'generation', 'response_id', 'cluster_id', 'kind'],
              rows,
            )
            // Counted with them, in their transaction (see countNewMembers).
            await countNewMembers(trx, {
              consultationId,
              generation,
              clusterId,
              ids: memberIds.slice(i, end),
            })
            written += end - i
          }
        }
      }
    }
    let lastReport = performance.now()
    for (const step of chunksOf(clusterSteps(), 64)) {
      await writeInSlices(db, step)
      if (performance.now() - lastReport > 250) {
        lastReport = performance.now()
        await report({
          phase: 'writing',
          done: expected * 2 + Math.round((written / Math.max(1, members)) * expected),
          total,
        })
      }
    }
    // From here on responses join the new generation in their own transaction; those written
    // before are brought in a slice per transaction, then any last few with the switch. (While
    // they were only noted, they arrived faster than a third of the server brought them in.)
    await db.transaction().execute(async (trx) => {
      await lockRoundCampaigns(trx, consultationId)
      await stillBuilding(trx, consultationId, generation)
      await trx
        .updateTable('consultations')
        .set({ campaign_building_joins: 1 })
        .where('id', '=', consultationId)
        .execute()
    })
    await report({ phase: 'catching-up', done: total - 1, total })
    const scope = { consultationId, generation, now, signedUpTo: lastId }
    const pendingSlice = { limit: PENDING_SLICE, sliceMs: CATCH_UP.sliceMs }
    for (;;) {
      const started = performance.now()
      const done = await db.transaction().execute(async (trx) => {
        await lockRoundCampaigns(trx, consultationId)
        await stillBuilding(trx, consultationId, generation)
        return joinPending(trx, scope, pendingSlice)
      })
      await pauseAfter(performance.now() - started, CATCH_UP.rest)
      if (done) break
    }
    const old = await db.transaction().execute(async (trx) => {
      await lockRoundCampaigns(trx, consultationId)
      await stillBuilding(trx, consultationId, generation)
      while (!(await joinPending(trx, scope, pendingSlice))) {
        // Responses keep arriving: each is a few milliseconds, and the lock keeps more out.
      }
      const { live } = await campaignGenerations(trx, consultationId)
      await trx
        .updateTable('consultations')
        .set({
          campaign_generation: generation,
          campaign_building: null,
          campaign_building_joins: 0,
        })
        .where('id', '=', consultationId)
        .execute()
      return live
    })
    // Public statistics and reports count unique texts by campaign: their kept copies go.
    clearCache()
    // Switched: the rebuild has done what it was for, and a request to cancel it now is too late.
    const tell = (done: number) => report({ phase: 'cleaning', done, total }).catch(() => {})
    await tell(total - 1)
    await dropGeneration(db, consultationId, old)
    await tell(total)
    return representatives.length - merged.size
  } catch (error) {
    await thread?.close()
    // A job taken up elsewhere, or stopped with its server, is begun again by the next attempt,
    // which drops what this one wrote: a stopping server should not spend minutes on it first.
    if (!(error instanceof Error && error.name === 'JobLost')) {
      await abandonBuild(db, consultationId, generation)
    }
    throw error
  }
}

/**
 * Which of the texts that may reuse a campaign's text (the thread's candidates, each with its
 * campaign's index) do: their texts and their representatives' are read again, a batch at a
 * time, and compared in the thread on their shingles (reuseKind). The texts outside every
 * campaign that join one, by campaign; the campaigns that join another whole (their
 * representative reuses its text), by campaign joining.
 */
async function checkReuse(
  db: DB,
  thread: CampaignThread,
  {
    representatives,
    candidates,
    candidateCampaigns,
    candidateFrom,
  }: {
    representatives: Int32Array
    candidates: Int32Array
    candidateCampaigns: Int32Array
    candidateFrom: Int32Array
  },
) {
  const joined = new Map<number, { id: number; kind: MemberKind }[]>()
  const merged = new Map<number, { into: number; kind: MemberKind }>()
  if (!candidates.length) return { joined, merged }
  const textsOf = async (ids: number[]) => {
    const read = performance.now()
    const texts = await campaignTexts(db, ids)
    await pauseAfter(performance.now() - read)
    return ids.map((id) => texts.get(id) ?? '')
  }
  const templates = [...new Set(Array.from(candidateCampaigns, (c) => representatives[c]!))]
  for (const chunk of chunksOf(templates, SIGN_BATCH)) {
    await thread.templates(Int32Array.from(chunk), await textsOf(chunk))
  }
  for (let i = 0; i < candidates.length; i += SIGN_BATCH) {
    const batch = Array.from(candidates.subarray(i, i + SIGN_BATCH))
    const campaigns = candidateCampaigns.slice(i, i + SIGN_BATCH)
    const kinds = await thread.reuse(
      Int32Array.from(batch),
      await textsOf(batch),
      Int32Array.from(campaigns, (c) => representatives[c]!),
    )
    kinds.forEach((code, j) => {
      if (!code) return
      const kind: MemberKind = code === 1 ? 'copy' : 'template'
      const into = campaigns[j]!
      const from = candidateFrom[i + j]!
      if (from >= 0) {
        merged.set(from, { into, kind })
        return
      }
      const list = joined.get(into) ?? []
      list.push({ id: batch[j]!, kind })
      joined.set(into, list)
    })
  }
  return { joined, merged }
}

/** Stops a rebuild that another attempt has taken over (its job was thought dead and begun again). */
async function stillBuilding(trx: Tx, consultationId: number, generation: number) {
  const { building } = await campaignGenerations(trx, consultationId)
  if (building !== generation) {
    const error = new Error('another rebuild of these campaigns has begun')
    error.name = 'JobLost'
    throw error
  }
}

/** Ends a rebuild that stopped (cancelled, or failed): the old campaigns stay as they are. */
async function abandonBuild(db: DB, consultationId: number, generation: number) {
  const abandoned = await db.transaction().execute(async (trx) => {
    await lockRoundCampaigns(trx, consultationId)
    const { building } = await campaignGenerations(trx, consultationId)
    if (building !== generation) return false
    await trx
      .updateTable('consultations')
      .set({ campaign_building: null, campaign_building_joins: 0 })
      .where('id', '=', consultationId)
      .execute()
    await trx.deleteFrom('campaign_pending').where('consultation_id', '=', consultationId).execute()
    return true
  })
  if (abandoned) await dropGeneration(db, consultationId, generation)
}

function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = []
  for (const item of items) {
    chunk.push(item)
    if (chunk.length === size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length) yield chunk
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
 * The rounds with responses that have no signature: after a migration that dropped them, or
 * responses loaded from outside the portal. `npm start` rebuilds their campaigns as jobs.
 */
export async function roundsMissingSignatures(db: DB): Promise<number[]> {
  const stale = await db
    .selectFrom('responses as r')
    .leftJoin('response_signatures as s', 's.response_id', 'r.id')
    .where('r.status', '!=', 'draft')
    .where('s.response_id', 'is', null)
    .select('r.consultation_id')
    .distinct()
    .execute()
  return stale.map((s) => s.consultation_id).sort((a, b) => a - b)
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
    .where('generation', '=', liveGeneration(consultationId))
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
    .where('generation', '=', liveGeneration(consultationId))
    .orderBy('size', 'desc')
    .orderBy('id')
    .select(['id', 'size', 'representative_id'])
  if (limit !== undefined) page = page.limit(limit).offset(offset)
  const clusters = await page.execute()
  if (!clusters.length) return []
  // The listed campaigns' statuses, about memberReads.slice members a query: small campaigns
  // together, a large one a slice of its members at a time (one grouping of the 50 largest
  // campaigns' members held the server 1.4 s at a million).
  const statusesOf = new Map<number, Record<string, number>>(clusters.map((c) => [c.id, {}]))
  const add = (clusterId: number, status: string, n: number) => {
    const statuses = statusesOf.get(clusterId)!
    statuses[status] = (statuses[status] ?? 0) + n
  }
  const small: number[][] = [[]]
  let filled = 0
  for (const cluster of clusters) {
    if (cluster.size <= memberReads.slice) {
      if (filled + cluster.size > memberReads.slice) {
        small.push([])
        filled = 0
      }
      small.at(-1)!.push(cluster.id)
      filled += cluster.size
      continue
    }
    for await (const range of memberRanges(db, cluster.id)) {
      const rows = await inRange(membersOf(db, cluster.id), range)
        .select((eb) => ['r.status', eb.fn.countAll<number>().as('n')])
        .groupBy('r.status')
        .execute()
      for (const row of rows) add(cluster.id, row.status, Number(row.n))
    }
  }
  for (const ids of small.filter((batch) => batch.length)) {
    const rows = await db
      .selectFrom('campaign_members as m')
      .innerJoin('responses as r', 'r.id', 'm.response_id')
      .where('m.cluster_id', 'in', ids)
      .select((eb) => ['m.cluster_id', 'r.status', eb.fn.countAll<number>().as('n')])
      .groupBy(['m.cluster_id', 'r.status'])
      .execute()
    for (const row of rows) add(row.cluster_id, row.status, Number(row.n))
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
  // Each campaign's first public member, looked for a slice of its members at a time.
  const firsts: { clusterId: number; id: number }[] = []
  for (const clusterId of clusterIds) {
    for await (const range of memberRanges(db, clusterId)) {
      const first = await inRange(membersOf(db, clusterId), range)
        .where('m.consultation_id', '=', consultationId)
        .where('r.status', '=', 'published')
        .where('r.publication', '!=', 'not_published')
        .where('r.confidential', '=', 0)
        .select((eb) => eb.fn.min('r.id').as('id'))
        .executeTakeFirst()
      if (first?.id != null) {
        firsts.push({ clusterId, id: Number(first.id) })
        break
      }
    }
  }
  const texts = await campaignTexts(
    db,
    firsts.map((f) => f.id),
  )
  return new Map(firsts.map((f) => [f.clusterId, texts.get(f.id) ?? '']))
}

/**
 * Members a read over campaigns' members takes at a time, with a turn for requests between
 * (tests lower it, to read a small campaign in several slices). Each member's status is a row of
 * its own to find: at a million, 5,000 of them a query took up to 123 ms.
 */
export const memberReads = { slice: 2000 }

/** A slice of a campaign's members: response ids after `after`, up to `upTo` (null: to the end). */
interface MemberRange {
  after: number
  upTo: number | null
}

/** A campaign's members in slices of memberReads.slice, in order of response id (campaign_members_cluster). */
async function* memberRanges(db: DB, clusterId: number): AsyncGenerator<MemberRange> {
  for (let after = 0; ;) {
    const bound = await db
      .selectFrom('campaign_members')
      .where('cluster_id', '=', clusterId)
      .where('response_id', '>', after)
      .orderBy('response_id')
      .offset(memberReads.slice - 1)
      .limit(1)
      .select('response_id')
      .executeTakeFirst()
    yield { after, upTo: bound?.response_id ?? null }
    if (!bound) return
    after = bound.response_id
    await yieldToOthers()
  }
}

/** A campaign's members joined with their responses (a cluster id names one generation's campaign). */
function membersOf(db: DB, clusterId: number) {
  return db
    .selectFrom('campaign_members as m')
    .innerJoin('responses as r', 'r.id', 'm.response_id')
    .where('m.cluster_id', '=', clusterId)
}

function inRange<Q extends ReturnType<typeof membersOf>>(
  query: Q,
  { after, upTo }: MemberRange,
): Q {
  const from = query.where('m.response_id', '>', after) as Q
  return upTo === null ? from : (from.where('m.response_id', '<=', upTo) as Q)
}

/** Members shown on one page of a campaign: the text of each is read and compared. */
export const CLUSTER_PAGE = 200

/** A campaign people see: one of its round's generation in use. */
function liveCluster(db: DB, clusterId: number) {
  return db
    .selectFrom('campaign_clusters as c')
    .innerJoin('consultations as round', (join) =>
      join
        .onRef('round.id', '=', 'c.consultation_id')
        .onRef('round.campaign_generation', '=', 'c.generation'),
    )
    .where('c.id', '=', clusterId)
}

/** A campaign's id and round, or undefined: what an action on it checks first. */
export async function getClusterRound(db: DB, { clusterId }: { clusterId: number }) {
  return liveCluster(db, clusterId)
    .select(['c.id', 'c.consultation_id as consultationId'])
    .executeTakeFirst()
}

/** Every member of a campaign, by id: what an action on the whole campaign applies to. */
export async function clusterMemberIds(db: DB, { clusterId }: { clusterId: number }) {
  const rows = await db
    .selectFrom('campaign_members')
    .where('cluster_id', '=', clusterId)
    .orderBy('response_id')
    .select('response_id')
    .execute()
  return rows.map((r) => r.response_id)
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
  const cluster = await liveCluster(db, clusterId)
    .select(['c.id', 'c.consultation_id', 'c.size', 'c.representative_id'])
    .executeTakeFirst()
  if (!cluster) return null
  const base = await campaignText(db, cluster.representative_id)
  const paging = pageOf(cluster.size, perPage, page)
  const members = await db
    .selectFrom('campaign_members as m')
    .innerJoin('responses as r', 'r.id', 'm.response_id')
    .where('m.cluster_id', '=', clusterId)
    .orderBy('m.response_id')
    .limit(perPage)
    .offset(paging.offset)
    .select([
      'r.id',
      'r.tracking_number',
      'r.status',
      'r.respondent_type',
      'r.country',
      'r.submitted_at',
      'm.kind',
    ])
    .execute()
  const texts = await campaignTexts(
    db,
    members.map((m) => m.id),
  )
  const baseSignature = minhashSignature(base)
  const withVariations = []
  for (const m of members) {
    const text = texts.get(m.id) ?? ''
    const { additions, omissions } = templateDifferences(text, base)
    withVariations.push({
      id: m.id,
      trackingNumber: m.tracking_number,
      status: m.status,
      respondentType: m.respondent_type,
      country: m.country,
      submittedAt: m.submitted_at,
      kind: m.kind,
      /** Sentences this member has that the representative does not. */
      additions,
      /** The representative's sentences it leaves out: told for the template with changes only. */
      omissions: m.kind === 'template' ? omissions : [],
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

/** The campaign of each response of a round that is in one, as people see them. */
export async function listCampaignMembers(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<{ responseId: number; clusterId: number }[]> {
  return db
    .selectFrom('campaign_members')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', liveGeneration(consultationId))
    .orderBy('response_id')
    .select(['response_id as responseId', 'cluster_id as clusterId'])
    .execute()
}

/** The campaign a response is in, as people see it, or null. */
export async function campaignOf(
  db: DB,
  { responseId }: { responseId: number },
): Promise<number | null> {
  const row = await db
    .selectFrom('campaign_members as m')
    .innerJoin('responses as r', 'r.id', 'm.response_id')
    .where('m.response_id', '=', responseId)
    .whereRef('m.consultation_id', '=', 'r.consultation_id')
    .where('m.generation', '=', liveGeneration('r.consultation_id'))
    .select('m.cluster_id')
    .executeTakeFirst()
  return row?.cluster_id ?? null
}
