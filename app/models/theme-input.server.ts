import type { ThemeMember, ThemeUnit } from '#app/analysis/themes.ts'
import type { DB } from '#app/utils/db.server.ts'
import { campaignTexts } from './campaigns.server.ts'

/** Where themes are sought: a whole round, one of its controls, or the responses with a tag. */
export interface ThemeScope {
  consultationId: number
  controlId: number | null
  tagId: number | null
}

/** Responses read per query when listing a round's units. */
const PAGE = 2000

/**
 * What a round's themes read: each response on its own, and each campaign (of the round's
 * current generation) as one unit with its representative's id and every member, in the order
 * of their first response. Texts are left empty, to be read a batch at a time (unitTexts): a
 * million texts at once would not fit. Withdrawn and spam responses are not counted. For a
 * control, only responses that answered it (their position there); for a tag, only those that
 * carry it.
 */
export async function themeUnits(
  db: DB,
  {
    consultationId,
    controlId = null,
    tagId = null,
  }: Partial<ThemeScope> & {
    consultationId: number
  },
): Promise<ThemeUnit[]> {
  const round = await db
    .selectFrom('consultations')
    .where('id', '=', consultationId)
    .select('campaign_generation')
    .executeTakeFirst()
  const generation = round?.campaign_generation ?? 0
  const units: ThemeUnit[] = []
  const campaigns = new Map<number, ThemeUnit>()
  for (let after = 0; ;) {
    let query = db
      .selectFrom('responses as r')
      .leftJoin('campaign_members as m', (join) =>
        join
          .onRef('m.response_id', '=', 'r.id')
          .on('m.consultation_id', '=', consultationId)
          .on('m.generation', '=', generation),
      )
      .leftJoin('campaign_clusters as c', 'c.id', 'm.cluster_id')
      .where('r.consultation_id', '=', consultationId)
      .where('r.status', 'in', ['received', 'published', 'withheld'])
      .where('r.id', '>', after)
      .select((eb) => [
        'r.id',
        'r.respondent_type',
        'm.cluster_id',
        'c.representative_id',
        eb
          .selectFrom('response_items as i')
          .whereRef('i.response_id', '=', 'r.id')
          .$if(controlId !== null, (q) => q.where('i.control_id', '=', controlId))
          .select('i.position')
          .orderBy('i.id')
          .limit(1)
          .as('position'),
      ])
    if (controlId !== null) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('response_items as ci')
            .whereRef('ci.response_id', '=', 'r.id')
            .where('ci.control_id', '=', controlId)
            .select('ci.id'),
        ),
      )
    }
    if (tagId !== null) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('response_tags as rt')
            .whereRef('rt.response_id', '=', 'r.id')
            .where('rt.tag_id', '=', tagId)
            .select('rt.id'),
        ),
      )
    }
    const rows = await query.orderBy('r.id').limit(PAGE).execute()
    for (const row of rows) {
      const member: ThemeMember = {
        id: row.id,
        position: row.position ?? null,
        group: row.respondent_type,
      }
      if (row.cluster_id === null || row.representative_id === null) {
        units.push({ id: row.id, text: '', members: [member] })
        continue
      }
      let campaign = campaigns.get(row.cluster_id)
      if (!campaign) {
        campaign = { id: row.representative_id, text: '', members: [] }
        campaigns.set(row.cluster_id, campaign)
        units.push(campaign)
      }
      campaign.members.push(member)
    }
    if (rows.length < PAGE) break
    after = rows[rows.length - 1]!.id
  }
  return units
}

/**
 * Fills in the texts of the units given: each unit's response's items and answers, or for a
 * control, what it said on that control.
 */
export async function unitTexts(
  db: DB,
  units: ThemeUnit[],
  { controlId = null }: { controlId?: number | null } = {},
): Promise<void> {
  const ids = units.map((unit) => unit.id)
  const texts =
    controlId === null ? await campaignTexts(db, ids) : await controlTexts(db, ids, controlId)
  for (const unit of units) unit.text = texts.get(unit.id) ?? ''
}

async function controlTexts(db: DB, ids: number[], controlId: number) {
  const texts = new Map<number, string>()
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE)
    const items = await db
      .selectFrom('response_items')
      .where('response_id', 'in', chunk)
      .where('control_id', '=', controlId)
      .select(['response_id', 'body'])
      .orderBy('id')
      .execute()
    for (const item of items) {
      const before = texts.get(item.response_id)
      texts.set(item.response_id, before ? `${before}\n${item.body}` : item.body)
    }
  }
  return texts
}
