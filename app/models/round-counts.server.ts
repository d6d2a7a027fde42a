import { type Kysely, sql } from 'kysely'
import { isPostgres } from '#db/postgres.ts'
import { lockRoundCampaigns } from '#app/models/campaign-lock.server.ts'
import type { Database, Position, ResponseStatus } from '#db/schema.ts'

// The statistics of a round, kept as its responses change (see the migration
// 2026_12_02_000500_create_round_counts for the tables): each change of a response (written,
// edited, moderated, withdrawn, joining a campaign) adds what it now counts for and takes away
// what it counted for before, in the transaction that makes the change. recountStatistics in
// statistics.server.ts counts from scratch, to check these.

type Tx = Kysely<Database>
export type CountScope = 'all' | 'public'
export type CountDimension = 'total' | 'type' | 'country' | 'day' | 'position'

/** What a response is counted by. */
export interface CountedResponse {
  id: number
  consultationId: number
  status: ResponseStatus
  publication: string
  respondentType: string
  country: string
  submittedAt: string
  items: { controlId: number | null; position: Position }[]
  /** Its campaign in each generation of its round's campaigns that is in use or being built. */
  campaigns: { generation: number; clusterId: number }[]
}

/** The cells (scope, dimension, key) a response counts in: none if it counts nowhere. */
export function cellsOf(r: Omit<CountedResponse, 'campaigns' | 'id'>): string[] {
  const scopes: CountScope[] = []
  if (r.status === 'received' || r.status === 'published' || r.status === 'withheld') {
    scopes.push('all')
  }
  if (r.status === 'published' && r.publication !== 'not_published') scopes.push('public')
  const cells: string[] = []
  for (const scope of scopes) {
    cells.push(
      cell(scope, 'total', ''),
      cell(scope, 'type', r.respondentType),
      cell(scope, 'country', r.country),
      cell(scope, 'day', r.submittedAt.slice(0, 10)),
    )
    for (const item of r.items) {
      cells.push(cell(scope, 'position', `${item.controlId ?? 0}|${item.position}`))
    }
  }
  return cells
}

const SEPARATOR = '\u0000'
const cell = (scope: CountScope, dimension: CountDimension, key: string) =>
  `${scope}${SEPARATOR}${dimension}${SEPARATOR}${key}`
const cellParts = (text: string) => {
  const [scope, dimension, ...key] = text.split(SEPARATOR)
  return { scope: scope as CountScope, dimension: dimension!, key: key.join(SEPARATOR) }
}

/** Changes to the counts of one round, summed before they are written. */
export class CountChanges {
  /** cell → change of its count */
  readonly counts = new Map<string, number>()
  /** generation, cluster, cell → change of the campaign's members there */
  readonly campaigns = new Map<string, number>()

  constructor(readonly consultationId: number) {}

  /** Counts a response (sign 1) or stops counting it (sign -1), with its campaigns. */
  add(response: Omit<CountedResponse, 'id'>, sign: 1 | -1) {
    const cells = cellsOf(response)
    for (const c of cells) bump(this.counts, c, sign)
    for (const { generation, clusterId } of response.campaigns) {
      for (const c of cells) bump(this.campaigns, `${generation}|${clusterId}|${c}`, sign)
    }
  }

  /** A response joins (sign 1) or leaves (-1) a campaign in one generation. */
  addMembership(
    response: Omit<CountedResponse, 'id' | 'campaigns'>,
    generation: number,
    clusterId: number,
    sign: 1 | -1,
  ) {
    for (const c of cellsOf(response)) {
      bump(this.campaigns, `${generation}|${clusterId}|${c}`, sign)
    }
  }

  get empty() {
    return ![...this.counts.values(), ...this.campaigns.values()].some((n) => n !== 0)
  }
}

const byCell = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0)

function bump(map: Map<string, number>, key: string, by: number) {
  const next = (map.get(key) ?? 0) + by
  if (next === 0) map.delete(key)
  else map.set(key, next)
}

