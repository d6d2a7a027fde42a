import { setImmediate as nextTurn } from 'node:timers/promises'
import type { FixedTheme, Theme, ThemeSummary } from '#app/analysis/themes.ts'
import type { ThemeLanguage } from '#app/analysis/theme-text.ts'
import type { DB } from '#app/utils/db.server.ts'
import type { Selectable } from 'kysely'
import type { ThemesTable } from '#db/schema.ts'
import { type Actor, recordAudit } from './audit.server.ts'
import { insertRows } from './bulk-insert.server.ts'
import { TagNameTakenError, applyTag } from './tags.server.ts'
import type { ThemeScope } from './theme-input.server.ts'

// A round's themes as officials work with them: proposed by a themes job (app/jobs/
// theme-jobs.server.ts), accepted as a tag, renamed, merged or split. Members are written in
// generations (the job that placed them), a batch per transaction, beside the current ones; one
// short transaction then switches, and the old generation is removed a batch at a time.

/** Member rows removed, moved or read per statement. */
const BATCH = 1000
/** Member rows written per statement (8,000 parameters, under SQLite's 32,766). */
const WRITE_ROWS = 2000
const MEMBER_COLUMNS = ['theme_id', 'job_id', 'response_id', 'tagged'] as const
/** A theme's name (and so its tag's) at most: the tags page's bound. */
export const THEME_NAME_MAX = 80

export class ThemeStateError extends Error {
  constructor(readonly reason: 'accepted' | 'bothAccepted' | 'language' | 'same') {
    super(`theme cannot do that: ${reason}`)
  }
}

/** A theme as its page shows it. */
export interface ThemeView extends ThemeSummary {
  id: number
  state: 'proposed' | 'accepted'
  name: string | null
  tagId: number | null
  tagName: string | null
  /** Members the theme's tag is not yet on (an accepted theme's, while its tagging job runs). */
  untagged: number
}

/** The name a theme goes by: its official's, or its key phrases. */
export function themeName(theme: { name?: string | null; phrases: string[] }): string {
  return theme.name ?? theme.phrases.join(', ')
}

/** The accepted themes of a scope, for a new run to keep (ThemeOptions.fixed). */
export async function acceptedThemes(db: DB, scope: ThemeScope): Promise<FixedTheme[]> {
  const rows = await db
    .selectFrom('themes')
    .where('consultation_id', '=', scope.consultationId)
    .where('control_id', 'is not distinct from', scope.controlId)
    .where('scope_tag_id', 'is not distinct from', scope.tagId)
    .where('state', '=', 'accepted')
    .select(['id', 'language', 'centre'])
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    language: row.language as ThemeLanguage,
    centre: JSON.parse(row.centre) as FixedTheme['centre'],
  }))
}

/** Removes one generation of a theme's members, a batch per statement. */
async function dropMembers(db: DB, themeId: number, jobId: number): Promise<void> {
  for (;;) {
    const ids = await db
      .selectFrom('theme_members')
      .where('theme_id', '=', themeId)
      .where('job_id', '=', jobId)
      .select('response_id')
      .limit(BATCH)
      .execute()
    if (ids.length === 0) return
    await db
      .deleteFrom('theme_members')
      .where('theme_id', '=', themeId)
      .where('job_id', '=', jobId)
      .where(
        'response_id',
        'in',
        ids.map((r) => r.response_id),
      )
      .execute()
    await nextTurn()
  }
}

/** Removes retired themes and the generations of members no longer current. */
async function sweep(db: DB, consultationId: number): Promise<void> {
  const retired = await db
    .selectFrom('themes')
    .where('consultation_id', '=', consultationId)
    .where('state', '=', 'retired')
    .select('id')
    .execute()
  for (const { id } of retired) {
    const generations = await db
      .selectFrom('theme_members')
      .where('theme_id', '=', id)
      .select('job_id')
      .distinct()
      .execute()
    for (const { job_id } of generations) await dropMembers(db, id, job_id)
    await db.deleteFrom('themes').where('id', '=', id).execute()
  }
  const stale = await db
    .selectFrom('theme_members as m')
    .innerJoin('themes as t', 't.id', 'm.theme_id')
    .where('t.consultation_id', '=', consultationId)
    .whereRef('m.job_id', '!=', 't.members_job_id')
    .select(['m.theme_id', 'm.job_id'])
    .distinct()
    .execute()
  for (const { theme_id, job_id } of stale) await dropMembers(db, theme_id, job_id)
}

