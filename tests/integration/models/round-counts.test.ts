import { describe, expect, test } from 'vitest'
import { decideConfidentiality, moderate } from '#app/models/moderation.server.ts'
import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { withdrawResponse } from '#app/models/responses.server.ts'
import { recountRoundCounts } from '#app/models/round-counts.server.ts'
import {
  checkStatistics,
  officialStatistics,
  publicStatistics,
} from '#app/models/statistics.server.ts'
import { action as respond } from '#app/routes/consultations.$slug_.respond.tsx'
import { action as editAction } from '#app/routes/responses.$trackingNumber_.edit.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { signedInUser } from '#tests/helpers/auth.ts'
import { distinctText, editOf, prng, template } from '#tests/helpers/corpus.ts'
import { openRound, responseRequest, validFields } from '#tests/helpers/responses.ts'

const TYPES = ['ngo', 'company', 'academic', 'individual'] as const
const COUNTRIES = ['NO', 'DK', 'SE', 'FI']
const POSITIONS = ['support', 'oppose', 'support_with_changes'] as const

/** Sends a response through the form's action, as a browser does; its tracking number and key. */
async function send(slug: string, fields: Record<string, string>) {
  const answer = await respond({
    request: responseRequest(`/consultations/${slug}/respond`, fields),
    params: { slug },
    context: { clientAddress: `198.18.${Math.floor(Math.random() * 250)}.1` },
  })
  if (!(answer instanceof Response)) throw new Error(JSON.stringify(answer))
  const location = new URL(answer.headers.get('Location')!, 'http://localhost')
  return { tracking: location.pathname.split('/').pop()!, key: location.searchParams.get('key')! }
}

describe('statistics kept as responses change', () => {
  test('agree with a count from scratch after submissions, edits, moderation, withdrawals and a rebuild with changes meanwhile', async () => {
    const db = getDb()
    const round = await openRound()
    const official = await signedInUser('official')
    const actor = { id: official.id, role: 'official' }
    const random = prng(5)
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
    const letter = template(random)
    const fieldsFor = (i: number) => {
      const type = pick(TYPES)
      return validFields(round, {
        respondentType: type,
        organisation: type === 'individual' ? '' : `Organisation ${i}`,
        country: pick(COUNTRIES),
        publication: random() < 0.2 ? 'not_published' : 'named',
        'scopes[1].position': pick(POSITIONS),
        'scopes[1].body': i % 3 === 0 ? distinctText(random) : editOf(letter, random),
        'scopes[2].position': random() < 0.5 ? pick(POSITIONS) : '',
      }) as Record<string, string>
    }
    const sent: { tracking: string; key: string; id: number }[] = []
    const idOf = async (tracking: string) =>
      (
        await db
          .selectFrom('responses')
          .where('tracking_number', '=', tracking)
          .select('id')
          .executeTakeFirstOrThrow()
      ).id
    for (let i = 0; i < 36; i++) {
      const receipt = await send(round.slug, fieldsFor(i))
      sent.push({ ...receipt, id: await idOf(receipt.tracking) })
    }
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
    const stats = await officialStatistics(db, { consultationId: round.id })
    expect(stats.total).toBe(36)
    // Most of them copy one letter: counted once as a campaign.
    expect(stats.uniqueTexts).toBeLessThan(20)

    const ids = sent.map((s) => s.id)
    await moderate(db, {
      actor,
      consultationId: round.id,
      ids: ids.slice(0, 20),
      action: 'publish',
    })
    await moderate(db, {
      actor,
      consultationId: round.id,
      ids: ids.slice(15, 18),
      action: 'withhold',
      reason: 'Names a third party',
    })
    await moderate(db, { actor, consultationId: round.id, ids: ids.slice(30, 33), action: 'spam' })
    await withdrawResponse(db, { responseId: ids[5]! })
    await decideConfidentiality(db, { actor, id: ids[6]!, decision: 'refused' })
    // Edited through the private link: another country, type and positions.
    for (const s of sent.slice(8, 12)) {
      const answer = await editAction({
        request: responseRequest(
          `/responses/${s.tracking}/edit?key=${s.key}`,
          fieldsFor(100) as Record<string, string>,
        ),
        params: { trackingNumber: s.tracking },
        context: { clientAddress: '198.18.0.9' },
      })
      expect(answer).toBeInstanceOf(Response)
    }
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
    const published = await publicStatistics(db, { consultationId: round.id })
    expect(published.total).toBeGreaterThan(0)
    expect(published.total).toBeLessThan(20)

    // A rebuild, with responses arriving and being moderated while it builds beside.
    let during = 0
    await rebuildCampaigns(db, {
      consultationId: round.id,
      progress: async ({ phase }) => {
        if (phase === 'cleaning' || during >= 6) return
        during++
        const receipt = await send(round.slug, fieldsFor(200 + during))
        const id = await idOf(receipt.tracking)
        await moderate(db, {
          actor,
          consultationId: round.id,
          ids: [id, ids[20 + during]!],
          action: 'publish',
        })
      },
    })
    expect(during).toBeGreaterThan(2)
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
    const kept = await officialStatistics(db, { consultationId: round.id })
    expect(kept.total).toBe(36 - 3 - 1 + during)

    // Counted again from scratch into the kept tables (the repair), the same figures.
    await recountRoundCounts(db, { consultationId: round.id })
    const recounted = await officialStatistics(db, { consultationId: round.id })
    expect({ ...recounted, countedAt: '' }).toEqual({ ...kept, countedAt: '' })
    expect(await checkStatistics(db, { consultationId: round.id })).toEqual([])
  }, 60_000)
})