/**
 * Responses read for their counts at a time: a rebuild's members are scattered through the
 * table, and 2,000 of them read in one statement held the server up to 211 ms at a million.
 */
const READ_BATCH = 500

/** What the responses are counted by, now, with their campaigns in use or being built. */
export async function readCounted(
  db: Tx,
  ids: readonly number[],
  { campaigns = true }: { campaigns?: boolean } = {},
): Promise<CountedResponse[]> {
  const out: CountedResponse[] = []
  for (let start = 0; start < ids.length; start += READ_BATCH) {
    const batch = ids.slice(start, start + READ_BATCH)
    const rows = await db
      .selectFrom('responses')
      .where('id', 'in', batch)
      .select([
        'id',
        'consultation_id',
        'status',
        'publication',
        'respondent_type',
        'country',
        'submitted_at',
      ])
      .execute()
    const items = await db
      .selectFrom('response_items')
      .where('response_id', 'in', batch)
      .select(['response_id', 'control_id', 'position'])
      .orderBy('id')
      .execute()
    const memberships = campaigns
      ? await db
          .selectFrom('campaign_members as m')
          .innerJoin('consultations as c', 'c.id', 'm.consultation_id')
          .where('m.response_id', 'in', batch)
          .where((eb) =>
            eb.or([
              eb('m.generation', '=', eb.ref('c.campaign_generation')),
              eb('m.generation', '=', eb.ref('c.campaign_building')),
            ]),
          )
          .select(['m.response_id', 'm.generation', 'm.cluster_id'])
          .execute()
      : []
    const itemsOf = new Map<number, CountedResponse['items']>()
    for (const item of items) {
      const list = itemsOf.get(item.response_id) ?? []
      list.push({ controlId: item.control_id, position: item.position })
      itemsOf.set(item.response_id, list)
    }
    const campaignsOf = new Map<number, CountedResponse['campaigns']>()
    for (const m of memberships) {
      const list = campaignsOf.get(m.response_id) ?? []
      list.push({ generation: m.generation, clusterId: m.cluster_id })
      campaignsOf.set(m.response_id, list)
    }
    for (const r of rows) {
      out.push({
        id: r.id,
        consultationId: r.consultation_id,
        status: r.status,
        publication: r.publication,
        respondentType: r.respondent_type,
        country: r.country,
        submittedAt: r.submitted_at,
        items: itemsOf.get(r.id) ?? [],
        campaigns: campaignsOf.get(r.id) ?? [],
      })
    }
  }
  return out
}

/**
 * Runs `change` on some responses and keeps the counts right: what the responses counted for
 * before goes, what they count for after comes, in the caller's transaction. (Campaigns they
 * join meanwhile are counted by the campaign code itself: `change` must not make them join.)
 */
export async function keepingCounts<T>(
  trx: Tx,
  ids: readonly number[],
  change: () => Promise<T>,
): Promise<T> {
  // The rounds' campaign locks first, before any response row (see countNewMembers): a change
  // to an existing response meets a rebuild's locks in one order only.
  const rounds = await trx
    .selectFrom('responses')
    .where('id', 'in', ids.length ? [...ids] : [0])
    .select('consultation_id')
    .distinct()
    .orderBy('consultation_id')
    .execute()
  for (const { consultation_id } of rounds) await lockRoundCampaigns(trx, consultation_id)
  const before = await readCounted(trx, ids)
  const result = await change()
  const after = await readCounted(trx, ids)
  const changed = new Map<number, CountChanges>()
  const of = (r: CountedResponse) => {
    let changes = changed.get(r.consultationId)
    if (!changes) changed.set(r.consultationId, (changes = new CountChanges(r.consultationId)))
    return changes
  }
  for (const r of before) of(r).add(r, -1)
  for (const r of after) of(r).add(r, 1)
  for (const changes of changed.values()) await applyCountChanges(trx, changes)
  return result
}

/** Counts a response just written (its campaign is counted when it joins one). */
export async function countNewResponse(trx: Tx, { id }: { id: number }): Promise<void> {
  const [r] = await readCounted(trx, [id], { campaigns: false })
  if (!r) return
  const changes = new CountChanges(r.consultationId)
  changes.add(r, 1)
  await applyCountChanges(trx, changes)
}