/**
 * Before a job writes: what an earlier try of it left (it was cut off) is removed, so that a
 * job taken up again after a crash starts clean.
 */
export async function clearUnfinished(db: DB, scope: ThemeScope, jobId: number): Promise<void> {
  await db
    .updateTable('themes')
    .set({ state: 'retired' })
    .where('consultation_id', '=', scope.consultationId)
    .where('state', '=', 'building')
    .where('members_job_id', '=', jobId)
    .execute()
  const accepted = await acceptedThemes(db, scope)
  for (const { id } of accepted) await dropMembers(db, id, jobId)
  await sweep(db, scope.consultationId)
}

function summaryOf(theme: Theme): ThemeSummary {
  const { memberIds: _members, centre: _centre, fixedId: _fixed, ...summary } = theme
  return summary
}

/** Ids of a generation of a theme's members that carry its tag already. */
async function taggedMembers(db: DB, themeId: number, jobId: number): Promise<Set<number>> {
  const tagged = new Set<number>()
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('theme_members')
      .where('theme_id', '=', themeId)
      .where('job_id', '=', jobId)
      .where('tagged', '=', 1)
      .where('response_id', '>', after)
      .select('response_id')
      .orderBy('response_id')
      .limit(BATCH * 5)
      .execute()
    for (const row of rows) tagged.add(row.response_id)
    if (rows.length < BATCH * 5) return tagged
    after = rows[rows.length - 1]!.response_id
  }
}

async function writeMembers(
  db: DB,
  themeId: number,
  jobId: number,
  memberIds: number[],
  tagged: Set<number> = new Set(),
): Promise<void> {
  for (let i = 0; i < memberIds.length; i += WRITE_ROWS) {
    const values: number[] = []
    for (const id of memberIds.slice(i, i + WRITE_ROWS)) {
      values.push(themeId, jobId, id, tagged.has(id) ? 1 : 0)
    }
    await insertRows(db, 'theme_members', MEMBER_COLUMNS, values)
    await nextTurn()
  }
}

