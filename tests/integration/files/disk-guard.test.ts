// The free-disk guard: when storing files would leave less than DISK_MIN_FREE_MB on the disk,
// they are refused with a message before the disk fills, the text kept.
import { describe, expect, test, vi } from 'vitest'
import { action as respondAction } from '#app/routes/consultations.$slug_.respond.tsx'
import { diskRoomForFiles, freeDiskBytes } from '#app/utils/disk-space.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { answer, stagedFiles } from '#tests/helpers/hostile.ts'
import { PDF, openRound, responseRequest, validFields } from '#tests/helpers/responses.ts'

vi.hoisted(() => {
  // More than any disk this runs on has free: every file is "past the guard".
  process.env.DISK_MIN_FREE_MB = String(1024 * 1024 * 1024)
})

type Reply = {
  result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
}

// The disk of SQLite's file: on PostgreSQL files go to the database server's disk, which the app
// server cannot see, and a full one there is the server's refusal, a 503 (database-errors).
describe.skipIf(process.env.PORTAL_TEST_ENGINE === 'postgres')(
  'the free-disk guard (DISK_MIN_FREE_MB)',
  () => {
    test('reads the real free space of the database’s disk', () => {
      const free = freeDiskBytes(getEnv().DATABASE_PATH)
      expect(free).toBeGreaterThan(0)
      expect(Number.isFinite(free)).toBe(true)
      expect(diskRoomForFiles(getEnv().DATABASE_PATH)).toBe(0)
    })

    test('files are refused with a message and the text kept; the response goes without them', async () => {
      const round = await openRound()
      const fields = validFields(round, { 'scopes[1].body': 'Sent while the disk is nearly full.' })
      const send = (uploads: { field: 'files'; name: string; bytes: Uint8Array }[]) =>
        answer(() =>
          respondAction({
            request: responseRequest(`/consultations/${round.slug}/respond`, fields, { uploads }),
            params: { slug: round.slug },
            context: { clientAddress: '198.18.9.9' },
          }),
        )
      const refused = await send([{ field: 'files', name: 'annex.pdf', bytes: PDF }])
      expect(refused.status).toBe(400)
      const reply = (refused.body as Reply).result
      expect(reply.error?.files).toEqual(['validation.storageFull'])
      expect(JSON.stringify(reply.initialValue)).toContain('Sent while the disk is nearly full.')
      expect(await stagedFiles()).toBe(0)
      expect((await send([])).status).toBe(302)
    })
  },
)
