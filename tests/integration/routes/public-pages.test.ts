import { describe, expect, test } from 'vitest'
import { createConsultation } from '#db/factories.ts'
import { loader as homeLoader } from '#app/routes/_index.tsx'
import { loader as roundLoader } from '#app/routes/consultations.$slug.tsx'
import { getDb } from '#app/utils/db.server.ts'

const DAY = 86_400_000
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString()
const context = { clientAddress: '127.0.0.1' }

function args(path: string, params: Record<string, string> = {}) {
  return { request: new Request(`http://localhost${path}`), params, context }
}

async function data<T>(result: T | Response): Promise<T> {
  if (result instanceof Response) throw new Error(`unexpected response ${result.status}`)
  return result
}

describe('public pages', () => {
  test('the home page lists open rounds closing soonest first, then upcoming, then closed; never drafts', async () => {
    const db = getDb()
    const base = { publishedAt: iso(-30) }
    await createConsultation(db, {
      ...base,
      slug: 'later',
      title: 'Closes later',
      opensAt: iso(-5),
      closesAt: iso(20),
    })
    await createConsultation(db, {
      ...base,
      slug: 'sooner',
      title: 'Closes sooner',
      opensAt: iso(-5),
      closesAt: iso(2),
    })
    await createConsultation(db, {
      ...base,
      slug: 'next',
      title: 'Opens next week',
      opensAt: iso(7),
      closesAt: iso(40),
    })
    await createConsultation(db, {
      ...base,
      slug: 'done',
      title: 'Already closed',
      opensAt: iso(-20),
      closesAt: iso(-1),
    })
    await createConsultation(db, {
      slug: 'secret-draft',
      title: 'Draft round',
      opensAt: iso(-5),
      closesAt: iso(5),
    })

    const { rounds } = await data(await homeLoader(args('/')))
    expect(rounds.open.map((r) => r.slug)).toEqual(['sooner', 'later'])
    expect(rounds.upcoming.map((r) => r.slug)).toEqual(['next'])
    expect(rounds.closed.map((r) => r.slug)).toEqual(['done'])
    expect(JSON.stringify(rounds)).not.toContain('secret-draft')
  })

  test('a round page shows the round with its controls and questions in order', async () => {
    await createConsultation(getDb(), {
      slug: 'spyware',
      title: 'Spyware controls',
      publishedAt: iso(-1),
      opensAt: iso(-1),
      closesAt: iso(10),
      controls: [
        { reference: 'Draft item 1', title: 'Intrusion software', questions: ['Q1a', 'Q1b'] },
        { reference: '4A005', title: 'Delivery systems', questions: ['Q2a'] },
      ],
    })
    const { round } = await data(
      await roundLoader(args('/consultations/spyware', { slug: 'spyware' })),
    )
    expect(round.status).toBe('open')
    expect(round.controls.map((c) => [c.reference, c.questions.map((q) => q.prompt)])).toEqual([
      ['Draft item 1', ['Q1a', 'Q1b']],
      ['4A005', ['Q2a']],
    ])
  })

  test('a draft or unknown round is a 404, not a leak', async () => {
    await createConsultation(getDb(), { slug: 'hidden', title: 'Hidden draft' })
    for (const slug of ['hidden', 'does-not-exist']) {
      const thrown = await roundLoader(args(`/consultations/${slug}`, { slug })).catch(
        (e: unknown) => e,
      )
      expect(thrown).toBeInstanceOf(Response)
      expect((thrown as Response).status).toBe(404)
    }
  })

  test('round background and control text render as inert HTML', async () => {
    await createConsultation(getDb(), {
      slug: 'xss',
      title: 'XSS attempt',
      publishedAt: iso(-1),
      opensAt: iso(-1),
      closesAt: iso(1),
      background: 'Intro <script>alert(1)</script> [x](javascript:alert(1))',
      controls: [{ reference: 'R', title: 'T', body: '<img src=x onerror=alert(1)>' }],
    })
    const { round } = await data(await roundLoader(args('/consultations/xss', { slug: 'xss' })))
    expect(round.backgroundHtml).not.toMatch(/<script|javascript:/i)
    expect(round.controls[0]!.bodyHtml).not.toMatch(/<img/i)
  })
})