/** Writes a theme found by a job, still being built, with its members; returns its id. */
async function buildTheme(
  db: DB,
  {
    scope,
    jobId,
    theme,
    order,
    now,
  }: { scope: ThemeScope; jobId: number; theme: Theme; order: number; now: string },
): Promise<number> {
  const { id } = await db
    .insertInto('themes')
    .values({
      consultation_id: scope.consultationId,
      control_id: scope.controlId,
      scope_tag_id: scope.tagId,
      state: 'building',
      language: theme.language,
      name: null,
      summary: JSON.stringify(summaryOf(theme)),
      centre: JSON.stringify(theme.centre),
      tag_id: null,
      members_job_id: jobId,
      sort_order: order,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await writeMembers(db, id, jobId, theme.memberIds)
  return id
}

/**
 * Saves a run's themes for a scope: new themes and the accepted ones' new members written
 * beside the current ones, then one transaction makes them current (the proposals of the last
 * run retired, the accepted themes' counts updated, their names and centres kept). Returns the
 * accepted themes with members their tag is not yet on (new responses placed in them).
 */
export async function saveThemes(
  db: DB,
  { scope, jobId, themes }: { scope: ThemeScope; jobId: number; themes: Theme[] },
): Promise<number[]> {
  const now = new Date().toISOString()
  const fixed = new Map<number, Theme>()
  for (const [order, theme] of themes.entries()) {
    if (theme.fixedId !== null) {
      fixed.set(theme.fixedId, theme)
      const current = await db
        .selectFrom('themes')
        .where('id', '=', theme.fixedId)
        .select('members_job_id')
        .executeTakeFirst()
      if (!current) continue
      const tagged = await taggedMembers(db, theme.fixedId, current.members_job_id)
      await writeMembers(db, theme.fixedId, jobId, theme.memberIds, tagged)
      continue
    }
    await buildTheme(db, { scope, jobId, theme, order, now })
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('themes')
      .set({ state: 'retired' })
      .where('consultation_id', '=', scope.consultationId)
      .where('control_id', 'is not distinct from', scope.controlId)
      .where('scope_tag_id', 'is not distinct from', scope.tagId)
      .where('state', '=', 'proposed')
      .execute()
    await trx
      .updateTable('themes')
      .set({ state: 'proposed', updated_at: now })
      .where('state', '=', 'building')
      .where('members_job_id', '=', jobId)
      .execute()
    for (const [id, theme] of fixed) {
      await trx
        .updateTable('themes')
        .set({
          summary: JSON.stringify(summaryOf(theme)),
          members_job_id: jobId,
          sort_order: themes.indexOf(theme),
          updated_at: now,
        })
        .where('id', '=', id)
        .where('state', '=', 'accepted')
        .execute()
    }
  })
  await sweep(db, scope.consultationId)
  const untagged: number[] = []
  for (const id of fixed.keys()) {
    const row = await db
      .selectFrom('theme_members as m')
      .innerJoin('themes as t', 't.id', 'm.theme_id')
      .where('m.theme_id', '=', id)
      .whereRef('m.job_id', '=', 't.members_job_id')
      .where('m.tagged', '=', 0)
      .select('m.response_id')
      .executeTakeFirst()
    if (row) untagged.push(id)
  }
  return untagged
}

/** A theme's row as the actions read it. */
type ThemeRow = Omit<Selectable<ThemesTable>, 'sort_order' | 'created_at' | 'updated_at'>

async function themeRow(db: DB, consultationId: number, id: number): Promise<ThemeRow> {
  const row = await db
    .selectFrom('themes')
    .where('id', '=', id)
    .where('consultation_id', '=', consultationId)
    .where('state', 'in', ['proposed', 'accepted'])
    .select([
      'id',
      'consultation_id',
      'control_id',
      'scope_tag_id',
      'state',
      'language',
      'name',
      'summary',
      'centre',
      'tag_id',
      'members_job_id',
    ])
    .executeTakeFirst()
  if (!row) throw new Response('Not found', { status: 404 })
  return row
}

/** The scope a theme was found in. */
export async function themeScope(
  db: DB,
  { consultationId, themeId }: { consultationId: number; themeId: number },
): Promise<ThemeScope> {
  const row = await themeRow(db, consultationId, themeId)
  return { consultationId, controlId: row.control_id, tagId: row.scope_tag_id }
}

/** The themes of a scope, in the order their run found them (largest first per language). */
export async function listThemes(db: DB, scope: ThemeScope): Promise<ThemeView[]> {
  const rows = await db
    .selectFrom('themes as t')
    .leftJoin('tags as g', 'g.id', 't.tag_id')
    .where('t.consultation_id', '=', scope.consultationId)
    .where('t.control_id', 'is not distinct from', scope.controlId)
    .where('t.scope_tag_id', 'is not distinct from', scope.tagId)
    .where('t.state', 'in', ['proposed', 'accepted'])
    .select((eb) => [
      't.id',
      't.state',
      't.name',
      't.summary',
      't.tag_id',
      'g.name as tag_name',
      eb
        .selectFrom('theme_members as m')
        .whereRef('m.theme_id', '=', 't.id')
        .whereRef('m.job_id', '=', 't.members_job_id')
        .where('m.tagged', '=', 0)
        .where('t.state', '=', 'accepted')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('untagged'),
    ])
    .orderBy('t.sort_order')
    .orderBy('t.id')
    .execute()
  return rows.map((row) => ({
    ...(JSON.parse(row.summary) as ThemeSummary),
    id: row.id,
    state: row.state === 'accepted' ? 'accepted' : 'proposed',
    name: row.name,
    tagId: row.tag_id,
    tagName: row.tag_name ?? null,
    untagged: Number(row.untagged ?? 0),
  }))
}

/** Renames a theme; an accepted theme's tag takes the name too. */
export async function renameTheme(
  db: DB,
  {
    actor,
    consultationId,
    themeId,
    name,
  }: { actor: Actor; consultationId: number; themeId: number; name: string },
): Promise<void> {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const theme = await themeRow(trx, consultationId, themeId)
    if (theme.tag_id !== null) {
      const taken = await trx
        .selectFrom('tags')
        .where('consultation_id', '=', consultationId)
        .where('name', '=', name)
        .where('id', '!=', theme.tag_id)
        .select('id')
        .executeTakeFirst()
      if (taken) throw new TagNameTakenError()
      await trx
        .updateTable('tags')
        .set({ name, updated_at: now })
        .where('id', '=', theme.tag_id)
        .execute()
    }
    await trx
      .updateTable('themes')
      .set({ name, updated_at: now })
      .where('id', '=', themeId)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'theme.renamed',
      entityType: 'theme',
      entityId: themeId,
      before: {
        name: themeName(JSON.parse(theme.summary) as ThemeSummary & { name: null }),
      },
      after: { name },
    })
  })
}

