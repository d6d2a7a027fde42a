import type { DB } from '#app/utils/db.server.ts'
import { type Actor, recordAudit } from './audit.server.ts'

export class TagNameTakenError extends Error {
  constructor() {
    super('tag name taken')
  }
}

export class TagNestingError extends Error {
  constructor() {
    super('tags nest two levels at most')
  }
}

export interface TagView {
  id: number
  name: string
  description: string
  colour: string
  parentId: number | null
  shortcut: number | null
  count: number
}

/** A round's taxonomy: parents first, each followed by its children; with how many responses carry each. */
export async function listTags(
  db: DB,
  { consultationId }: { consultationId: number },
): Promise<TagView[]> {
  const rows = await db
    .selectFrom('tags as t')
    .where('t.consultation_id', '=', consultationId)
    .select((eb) => [
      't.id',
      't.name',
      't.description',
      't.colour',
      't.parent_id',
      't.shortcut',
      eb
        .selectFrom('response_tags as rt')
        .whereRef('rt.tag_id', '=', 't.id')
        .select((e) => e.fn.count<number>('rt.response_id').distinct().as('n'))
        .as('count'),
    ])
    .orderBy('t.name')
    .execute()
  const views = rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    colour: r.colour,
    parentId: r.parent_id,
    shortcut: r.shortcut,
    count: Number(r.count ?? 0),
  }))
  return views
    .filter((t) => t.parentId === null)
    .flatMap((parent) => [parent, ...views.filter((c) => c.parentId === parent.id)])
}

export interface TagInput {
  name: string
  description: string
  colour: string
  parentId: number | null
  shortcut: number | null
}

async function checkTag(db: DB, consultationId: number, input: TagInput, selfId?: number) {
  let same = db
    .selectFrom('tags')
    .where('consultation_id', '=', consultationId)
    .where('name', '=', input.name)
    .select('id')
  if (selfId) same = same.where('id', '!=', selfId)
  if (await same.executeTakeFirst()) throw new TagNameTakenError()
  if (input.parentId) {
    const parent = await db
      .selectFrom('tags')
      .where('id', '=', input.parentId)
      .where('consultation_id', '=', consultationId)
      .select('parent_id')
      .executeTakeFirst()
    if (!parent || parent.parent_id !== null || input.parentId === selfId)
      throw new TagNestingError()
    if (selfId) {
      const child = await db
        .selectFrom('tags')
        .where('parent_id', '=', selfId)
        .select('id')
        .executeTakeFirst()
      if (child) throw new TagNestingError()
    }
  }
}

/** Creates a tag; a parent must itself be top-level (two levels at most). */
export async function createTag(
  db: DB,
  { actor, consultationId, input }: { actor: Actor; consultationId: number; input: TagInput },
) {
  const round = await db
    .selectFrom('consultations')
    .where('id', '=', consultationId)
    .select('id')
    .executeTakeFirst()
  if (!round) throw new Response('Not found', { status: 404 })
  await checkTag(db, consultationId, input)
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    if (input.shortcut) {
      await trx
        .updateTable('tags')
        .set({ shortcut: null })
        .where('consultation_id', '=', consultationId)
        .where('shortcut', '=', input.shortcut)
        .execute()
    }
    const { id } = await trx
      .insertInto('tags')
      .values({
        consultation_id: consultationId,
        name: input.name,
        description: input.description,
        colour: input.colour,
        parent_id: input.parentId,
        shortcut: input.shortcut,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actor,
      action: 'tag.created',
      entityType: 'tag',
      entityId: id,
      after: { ...input },
    })
    return id
  })
}