/** Counts responses joining a campaign in one generation. */
export async function countJoiningMembers(
  trx: Tx,
  {
    consultationId,
    generation,
    clusterId,
    ids,
  }: { consultationId: number; generation: number; clusterId: number; ids: number[] },
): Promise<void> {
  const changes = new CountChanges(consultationId)
  for (const r of await readCounted(trx, ids, { campaigns: false })) {
    changes.addMembership(r, generation, clusterId, 1)
  }
  await applyCountChanges(trx, changes)
}

const SCOPE_SQL = {
  all: sql`r.status in ('received', 'published', 'withheld')`,
  public: sql`r.status = 'published' and r.publication <> 'not_published'`,
}
const DIMENSION_SQL = {
  total: sql`''`,
  type: sql`r.respondent_type`,
  country: sql`r.country`,
  day: sql`substr(r.submitted_at, 1, 10)`,
  position: sql`coalesce(cast(i.control_id as text), '0') || '|' || i.position`,
}

/**
 * Counts a round again from its responses and campaigns (the generation in use), replacing
 * what is kept, a statement per scope and dimension: for a round loaded from outside the
 * portal (the benchmark's), or to repair one. Each statement holds the database for as long as
 * it counts (a second or so at a million responses): run it with the portal stopped.
 */
export async function recountRoundCounts(
  db: Kysely<Database>,
  { consultationId }: { consultationId: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of ['stat_counts', 'stat_campaigns', 'stat_campaign_keys'] as const) {
      await trx.deleteFrom(table).where('consultation_id', '=', consultationId).execute()
    }
    for (const [scope, where] of Object.entries(SCOPE_SQL)) {
      for (const [dimension, key] of Object.entries(DIMENSION_SQL)) {
        const items =
          dimension === 'position' ? sql`join response_items i on i.response_id = r.id` : sql``
        // PostgreSQL refuses a constant in GROUP BY: the total has no key to group by.
        const byKey = dimension === 'total' ? sql`` : sql`, ${key}`
        await sql`insert into stat_counts (consultation_id, scope, dimension, key, count)
          select ${consultationId}, ${scope}, ${dimension}, ${key}, count(*)
          from responses r ${items}
          where r.consultation_id = ${consultationId} and ${where}
          group by r.consultation_id${byKey}`.execute(trx)
        await sql`insert into stat_campaigns
            (consultation_id, generation, cluster_id, scope, dimension, key, members)
          select ${consultationId}, m.generation, m.cluster_id, ${scope}, ${dimension}, ${key}, count(*)
          from responses r
          join consultations c on c.id = r.consultation_id
          join campaign_members m on m.consultation_id = r.consultation_id
            and m.generation = c.campaign_generation and m.response_id = r.id
          ${items}
          where r.consultation_id = ${consultationId} and ${where}
          group by m.generation, m.cluster_id${byKey}`.execute(trx)
      }
    }
    await sql`insert into stat_campaign_keys
        (consultation_id, generation, scope, dimension, key, clusters, members)
      select consultation_id, generation, scope, dimension, key, count(*), sum(members)
      from stat_campaigns where consultation_id = ${consultationId}
      group by consultation_id, generation, scope, dimension, key`.execute(trx)
  })
}

/** Rows per multi-row upsert (7 columns: well under SQLite's 32,766 parameters). */
const WRITE_ROWS = 500

