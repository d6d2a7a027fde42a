import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { type ThemeScope, themeUnits } from '#app/models/theme-input.server.ts'
import {
  ThemeStateError,
  acceptTheme,
  checkMerge,
  checkSplit,
  listThemes,
  renameTheme,
} from '#app/models/themes.server.ts'
import { TagNameTakenError, applyTag, createTag } from '#app/models/tags.server.ts'
import {
  findThemesJob,
  mergeThemesJob,
  splitThemeJob,
  tagThemeJob,
} from '#app/jobs/theme-jobs.server.ts'
import { type JobKind, enqueueJob } from '#app/jobs/jobs.server.ts'
import type { JobHandler } from '#app/jobs/runner.server.ts'
import { signedInUser } from '#tests/helpers/auth.ts'
import { getDb } from '#app/utils/db.server.ts'
import { MINORITY_THEMES, themeCorpus } from '#tests/helpers/theme-corpus.ts'

/** A round of labelled responses, plus one campaign of 30 copies, campaigns computed. */
async function labelledRound() {
  const db = getDb()
  const round = await createConsultation(db, {
    slug: `themes-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: 'Themes round',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'T1', title: 'Control' }],
  })
  const controlId = round.controlIds[0]!
  const corpus = themeCorpus('en', 300, 3, 1)
  const idOf = new Map<number, number>()
  for (const r of corpus) {
    const { id } = await createResponse(db, {
      consultationId: round.id,
      respondentType: r.group as 'ngo',
      items: [{ controlId, position: r.position, body: r.text }],
    })
    idOf.set(r.id, id)
  }
  const letter =
    'Cloud hosting of facial recognition should be covered like the software itself. Please clarify how licensing applies to analytics delivered as a service. Intangible transfers through cloud platforms are where most surveillance tools now travel.'
  const copies: number[] = []
  for (let i = 0; i < 30; i++) {
    const { id } = await createResponse(db, {
      consultationId: round.id,
      items: [{ controlId, position: 'support', body: letter }],
    })
    copies.push(id)
  }
  // Withdrawn and spam responses are never counted.
  await createResponse(db, {
    consultationId: round.id,
    status: 'spam',
    items: [{ controlId, position: 'oppose', body: 'Buy cheap watches now, best prices online.' }],
  })
  await rebuildCampaigns(db, { consultationId: round.id })
  return { round, corpus, idOf, copies }
}

describe('a round’s themes as a job', () => {
  test('list each response once and each campaign as one unit with all its members', async () => {
    const { round, copies } = await labelledRound()
    const units = await themeUnits(getDb(), { consultationId: round.id })
    expect(units.reduce((n, u) => n + u.members.length, 0)).toBe(330)
    const campaign = units.find((u) => u.members.some((m) => m.id === copies[0]))!
    // The 30 copies in one unit (with any labelled response the campaign finds like them).
    const members = campaign.members.map((m) => m.id)
    for (const id of copies) expect(members).toContain(id)
    expect(members).toContain(campaign.id)
    const copy = campaign.members.find((m) => m.id === copies[0])!
    expect(copy).toEqual({ id: copies[0], position: 'support', group: 'individual' })
    // Every response in exactly one unit; the generated texts reuse sentences, so some of
    // them form campaigns too: fewer units than responses.
    const all = units.flatMap((u) => u.members.map((m) => m.id))
    expect(new Set(all).size).toBe(330)
    expect(units.length).toBeLessThan(301)
  })

  test('find the themes: saved with their members, the campaign counted once, the minority kept', async () => {
    const { round, corpus, idOf } = await labelledRound()
    const db = getDb()
    const phases: string[] = []
    const result = await run(findThemesJob, 'themes.find', round.id, null, phases)
    expect(phases).toEqual(['listing', 'fitting', 'assigning', 'labelling', 'saving'])
    expect(result.responses).toBe(330)
    expect(result.units).toBe((await themeUnits(db, { consultationId: round.id })).length)
    const themes = await listThemes(db, roundScope(round.id))
    expect(themes.length).toBe(result.themes)
    expect(themes.every((t) => t.state === 'proposed')).toBe(true)
    // The 30 copies of the letter count 30 times in responses, once in units.
    const cloud = themes.find((t) => /cloud/i.test(t.phrases.join(' ')))!
    expect(cloud.responses - cloud.units).toBeGreaterThanOrEqual(29)
    // The minority's quotes are its own respondents' words.
    const minority = new Set(
      corpus.filter((r) => r.theme === MINORITY_THEMES.en).map((r) => idOf.get(r.id)),
    )
    const small = themes.find((t) => t.quotes.some((q) => minority.has(q.responseId)))!
    expect(small.minority).toBe(true)
    // Each theme's members are stored, each response in one theme at most, as many as it counts.
    const members = await memberLists(themes.map((t) => t.id))
    const all = [...members.values()].flat()
    expect(new Set(all).size).toBe(all.length)
    for (const theme of themes) expect(members.get(theme.id)!.length).toBe(theme.responses)
    // The job's result holds the totals only: it fits in the job's row.
    expect(JSON.stringify(result).length).toBeLessThan(4 * 1024)
    // A second run replaces the proposals: none of the first run's themes or members is left.
    await run(findThemesJob, 'themes.find', round.id, null)
    const again = await listThemes(db, roundScope(round.id))
    expect(again.map((t) => t.id).some((id) => themes.some((t) => t.id === id))).toBe(false)
    const left = await db
      .selectFrom('theme_members')
      .where(
        'theme_id',
        'in',
        themes.map((t) => t.id),
      )
      .select('response_id')
      .execute()
    expect(left).toEqual([])
  })

  test('a theme accepted as a tag: its members tagged, audit-logged; renamed with its tag', async () => {
    const { round } = await labelledRound()
    const db = getDb()
    const official = officialActor(await signedInUser('official'))
    await run(findThemesJob, 'themes.find', round.id, null)
    const [theme] = await listThemes(db, roundScope(round.id))
    const { tagId } = await acceptTheme(db, {
      actor: official,
      consultationId: round.id,
      themeId: theme!.id,
    })
    const tagged = await run(
      tagThemeJob,
      'themes.tag',
      round.id,
      { themeId: theme!.id },
      [],
      official.id,
    )
    expect(tagged.tagged).toBe(theme!.responses)
    const members = (await memberLists([theme!.id])).get(theme!.id)!
    const carrying = await db
      .selectFrom('response_tags')
      .where('tag_id', '=', tagId)
      .select('response_id')
      .execute()
    expect(carrying.map((r) => r.response_id).sort((a, b) => a - b)).toEqual(members)
    const tag = await db
      .selectFrom('tags')
      .where('id', '=', tagId)
      .select('name')
      .executeTakeFirstOrThrow()
    expect(tag.name).toBe(theme!.phrases.join(', '))
    const audit = await db
      .selectFrom('audit_log')
      .where('action', 'in', ['theme.accepted', 'response.tagged'])
      .where('actor_id', '=', official.id)
      .select('action')
      .execute()
    expect(audit.map((a) => a.action)).toContain('theme.accepted')
    expect(audit.map((a) => a.action)).toContain('response.tagged')
    const [accepted] = await listThemes(db, roundScope(round.id))
    expect(accepted).toMatchObject({ id: theme!.id, state: 'accepted', tagId, untagged: 0 })
    // Accepting again changes nothing; tagging again tags no one twice.
    expect(
      await acceptTheme(db, { actor: official, consultationId: round.id, themeId: theme!.id }),
    ).toEqual({ tagId })
    expect((await run(tagThemeJob, 'themes.tag', round.id, { themeId: theme!.id })).tagged).toBe(0)

    await renameTheme(db, {
      actor: official,
      consultationId: round.id,
      themeId: theme!.id,
      name: 'Research exemption',
    })
    const renamed = await db
      .selectFrom('tags')
      .where('id', '=', tagId)
      .select('name')
      .executeTakeFirstOrThrow()
    expect(renamed.name).toBe('Research exemption')
    expect((await listThemes(db, roundScope(round.id)))[0]!.name).toBe('Research exemption')
    // A name another tag has is refused, for the tag's sake.
    await createTag(db, {
      actor: official,
      consultationId: round.id,
      input: { name: 'Taken', description: '', colour: 'blue', parentId: null, shortcut: null },
    })
    await expect(
      renameTheme(db, {
        actor: official,
        consultationId: round.id,
        themeId: theme!.id,
        name: 'Taken',
      }),
    ).rejects.toBeInstanceOf(TagNameTakenError)
  })

  test('accepted themes stay when responses arrive: new ones placed in them and tagged, new themes proposed beside', async () => {
    const { round, corpus, idOf } = await labelledRound()
    const db = getDb()
    const official = officialActor(await signedInUser('official'))
    await run(findThemesJob, 'themes.find', round.id, null)
    const first = await listThemes(db, roundScope(round.id))
    const theme = first.find((t) => !t.minority && !/cloud/i.test(t.phrases.join(' ')))!
    await acceptTheme(db, { actor: official, consultationId: round.id, themeId: theme.id })
    await run(tagThemeJob, 'themes.tag', round.id, { themeId: theme.id })
    await renameTheme(db, {
      actor: official,
      consultationId: round.id,
      themeId: theme.id,
      name: 'Accepted theme',
    })
    const before = (await memberLists([theme.id])).get(theme.id)!
    // The labelled theme most of the accepted theme's members come from.
    const labelOf = new Map(corpus.map((r) => [idOf.get(r.id)!, r.theme]))
    const counts = new Map<string, number>()
    for (const id of before) counts.set(labelOf.get(id)!, (counts.get(labelOf.get(id)!) ?? 0) + 1)
    const label = [...counts].sort((a, b) => b[1] - a[1])[0]![0]
    // New responses: copies of texts of that labelled theme, by new respondents.
    const controlId = round.controlIds[0]!
    const texts = corpus.filter((r) => r.theme === label).slice(0, 20)
    const added: number[] = []
    for (const r of texts) {
      const { id } = await createResponse(db, {
        consultationId: round.id,
        items: [{ controlId, position: r.position, body: `${r.text} We add this for the record.` }],
      })
      added.push(id)
    }
    await run(findThemesJob, 'themes.find', round.id, null, [], official.id)
    const second = await listThemes(db, roundScope(round.id))
    const kept = second.find((t) => t.id === theme.id)!
    expect(kept).toMatchObject({ state: 'accepted', name: 'Accepted theme', untagged: 0 })
    const after = new Set((await memberLists([theme.id])).get(theme.id)!)
    // The old members stay (at least 95%), and most of the new responses join it.
    expect(before.filter((id) => after.has(id)).length).toBeGreaterThanOrEqual(0.95 * before.length)
    const joined = added.filter((id) => after.has(id))
    expect(joined.length).toBeGreaterThanOrEqual(15)
    // They carry its tag now; no theme proposed beside it says the same.
    const carrying = new Set(
      (
        await db
          .selectFrom('response_tags')
          .where('tag_id', '=', kept.tagId!)
          .select('response_id')
          .execute()
      ).map((r) => r.response_id),
    )
    for (const id of joined) expect(carrying.has(id)).toBe(true)
    expect(second.filter((t) => t.state === 'proposed').length).toBeGreaterThan(0)
    expect(second.some((t) => t.id !== theme.id && t.phrases.join() === kept.phrases.join())).toBe(
      false,
    )
  })

  test('two themes merged: members and sizes added; an accepted one is the one kept and tags the rest', async () => {
    const { round } = await labelledRound()
    const db = getDb()
    const official = officialActor(await signedInUser('official'))
    await run(findThemesJob, 'themes.find', round.id, null)
    const [a, b, c] = await listThemes(db, roundScope(round.id))
    const members = await memberLists([a!.id, b!.id, c!.id])
    await run(mergeThemesJob, 'themes.merge', round.id, { themeId: a!.id, otherId: b!.id })
    let themes = await listThemes(db, roundScope(round.id))
    expect(themes.find((t) => t.id === b!.id)).toBeUndefined()
    const merged = themes.find((t) => t.id === a!.id)!
    expect(merged.responses).toBe(a!.responses + b!.responses)
    expect(merged.units).toBe(a!.units + b!.units)
    expect(merged.share).toBeCloseTo(a!.share + b!.share, 10)
    const positions = new Map<string, number>()
    for (const [p, n] of [...a!.positions, ...b!.positions])
      positions.set(p, (positions.get(p) ?? 0) + n)
    expect(new Map(merged.positions)).toEqual(positions)
    expect((await memberLists([a!.id])).get(a!.id)).toEqual(
      [...members.get(a!.id)!, ...members.get(b!.id)!].sort((x, y) => x - y),
    )
    // Merged into an accepted theme (asked the other way round), the joiners carry its tag.
    const { tagId } = await acceptTheme(db, {
      actor: official,
      consultationId: round.id,
      themeId: c!.id,
    })
    await run(tagThemeJob, 'themes.tag', round.id, { themeId: c!.id })
    const kept = await run(mergeThemesJob, 'themes.merge', round.id, {
      themeId: a!.id,
      otherId: c!.id,
    })
    expect(kept.kept).toBe(c!.id)
    themes = await listThemes(db, roundScope(round.id))
    expect(themes.find((t) => t.id === a!.id)).toBeUndefined()
    const carrying = new Set(
      (
        await db
          .selectFrom('response_tags')
          .where('tag_id', '=', tagId)
          .select('response_id')
          .execute()
      ).map((r) => r.response_id),
    )
    for (const id of [...members.get(a!.id)!, ...members.get(b!.id)!, ...members.get(c!.id)!]) {
      expect(carrying.has(id)).toBe(true)
    }
    // Two tags are merged on the tags page; a theme with itself, or across languages, is refused.
    const d = themes.find((t) => t.state === 'proposed')!
    await acceptTheme(db, { actor: official, consultationId: round.id, themeId: d.id })
    await expect(
      checkMerge(db, { consultationId: round.id, intoId: c!.id, fromId: d.id }),
    ).rejects.toEqual(new ThemeStateError('bothAccepted'))
    await expect(
      checkMerge(db, { consultationId: round.id, intoId: d.id, fromId: d.id }),
    ).rejects.toEqual(new ThemeStateError('same'))
    await expect(checkSplit(db, { consultationId: round.id, themeId: d.id })).rejects.toEqual(
      new ThemeStateError('accepted'),
    )
  })

  test('a theme split in two: the parts share its members between them', async () => {
    const { round } = await labelledRound()
    const db = getDb()
    await run(findThemesJob, 'themes.find', round.id, null)
    const themes = await listThemes(db, roundScope(round.id))
    const big = themes[0]!
    const members = (await memberLists([big.id])).get(big.id)!
    const result = await run(splitThemeJob, 'themes.split', round.id, { themeId: big.id })
    expect(result.parts).toBe(2)
    const after = await listThemes(db, roundScope(round.id))
    expect(after.find((t) => t.id === big.id)).toBeUndefined()
    const parts = after.filter((t) => !themes.some((o) => o.id === t.id))
    expect(parts).toHaveLength(2)
    const lists = await memberLists(parts.map((p) => p.id))
    const union = [...lists.values()].flat().sort((a, b) => a - b)
    expect(union).toEqual(members)
    expect(parts[0]!.responses + parts[1]!.responses).toBe(big.responses)
    expect(parts[0]!.share + parts[1]!.share).toBeCloseTo(big.share, 10)
    // The rest of the themes are as they were.
    expect(after.length).toBe(themes.length + 1)
  })

  test('themes of a control read what was said on it; themes of a tag only the tagged responses', async () => {
    const db = getDb()
    const official = officialActor(await signedInUser('official'))
    const round = await createConsultation(db, {
      slug: `themes-scope-${Date.now()}`,
      title: 'Scoped themes',
      publishedAt: new Date().toISOString(),
      controls: [
        { reference: 'A', title: 'First' },
        { reference: 'B', title: 'Second' },
      ],
    })
    const [first, second] = round.controlIds as [number, number]
    const corpus = themeCorpus('en', 120, 5, 1)
    const ids: number[] = []
    for (const r of corpus) {
      const { id } = await createResponse(db, {
        consultationId: round.id,
        items: [
          { controlId: first, position: r.position, body: r.text },
          {
            controlId: second,
            position: 'oppose',
            body: 'Quantum computers are out of scope entirely, and so is cryptography research.',
          },
        ],
      })
      ids.push(id)
    }
    // One response says nothing on the first control: it is not in the first control's themes.
    const { id: elsewhere } = await createResponse(db, {
      consultationId: round.id,
      items: [
        {
          controlId: second,
          position: 'support',
          body: 'Quantum sensing belongs in a control of its own, not this one.',
        },
      ],
    })
    const controlScope: ThemeScope = { consultationId: round.id, controlId: first, tagId: null }
    const result = await run(findThemesJob, 'themes.find', round.id, { controlId: first })
    expect(result.responses).toBe(corpus.length)
    const themes = await listThemes(db, controlScope)
    expect(themes.length).toBeGreaterThan(1)
    expect(themes.some((t) => /quantum/i.test(t.phrases.join(' ')))).toBe(false)
    const all = [...(await memberLists(themes.map((t) => t.id))).values()].flat()
    expect(all).not.toContain(elsewhere)
    // The round's themes are apart from the control's.
    expect(await listThemes(db, roundScope(round.id))).toEqual([])
    const tagId = await createTag(db, {
      actor: official,
      consultationId: round.id,
      input: {
        name: 'Read first',
        description: '',
        colour: 'blue',
        parentId: null,
        shortcut: null,
      },
    })
    await applyTag(db, {
      actor: official,
      consultationId: round.id,
      tagId,
      responseIds: ids.slice(0, 40),
    })
    const tagged = await run(findThemesJob, 'themes.find', round.id, { tagId })
    expect(tagged.responses).toBe(40)
  })

  test('a themes job cut off mid-write and run again starts clean', async () => {
    const { round } = await labelledRound()
    const db = getDb()
    const { job } = await enqueueJob(db, {
      kind: 'themes.find',
      consultationId: round.id,
      actor: null,
    })
    // What a first try left: a theme still being built, with members.
    const now = new Date().toISOString()
    const { id } = await db
      .insertInto('themes')
      .values({
        consultation_id: round.id,
        control_id: null,
        scope_tag_id: null,
        state: 'building',
        language: 'en',
        name: null,
        summary: '{}',
        centre: '{"terms":[],"weights":[]}',
        tag_id: null,
        members_job_id: job.id,
        sort_order: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const someone = (await themeUnits(db, { consultationId: round.id }))[0]!.members[0]!.id
    await db
      .insertInto('theme_members')
      .values({ theme_id: id, job_id: job.id, response_id: someone })
      .execute()
    await findThemesJob({ db, job, progress: async () => {} })
    const themes = await listThemes(db, roundScope(round.id))
    expect(themes.length).toBeGreaterThan(1)
    expect(
      await db.selectFrom('themes').where('id', '=', id).select('id').executeTakeFirst(),
    ).toBeUndefined()
  })
})

const roundScope = (consultationId: number): ThemeScope => ({
  consultationId,
  controlId: null,
  tagId: null,
})

/** Runs a job's handler as the runner would, for a job queued with that payload. */
async function run(
  handler: JobHandler,
  kind: JobKind,
  consultationId: number,
  payload: Record<string, unknown> | null,
  phases: string[] = [],
  requestedBy: number | null = null,
) {
  const db = getDb()
  const { job } = await enqueueJob(db, {
    kind,
    consultationId,
    actor: requestedBy === null ? null : { id: requestedBy, role: 'official' },
    payload,
  })
  const result = await handler({
    db,
    job,
    progress: async ({ phase, done, total }) => {
      if (phases.at(-1) !== phase) phases.push(phase)
      if (total !== null) expect(done).toBeLessThanOrEqual(total)
    },
  })
  // Done: a job of the same kind asked for later is a new one.
  await db.updateTable('jobs').set({ state: 'succeeded' }).where('id', '=', job.id).execute()
  return result as Record<string, number>
}

/** The current members of each theme, in id order. */
async function memberLists(themeIds: number[]): Promise<Map<number, number[]>> {
  const rows = await getDb()
    .selectFrom('theme_members as m')
    .innerJoin('themes as t', 't.id', 'm.theme_id')
    .whereRef('m.job_id', '=', 't.members_job_id')
    .where('m.theme_id', 'in', themeIds)
    .select(['m.theme_id', 'm.response_id'])
    .orderBy('m.response_id')
    .execute()
  const lists = new Map(themeIds.map((id) => [id, [] as number[]]))
  for (const row of rows) lists.get(row.theme_id)!.push(row.response_id)
  return lists
}

const officialActor = ({ id }: { id: number }) => ({ id, role: 'official' })