/** Renames, describes, recolours, re-nests or re-keys a tag. */
export async function updateTag(
  db: DB,
  {
    actor,
    consultationId,
    tagId,
    input,
  }: { actor: Actor; consultationId: number; tagId: number; input: TagInput },
) {
  await checkTag(db, consultationId, input, tagId)
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('tags')
      .where('id', '=', tagId)
      .where('consultation_id', '=', consultationId)
      .select(['name', 'description', 'colour', 'parent_id', 'shortcut'])
      .executeTakeFirst()
    if (!before) throw new Response('Not found', { status: 404 })
    if (input.shortcut) {
      await trx
        .updateTable('tags')
        .set({ shortcut: null })
        .where('consultation_id', '=', consultationId)
        .where('shortcut', '=', input.shortcut)
        .where('id', '!=', tagId)
        .execute()
    }
    await trx
      .updateTable('tags')
      .set({
        name: input.name,
        description: input.description,
        colour: input.colour,
        parent_id: input.parentId,
        shortcut: input.shortcut,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', tagId)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'tag.updated',
      entityType: 'tag',
      entityId: tagId,
      before,
      after: { ...input },
    })
  })
}

/** Merges `fromId` into `intoId`: its taggings move over (no duplicates), its children too, then it goes. */
export async function mergeTags(
  db: DB,
  {
    actor,
    consultationId,
    fromId,
    intoId,
  }: { actor: Actor; consultationId: number; fromId: number; intoId: number },
) {
  if (fromId === intoId) return
  await db.transaction().execute(async (trx) => {
    const tags = await trx
      .selectFrom('tags')
      .where('consultation_id', '=', consultationId)
      .where('id', 'in', [fromId, intoId])
      .select(['id', 'name'])
      .execute()
    if (tags.length !== 2) throw new Response('Not found', { status: 404 })
    const moved = await trx
      .selectFrom('response_tags')
      .where('tag_id', '=', fromId)
      .select(['id', 'response_id', 'item_id', 'quote'])
      .execute()
    for (const tagging of moved) {
      const duplicate = await trx
        .selectFrom('response_tags')
        .where('tag_id', '=', intoId)
        .where('response_id', '=', tagging.response_id)
        .where('item_id', 'is not distinct from', tagging.item_id)
        .where('quote', 'is not distinct from', tagging.quote)
        .select('id')
        .executeTakeFirst()
      if (duplicate) await trx.deleteFrom('response_tags').where('id', '=', tagging.id).execute()
      else
        await trx
          .updateTable('response_tags')
          .set({ tag_id: intoId })
          .where('id', '=', tagging.id)
          .execute()
    }
    await trx
      .updateTable('tags')
      .set({ parent_id: intoId })
      .where('parent_id', '=', fromId)
      .where('id', '!=', intoId)
      .execute()
    await trx.deleteFrom('tags').where('id', '=', fromId).execute()
    await recordAudit(trx, {
      actor,
      action: 'tag.merged',
      entityType: 'tag',
      entityId: intoId,
      before: { from: tags.find((t) => t.id === fromId)?.name, taggings: moved.length },
      after: { into: tags.find((t) => t.id === intoId)?.name },
    })
  })
}

/** Deletes a tag and its taggings; its children become top-level. */
export async function deleteTag(
  db: DB,
  { actor, consultationId, tagId }: { actor: Actor; consultationId: number; tagId: number },
) {
  await db.transaction().execute(async (trx) => {
    const tag = await trx
      .selectFrom('tags')
      .where('id', '=', tagId)
      .where('consultation_id', '=', consultationId)
      .select(['name'])
      .executeTakeFirst()
    if (!tag) throw new Response('Not found', { status: 404 })
    const count = await trx
      .selectFrom('response_tags')
      .where('tag_id', '=', tagId)
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    await trx.deleteFrom('tags').where('id', '=', tagId).execute()
    await recordAudit(trx, {
      actor,
      action: 'tag.deleted',
      entityType: 'tag',
      entityId: tagId,
      before: { name: tag.name, taggings: Number(count.n) },
    })
  })
}

export class QuoteNotFoundError extends Error {
  constructor() {
    super('the quote is not in that text')
  }
}

/**
 * Tags responses: whole responses, or one excerpt of one item (the quote is
 * kept as it was, with its offsets). Tagging twice is a no-op. One audit
 * entry per call, listing the responses.
 */