/**
 * Accepts a theme as a tag: a tag of its name made (or, if the round has a tag of that name,
 * refused), the theme marked accepted. Its members are tagged by a job (tagThemeMembers).
 */
export async function acceptTheme(
  db: DB,
  { actor, consultationId, themeId }: { actor: Actor; consultationId: number; themeId: number },
): Promise<{ tagId: number }> {
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const theme = await themeRow(trx, consultationId, themeId)
    if (theme.state === 'accepted' && theme.tag_id !== null) return { tagId: theme.tag_id }
    const summary = JSON.parse(theme.summary) as ThemeSummary
    const name = [...themeName({ name: theme.name, phrases: summary.phrases })]
      .slice(0, THEME_NAME_MAX)
      .join('')
    const taken = await trx
      .selectFrom('tags')
      .where('consultation_id', '=', consultationId)
      .where('name', '=', name)
      .select('id')
      .executeTakeFirst()
    if (taken) throw new TagNameTakenError()
    const { id: tagId } = await trx
      .insertInto('tags')
      .values({
        consultation_id: consultationId,
        name,
        description: summary.phrases.join(', '),
        parent_id: null,
        shortcut: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('themes')
      .set({ state: 'accepted', tag_id: tagId, name, updated_at: now })
      .where('id', '=', themeId)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'theme.accepted',
      entityType: 'theme',
      entityId: themeId,
      after: { tag: name, tagId, responses: summary.responses },
    })
    return { tagId }
  })
}

/**
 * Puts an accepted theme's tag on each of its members it is not yet on, a batch per
 * transaction (each batch audit-logged as a tagging). Returns how many it tagged.
 */
export async function tagThemeMembers(
  db: DB,
  {
    actor,
    consultationId,
    themeId,
    progress,
  }: {
    actor: Actor | null
    consultationId: number
    themeId: number
    progress?: (done: number, total: number) => Promise<void>
  },
): Promise<number> {
  const theme = await themeRow(db, consultationId, themeId)
  if (theme.state !== 'accepted' || theme.tag_id === null) return 0
  const pending = () =>
    db
      .selectFrom('theme_members')
      .where('theme_id', '=', themeId)
      .where('job_id', '=', theme.members_job_id)
      .where('tagged', '=', 0)
  const total = Number(
    (
      await pending()
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  )
  let done = 0
  for (;;) {
    const ids = (
      await pending().select('response_id').orderBy('response_id').limit(500).execute()
    ).map((r) => r.response_id)
    if (ids.length === 0) break
    await applyTag(db, {
      actor,
      consultationId,
      tagId: theme.tag_id,
      responseIds: ids,
    })
    await db
      .updateTable('theme_members')
      .set({ tagged: 1 })
      .where('theme_id', '=', themeId)
      .where('job_id', '=', theme.members_job_id)
      .where('response_id', 'in', ids)
      .execute()
    done += ids.length
    await progress?.(done, total)
    await nextTurn()
  }
  return done
}

function combined(a: ThemeSummary, b: ThemeSummary): ThemeSummary {
  const add = (x: [string, number][], y: [string, number][]) => {
    const counts = new Map(x)
    for (const [key, n] of y) counts.set(key, (counts.get(key) ?? 0) + n)
    return [...counts].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))
  }
  const quotes = [...a.quotes]
  for (const quote of b.quotes) {
    if (quotes.length >= 3) break
    if (!quotes.some((q) => q.position === quote.position)) quotes.push(quote)
  }
  const share = a.share + b.share
  return {
    ...a,
    phrases: [...new Set([...a.phrases, ...b.phrases])].slice(0, 4),
    responses: a.responses + b.responses,
    units: a.units + b.units,
    share,
    unitShare: a.unitShare + b.unitShare,
    positions: add(a.positions, b.positions),
    groups: add(a.groups, b.groups),
    quotes,
    minority: a.minority && b.minority,
  }
}