/** Writes summed changes: counts by addition; campaigns' cells with the keys' campaign tallies. */
export async function applyCountChanges(trx: Tx, changes: CountChanges): Promise<void> {
  if (changes.empty) return
  const consultationId = changes.consultationId
  // In one order everywhere: on PostgreSQL two transactions that lock the same rows in
  // different orders can deadlock.
  const counts = [...changes.counts].sort(byCell).map(([c, n]) => ({
    consultation_id: consultationId,
    ...cellParts(c),
    count: n,
  }))
  for (let i = 0; i < counts.length; i += WRITE_ROWS) {
    await trx
      .insertInto('stat_counts')
      .values(counts.slice(i, i + WRITE_ROWS))
      .onConflict((oc) =>
        oc
          .columns(['consultation_id', 'scope', 'dimension', 'key'])
          .doUpdateSet({ count: sql`stat_counts.count + excluded.count` }),
      )
      .execute()
  }
  if (!changes.campaigns.size) return
  // Campaigns' cells are read, then written whole: two writers at once would lose one's change.
  // (Already held by a change to existing responses; a submission takes it here, last.)
  await lockRoundCampaigns(trx, consultationId)
  // A campaign's cell that comes to have members adds a campaign to its key; one left empty
  // takes it away. That needs the cells as they are: read, then written whole.
  const byCluster = new Map<
    string,
    { generation: number; clusterId: number; cells: Map<string, number> }
  >()
  for (const [key, n] of changes.campaigns) {
    const [generation, clusterId, ...rest] = key.split('|')
    const id = `${generation}|${clusterId}`
    const entry = byCluster.get(id) ?? {
      generation: Number(generation),
      clusterId: Number(clusterId),
      cells: new Map<string, number>(),
    }
    entry.cells.set(rest.join('|'), n)
    byCluster.set(id, entry)
  }
  const keyChanges = new Map<string, { clusters: number; members: number }>()
  const upserts: Database['stat_campaigns'][] = []
  const deletes: { generation: number; clusterId: number; c: string }[] = []
  for (const { generation, clusterId, cells } of byCluster.values()) {
    const existing = await trx
      .selectFrom('stat_campaigns')
      .where('consultation_id', '=', consultationId)
      .where('generation', '=', generation)
      .where('cluster_id', '=', clusterId)
      .select(['scope', 'dimension', 'key', 'members'])
      .execute()
    const now = new Map(
      existing.map((e) => [cell(e.scope, e.dimension as CountDimension, e.key), e.members]),
    )
    for (const [c, n] of cells) {
      const was = now.get(c) ?? 0
      const will = Math.max(0, was + n)
      const tally = keyChanges.get(`${generation}|${c}`) ?? { clusters: 0, members: 0 }
      tally.members += will - was
      if (was === 0 && will > 0) tally.clusters++
      if (was > 0 && will === 0) tally.clusters--
      keyChanges.set(`${generation}|${c}`, tally)
      if (will > 0) {
        upserts.push({
          consultation_id: consultationId,
          generation,
          cluster_id: clusterId,
          ...cellParts(c),
          members: will,
        })
      } else if (was > 0) {
        deletes.push({ generation, clusterId, c })
      }
    }
  }
  for (let i = 0; i < upserts.length; i += WRITE_ROWS) {
    await trx
      .insertInto('stat_campaigns')
      .values(upserts.slice(i, i + WRITE_ROWS))
      .onConflict((oc) =>
        oc
          .columns(['consultation_id', 'generation', 'cluster_id', 'scope', 'dimension', 'key'])
          .doUpdateSet({ members: sql`excluded.members` }),
      )
      .execute()
  }
  for (const { generation, clusterId, c } of deletes) {
    const { scope, dimension, key } = cellParts(c)
    await trx
      .deleteFrom('stat_campaigns')
      .where('consultation_id', '=', consultationId)
      .where('generation', '=', generation)
      .where('cluster_id', '=', clusterId)
      .where('scope', '=', scope)
      .where('dimension', '=', dimension)
      .where('key', '=', key)
      .execute()
  }
  const tallies = [...keyChanges]
    .sort(byCell)
    .filter(([, t]) => t.clusters !== 0 || t.members !== 0)
    .map(([k, t]) => {
      const [generation, ...rest] = k.split('|')
      return {
        consultation_id: consultationId,
        generation: Number(generation),
        ...cellParts(rest.join('|')),
        clusters: t.clusters,
        members: t.members,
      }
    })
  for (let i = 0; i < tallies.length; i += WRITE_ROWS) {
    await trx
      .insertInto('stat_campaign_keys')
      .values(tallies.slice(i, i + WRITE_ROWS))
      .onConflict((oc) =>
        oc.columns(['consultation_id', 'generation', 'scope', 'dimension', 'key']).doUpdateSet({
          clusters: sql`stat_campaign_keys.clusters + excluded.clusters`,
          members: sql`stat_campaign_keys.members + excluded.members`,
        }),
      )
      .execute()
  }
}

