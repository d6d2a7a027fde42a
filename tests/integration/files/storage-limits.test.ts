// A round's storage cap: files past it are refused with a message, the response's text kept,
// and the response can be sent without them.
import { describe, expect, test, vi } from 'vitest'
import { action as respondAction } from '#app/routes/consultations.$slug_.respond.tsx'
import { answer, stagedFiles } from '#tests/helpers/hostile.ts'
import { openRound, responseRequest, validFields } from '#tests/helpers/responses.ts'

vi.hoisted(() => {
  // 1 MiB for each round's files, for this file's tests only.
  process.env.ROUND_STORAGE_MAX_MB = '1'
})

const pdfOf = (bytes: number) => {
  const head = new TextEncoder().encode('%PDF-1.4\n')
  const file = new Uint8Array(bytes)
  file.set(head)
  return file
}

type Reply = {
  result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
}

async function send(slug: string, fields: Record<string, string | string[]>, sizes: number[]) {
  return answer(() =>
    respondAction({
      request: responseRequest(`/consultations/${slug}/respond`, fields, {
        uploads: sizes.map((n, i) => ({
          field: 'files' as const,
          name: `annex-${i}.pdf`,
          bytes: pdfOf(n),
        })),
      }),
      params: { slug },
      context: { clientAddress: `198.18.7.${Math.floor(Math.random() * 250)}` },
    }),
  )
}

describe('a round’s storage cap (ROUND_STORAGE_MAX_MB)', () => {
  test('files that would pass it are refused with a message, and the text comes back', async () => {
    const round = await openRound()
    // 600 KiB fits; a second 600 KiB would pass the cap.
    expect((await send(round.slug, validFields(round), [600 * 1024])).status).toBe(302)
    const fields = validFields(round, { 'scopes[1].body': 'My text survives a full store.' })
    const refused = await send(round.slug, fields, [600 * 1024])
    expect(refused.status).toBe(400)
    const reply = (refused.body as Reply).result
    expect(reply.error?.files).toEqual(['validation.storageFull'])
    expect(JSON.stringify(reply.initialValue)).toContain('My text survives a full store.')
    expect(await stagedFiles()).toBe(0)
    // Without the file, the response goes through.
    expect((await send(round.slug, fields, [])).status).toBe(302)
    // Another round has its own cap.
    const other = await openRound()
    expect((await send(other.slug, validFields(other), [600 * 1024])).status).toBe(302)
  })
})
