import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import type { ThemeResult } from '#app/analysis/themes.ts'
import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { themeUnits } from '#app/models/theme-input.server.ts'
import { findThemesJob } from '#app/jobs/theme-jobs.server.ts'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
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

  test('find the themes, the campaign counted once, the minority kept, no member list stored', async () => {
    const { round, corpus, idOf } = await labelledRound()
    const db = getDb()
    const { job } = await enqueueJob(db, {
      kind: 'themes.find',
      consultationId: round.id,
      actor: null,
    })
    const phases: string[] = []
    const result = (await findThemesJob({
      db,
      job,
      progress: async ({ phase, done, total }) => {
        if (phases.at(-1) !== phase) phases.push(phase)
        if (total !== null) expect(done).toBeLessThanOrEqual(total)
      },
    })) as unknown as ThemeResult
    expect(phases).toEqual(['listing', 'fitting', 'assigning', 'labelling'])
    expect(result.responses).toBe(330)
    expect(result.units).toBe((await themeUnits(db, { consultationId: round.id })).length)
    // The 30 copies of the letter count 30 times in responses, once in units.
    const cloud = result.themes.find((t) => /cloud/i.test(t.phrases.join(' ')))!
    expect(cloud.responses - cloud.units).toBeGreaterThanOrEqual(29)
    // The minority's quotes are its own respondents' words.
    const minority = new Set(
      corpus.filter((r) => r.theme === MINORITY_THEMES.en).map((r) => idOf.get(r.id)),
    )
    const small = result.themes.find((t) => t.quotes.some((q) => minority.has(q.responseId)))!
    expect(small.minority).toBe(true)
    for (const theme of result.themes) {
      expect(theme).not.toHaveProperty('memberIds')
      expect(theme).not.toHaveProperty('centre')
    }
    // The job's result is what a page shows: it fits in the job's row.
    expect(JSON.stringify(result).length).toBeLessThan(64 * 1024)
  })
})
