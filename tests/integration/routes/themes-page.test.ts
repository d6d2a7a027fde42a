import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { findThemesJob } from '#app/jobs/theme-jobs.server.ts'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
import { action, loader } from '#app/routes/manage.rounds.$id_.themes.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { themeCorpus } from '#tests/helpers/theme-corpus.ts'

/** A round of labelled responses whose themes were found by a job that succeeded. */
async function roundWithThemes() {
  const db = getDb()
  const round = await createConsultation(db, {
    slug: `themes-page-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: 'Themes page',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'T1', title: 'Control' }],
  })
  const corpus = themeCorpus('en', 150, 11, 1)
  for (const r of corpus) {
    await createResponse(db, {
      consultationId: round.id,
      items: [{ controlId: round.controlIds[0]!, position: r.position, body: r.text }],
    })
  }
  const { job } = await enqueueJob(db, {
    kind: 'themes.find',
    consultationId: round.id,
    actor: null,
  })
  const result = await findThemesJob({ db, job, progress: async () => {} })
  await db
    .updateTable('jobs')
    .set({
      state: 'succeeded',
      result: JSON.stringify(result),
      finished_at: new Date().toISOString(),
    })
    .where('id', '=', job.id)
    .execute()
  return { round, responses: corpus.length }
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise
    return result instanceof Response ? result.status : 200
  } catch (error) {
    if (error instanceof Response) return error.status
    throw error
  }
}

describe('the themes page', () => {
  test('shows the themes with the run’s totals; answers refusals with their reason, keeping what was typed', async () => {
    const { round, responses } = await roundWithThemes()
    const official = await signedInUser('official')
    const path = `/manage/rounds/${round.id}/themes`
    const params = { id: String(round.id) }
    const page = await loader({
      request: pageRequest(path, { cookie: official.cookie }),
      params,
      context,
    })
    expect(page.themes!.responses).toBe(responses)
    expect(page.themes!.themes.length).toBeGreaterThan(1)
    const [first, second] = page.themes!.themes
    const post = (form: Record<string, string>) =>
      action({ request: pageRequest(path, { cookie: official.cookie, form }), params, context })

    const blank = (await post({
      intent: 'rename',
      themeId: String(second!.id),
      name: '   ',
    })) as unknown as {
      data: { themeError: { error: string; name: string } }
      init: { status: number }
    }
    expect(blank.init.status).toBe(400)
    expect(blank.data.themeError).toMatchObject({ error: 'themes.nameRequired', name: '   ' })
    const long = 'é'.repeat(81)
    const tooLong = (await post({
      intent: 'rename',
      themeId: String(second!.id),
      name: long,
    })) as unknown as {
      data: { themeError: { error: string; name: string } }
      init: { status: number }
    }
    expect(tooLong.init.status).toBe(400)
    expect(tooLong.data.themeError).toMatchObject({ error: 'themes.nameTooLong', name: long })

    // Accepted as a tag (its tagging queued); split no longer, merged with another accepted no longer.
    expect(await statusOf(post({ intent: 'accept', themeId: String(first!.id) }))).toBe(302)
    const refused = (await post({ intent: 'split', themeId: String(first!.id) })) as {
      data: { themeError: { error: string } }
      init: { status: number }
    }
    expect(refused.init.status).toBe(409)
    expect(refused.data.themeError.error).toBe('themes.splitAccepted')
    expect(await statusOf(post({ intent: 'accept', themeId: String(second!.id) }))).toBe(302)
    const both = (await post({
      intent: 'merge',
      themeId: String(first!.id),
      otherId: String(second!.id),
    })) as { data: { themeError: { error: string } }; init: { status: number } }
    expect(both.data.themeError.error).toBe('themes.mergeBothAccepted')
    const after = await loader({
      request: pageRequest(path, { cookie: official.cookie }),
      params,
      context,
    })
    expect(after.themes!.themes.filter((t) => t.state === 'accepted').map((t) => t.id)).toEqual([
      first!.id,
      second!.id,
    ])

    // A scope of another round, or a theme of none, is not found; a public visitor is sent away.
    expect(
      await statusOf(
        loader({
          request: pageRequest(`${path}?control=999999`, { cookie: official.cookie }),
          params,
          context,
        }),
      ),
    ).toBe(404)
    expect(await statusOf(post({ intent: 'accept', themeId: '999999' }))).toBe(404)
    const find = (await post({ intent: 'find', controlId: '999999', tagId: '' })) as {
      init: { status: number }
    }
    expect(find.init.status).toBe(400)
    expect(await statusOf(loader({ request: pageRequest(path), params, context }))).toBe(302)
  })
})