/** Refuses a merge that cannot be done (ThemeStateError), before a job is queued for it. */
export async function checkMerge(
  db: DB,
  { consultationId, intoId, fromId }: { consultationId: number; intoId: number; fromId: number },
): Promise<void> {
  if (intoId === fromId) throw new ThemeStateError('same')
  const into = await themeRow(db, consultationId, intoId)
  const from = await themeRow(db, consultationId, fromId)
  if (
    into.control_id !== from.control_id ||
    into.scope_tag_id !== from.scope_tag_id ||
    into.language !== from.language
  ) {
    throw new ThemeStateError('language')
  }
  if (into.state === 'accepted' && from.state === 'accepted') {
    throw new ThemeStateError('bothAccepted')
  }
}

/** Refuses to split an accepted theme (it is a tag now: its members are the tag's). */
export async function checkSplit(
  db: DB,
  { consultationId, themeId }: { consultationId: number; themeId: number },
): Promise<void> {
  const theme = await themeRow(db, consultationId, themeId)
  if (theme.state === 'accepted') throw new ThemeStateError('accepted')
}

/**
 * Merges one theme into another of the same scope and language: the members moved a batch at a
 * time, sizes and splits added, quotes of both kept. The accepted theme is the one kept (its
 * tag then goes on the members that join it); two accepted themes are two tags, merged on the
 * tags page instead. Returns the theme kept.
 */
export async function mergeThemes(
  db: DB,
  {
    actor,
    consultationId,
    intoId,
    fromId,
  }: {
    actor: Actor | null
    consultationId: number
    intoId: number
    fromId: number
  },
): Promise<number> {
  await checkMerge(db, { consultationId, intoId, fromId })
  let into = await themeRow(db, consultationId, intoId)
  let from = await themeRow(db, consultationId, fromId)
  if (from.state === 'accepted') [into, from] = [from, into]
  const intoAccepted = into.state === 'accepted'
  for (;;) {
    const ids = (
      await db
        .selectFrom('theme_members')
        .where('theme_id', '=', from.id)
        .where('job_id', '=', from.members_job_id)
        .select('response_id')
        .orderBy('response_id')
        .limit(BATCH)
        .execute()
    ).map((r) => r.response_id)
    if (ids.length === 0) break
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('theme_members')
        .values(
          ids.map((response_id) => ({
            theme_id: into.id,
            job_id: into.members_job_id,
            response_id,
            tagged: 0,
          })),
        )
        .onConflict((oc) => oc.columns(['theme_id', 'job_id', 'response_id']).doNothing())
        .execute()
      await trx
        .deleteFrom('theme_members')
        .where('theme_id', '=', from.id)
        .where('job_id', '=', from.members_job_id)
        .where('response_id', 'in', ids)
        .execute()
    })
    await nextTurn()
  }
  const now = new Date().toISOString()
  const intoSummary = JSON.parse(into.summary) as ThemeSummary
  const fromSummary = JSON.parse(from.summary) as ThemeSummary
  const merged = combined(intoSummary, fromSummary)
  const a = JSON.parse(into.centre) as FixedTheme['centre']
  const b = JSON.parse(from.centre) as FixedTheme['centre']
  const weights = new Map<string, number>()
  a.terms.forEach((term, i) => weights.set(term, (a.weights[i] ?? 0) * intoSummary.responses))
  b.terms.forEach((term, i) =>
    weights.set(term, (weights.get(term) ?? 0) + (b.weights[i] ?? 0) * fromSummary.responses),
  )
  const norm = Math.sqrt([...weights.values()].reduce((s, w) => s + w * w, 0)) || 1
  // An accepted theme's centre stays as it was accepted: what it gathers does not drift.
  const centre = intoAccepted
    ? a
    : {
        terms: [...weights.keys()],
        weights: [...weights.values()].map((w) => w / norm),
      }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('themes')
      .set({
        summary: JSON.stringify(merged),
        centre: JSON.stringify(centre),
        updated_at: now,
      })
      .where('id', '=', into.id)
      .execute()
    await trx.updateTable('themes').set({ state: 'retired' }).where('id', '=', from.id).execute()
    await recordAudit(trx, {
      actor,
      action: 'theme.merged',
      entityType: 'theme',
      entityId: into.id,
      before: {
        from: from.id,
        fromName: themeName({ ...fromSummary, name: from.name }),
      },
      after: {
        into: into.id,
        name: themeName({ ...merged, name: into.name }),
        responses: merged.responses,
      },
    })
  })
  await sweep(db, consultationId)
  if (intoAccepted) await tagThemeMembers(db, { actor, consultationId, themeId: into.id })
  return into.id
}