export async function applyTag(
  db: DB,
  {
    actor,
    consultationId,
    tagId,
    responseIds,
    excerpt,
  }: {
    /** Null for a job asked for by no one (a theme's new members, placed by a later run). */
    actor: Actor | null
    consultationId: number
    tagId: number
    responseIds: number[]
    excerpt?: { itemId: number; quote: string }
  },
): Promise<number> {
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const tag = await trx
      .selectFrom('tags')
      .where('id', '=', tagId)
      .where('consultation_id', '=', consultationId)
      .select('name')
      .executeTakeFirst()
    if (!tag) throw new Response('Not found', { status: 404 })
    let added = 0
    if (excerpt) {
      const item = await trx
        .selectFrom('response_items as i')
        .innerJoin('responses as r', 'r.id', 'i.response_id')
        .where('i.id', '=', excerpt.itemId)
        .where('r.consultation_id', '=', consultationId)
        .select(['i.body', 'i.response_id'])
        .executeTakeFirst()
      const start = item ? item.body.indexOf(excerpt.quote) : -1
      if (!item || !excerpt.quote || start < 0) throw new QuoteNotFoundError()
      await trx
        .insertInto('response_tags')
        .values({
          response_id: item.response_id,
          tag_id: tagId,
          item_id: excerpt.itemId,
          excerpt_start: start,
          excerpt_end: start + excerpt.quote.length,
          quote: excerpt.quote,
          created_by: actor?.id ?? null,
          created_at: now,
        })
        .execute()
      added = 1
    } else {
      for (let i = 0; i < responseIds.length; i += 500) {
        const chunk = responseIds.slice(i, i + 500)
        const valid = await trx
          .selectFrom('responses')
          .where('id', 'in', chunk)
          .where('consultation_id', '=', consultationId)
          .select('id')
          .execute()
        const already = new Set(
          (
            await trx
              .selectFrom('response_tags')
              .where('tag_id', '=', tagId)
              .where('item_id', 'is', null)
              .where('response_id', 'in', chunk)
              .select('response_id')
              .execute()
          ).map((r) => r.response_id),
        )
        const fresh = valid.map((v) => v.id).filter((id) => !already.has(id))
        if (fresh.length) {
          await trx
            .insertInto('response_tags')
            .values(
              fresh.map((response_id) => ({
                response_id,
                tag_id: tagId,
                item_id: null,
                excerpt_start: null,
                excerpt_end: null,
                quote: null,
                created_by: actor?.id ?? null,
                created_at: now,
              })),
            )
            .execute()
        }
        added += fresh.length
      }
    }
    await recordAudit(trx, {
      actor,
      action: excerpt ? 'response.tagged_excerpt' : 'response.tagged',
      entityType: 'tag',
      entityId: tagId,
      after: {
        tag: tag.name,
        responses: excerpt ? undefined : responseIds.slice(0, 1000),
        count: added,
        quote: excerpt?.quote,
      },
    })
    return added
  })
}

/** Removes one tagging (a whole-response tag or an excerpt). */
export async function removeTagging(
  db: DB,
  { actor, consultationId, taggingId }: { actor: Actor; consultationId: number; taggingId: number },
) {
  await db.transaction().execute(async (trx) => {
    const tagging = await trx
      .selectFrom('response_tags as rt')
      .innerJoin('tags as t', 't.id', 'rt.tag_id')
      .where('rt.id', '=', taggingId)
      .where('t.consultation_id', '=', consultationId)
      .select(['rt.response_id', 't.name', 'rt.quote'])
      .executeTakeFirst()
    if (!tagging) throw new Response('Not found', { status: 404 })
    await trx.deleteFrom('response_tags').where('id', '=', taggingId).execute()
    await recordAudit(trx, {
      actor,
      action: 'response.untagged',
      entityType: 'response',
      entityId: tagging.response_id,
      before: { tag: tagging.name, quote: tagging.quote },
    })
  })
}