/**
 * Moves the counts of campaigns merged into another (in one generation): their members now
 * count as one campaign.
 */
export async function mergeCampaignCounts(
  trx: Tx,
  {
    consultationId,
    generation,
    into,
    from,
  }: { consultationId: number; generation: number; into: number; from: number[] },
): Promise<void> {
  if (!from.length) return
  const rows = await trx
    .selectFrom('stat_campaigns')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .where('cluster_id', 'in', from)
    .select(['cluster_id', 'scope', 'dimension', 'key', 'members'])
    .execute()
  const changes = new CountChanges(consultationId)
  for (const r of rows) {
    const c = cell(r.scope, r.dimension as CountDimension, r.key)
    bump(changes.campaigns, `${generation}|${r.cluster_id}|${c}`, -r.members)
    bump(changes.campaigns, `${generation}|${into}|${c}`, r.members)
  }
  await applyCountChanges(trx, changes)
}

/**
 * Counts campaign members written by a rebuild into the generation it builds, in the same
 * transaction: on PostgreSQL the members' rows are locked first, so that a moderation cannot
 * change one between this read and the commit and go uncounted in the new generation.
 */
export async function countNewMembers(
  trx: Tx,
  {
    consultationId,
    generation,
    clusterId,
    ids,
  }: { consultationId: number; generation: number; clusterId: number; ids: number[] },
): Promise<void> {
  if (isPostgres(trx)) {
    // The round's lock before the rows', as every change to existing responses takes them
    // (keepingCounts): in the other order the two could wait for each other.
    await lockRoundCampaigns(trx, consultationId)
    await trx.selectFrom('responses').where('id', 'in', ids).select('id').forShare().execute()
  }
  const changes = new CountChanges(consultationId)
  for (const r of await readCounted(trx, ids, { campaigns: false })) {
    changes.addMembership(r, generation, clusterId, 1)
  }
  await applyCountChanges(trx, changes)
}

/** The kept counts of a round: per cell, its count and (in generation `generation`) its campaigns. */
export async function readCounts(
  db: Tx,
  { consultationId, generation }: { consultationId: number; generation: number },
) {
  const counts = await db
    .selectFrom('stat_counts')
    .where('consultation_id', '=', consultationId)
    .where('count', '!=', 0)
    .select(['scope', 'dimension', 'key', 'count'])
    .execute()
  const campaigns = await db
    .selectFrom('stat_campaign_keys')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .select(['scope', 'dimension', 'key', 'clusters', 'members'])
    .execute()
  return { counts, campaigns }
}

/** Drops one generation's campaign counts, a slice at a time (with the generation itself). */
export async function dropCampaignCounts(
  db: Tx,
  {
    consultationId,
    generation,
    slice,
  }: { consultationId: number; generation: number; slice: number },
  pause: () => Promise<void>,
): Promise<void> {
  for (;;) {
    const bound = await db
      .selectFrom('stat_campaigns')
      .where('consultation_id', '=', consultationId)
      .where('generation', '=', generation)
      .orderBy('cluster_id')
      .offset(slice)
      .limit(1)
      .select('cluster_id')
      .executeTakeFirst()
    const rows = db
      .deleteFrom('stat_campaigns')
      .where('consultation_id', '=', consultationId)
      .where('generation', '=', generation)
    if (!bound) {
      await rows.execute()
      break
    }
    // Up to and with the bound's campaign: a slice always removes something.
    await rows.where('cluster_id', '<=', bound.cluster_id).execute()
    await pause()
  }
  await db
    .deleteFrom('stat_campaign_keys')
    .where('consultation_id', '=', consultationId)
    .where('generation', '=', generation)
    .execute()
}