/** The members of a proposed theme (for a split), refusing an accepted one. */
export async function splittableMembers(
  db: DB,
  { consultationId, themeId }: { consultationId: number; themeId: number },
): Promise<{ scope: ThemeScope; memberIds: Set<number>; language: string; summary: ThemeSummary }> {
  await checkSplit(db, { consultationId, themeId })
  const theme = await themeRow(db, consultationId, themeId)
  const memberIds = new Set<number>()
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('theme_members')
      .where('theme_id', '=', themeId)
      .where('job_id', '=', theme.members_job_id)
      .where('response_id', '>', after)
      .select('response_id')
      .orderBy('response_id')
      .limit(BATCH * 5)
      .execute()
    for (const row of rows) memberIds.add(row.response_id)
    if (rows.length < BATCH * 5) break
    after = rows[rows.length - 1]!.response_id
  }
  return {
    scope: {
      consultationId,
      controlId: theme.control_id,
      tagId: theme.scope_tag_id,
    },
    memberIds,
    language: theme.language,
    summary: JSON.parse(theme.summary) as ThemeSummary,
  }
}

/**
 * Puts the parts a split found in the place of the theme split (they are proposed, after it in
 * order). Parts under two leave the theme as it was. Returns the parts' ids.
 */
export async function replaceTheme(
  db: DB,
  {
    actor,
    consultationId,
    themeId,
    jobId,
    parts,
  }: {
    actor: Actor | null
    consultationId: number
    themeId: number
    jobId: number
    parts: Theme[]
  },
): Promise<number[]> {
  const theme = await themeRow(db, consultationId, themeId)
  if (theme.state === 'accepted') throw new ThemeStateError('accepted')
  if (parts.length < 2) return []
  const now = new Date().toISOString()
  const order =
    (
      await db
        .selectFrom('themes')
        .where('id', '=', themeId)
        .select('sort_order')
        .executeTakeFirst()
    )?.sort_order ?? 0
  const ids: number[] = []
  const scope = { consultationId, controlId: theme.control_id, tagId: theme.scope_tag_id }
  for (const part of parts) {
    ids.push(await buildTheme(db, { scope, jobId, theme: part, order, now }))
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('themes')
      .set({ state: 'retired' })
      .where('id', '=', themeId)
      .where('state', '=', 'proposed')
      .execute()
    await trx
      .updateTable('themes')
      .set({ state: 'proposed', updated_at: now })
      .where('id', 'in', ids)
      .execute()
    await recordAudit(trx, {
      actor,
      action: 'theme.split',
      entityType: 'theme',
      entityId: themeId,
      after: { into: ids },
    })
  })
  await sweep(db, consultationId)
  return ids
}
