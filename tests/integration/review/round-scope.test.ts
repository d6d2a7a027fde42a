// An official's form on one round cannot reach into another round by naming its ids: a summary of
// another round's control or tag is refused, and a bulk action leaves other rounds' responses be.
import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as queueAction } from '#app/routes/manage.rounds.$id_.responses.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { answer } from '#tests/helpers/hostile.ts'

async function round(name: string) {
  return createConsultation(getDb(), {
    slug: `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: name,
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'S1', title: 'Control' }],
  })
}

describe('ids of another round', () => {
  test('a summary of another round’s control, or of no control at all, is refused and not stored', async () => {
    const official = await signedInUser('official')
    const mine = await round('mine')
    const theirs = await round('theirs')
    for (const controlId of [String(theirs.controlIds[0]), '2147483647']) {
      const out = await answer(() =>
        analysisAction({
          request: pageRequest(`/manage/rounds/${mine.id}/analysis`, {
            cookie: official.cookie,
            form: { intent: 'save', controlId, tagId: '', body: 'Summary' },
          }),
          params: { id: String(mine.id) },
          context,
        }),
      )
      expect(out.status, controlId).toBe(400)
      expect(out.body).toEqual({ error: 'analysis.invalid' })
    }
    const stored = await getDb()
      .selectFrom('summaries')
      .where('consultation_id', 'in', [mine.id, theirs.id])
      .select('id')
      .execute()
    expect(stored).toEqual([])
  })

  test('a bulk action on one round leaves another round’s responses as they were', async () => {
    const official = await signedInUser('official')
    const mine = await round('mine')
    const theirs = await round('theirs')
    const other = await createResponse(getDb(), {
      consultationId: theirs.id,
      items: [{ controlId: theirs.controlIds[0]!, position: 'support', body: 'Not yours.' }],
    })
    const own = await createResponse(getDb(), {
      consultationId: mine.id,
      items: [{ controlId: mine.controlIds[0]!, position: 'support', body: 'Yours.' }],
    })
    await answer(() =>
      queueAction({
        request: new Request(`http://localhost/manage/rounds/${mine.id}/responses`, {
          method: 'POST',
          headers: {
            Origin: 'http://localhost',
            Cookie: official.cookie,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: `intent=spam&scope=selected&ids=${other.id}&ids=${own.id}`,
        }),
        params: { id: String(mine.id) },
        context,
      }),
    )
    const statuses = await getDb()
      .selectFrom('responses')
      .where('id', 'in', [other.id, own.id])
      .select(['id', 'status'])
      .orderBy('id')
      .execute()
    expect(statuses).toEqual([
      { id: other.id, status: 'received' },
      { id: own.id, status: 'spam' },
    ])
  })
})
