import { describe, expect, it } from 'vitest'
import { findThemes, sampleOf } from '#app/analysis/themes.ts'
import { ThemeThread } from '#app/jobs/theme-thread.server.ts'
import { themeCorpus } from '#tests/helpers/theme-corpus.ts'

const units = themeCorpus('en', 500, 5, 1).map((r) => ({
  id: r.id,
  text: r.text,
  members: [{ id: r.id, position: r.position, group: r.group }],
}))

describe('themes in a worker thread', () => {
  it('finds, from batches posted in turn, the themes found in one piece', async () => {
    const thread = new ThemeThread()
    try {
      await thread.fit(sampleOf(units))
      let assigned = 0
      for (let i = 0; i < units.length; i += 120)
        assigned += await thread.assign(units.slice(i, i + 120))
      expect(assigned).toBe(units.length)
      const result = await thread.result()
      expect(result).toEqual(findThemes(units))
      expect(result.themes.length).toBeGreaterThanOrEqual(4)
    } finally {
      await thread.close()
    }
  })

  it('refuses to assign before fitting, and stays usable after', async () => {
    const thread = new ThemeThread()
    try {
      await expect(thread.assign(units.slice(0, 3))).rejects.toThrow(/no themes fitted/)
      await thread.fit(units.slice(0, 50))
      expect(await thread.assign(units.slice(0, 50))).toBe(50)
    } finally {
      await thread.close()
    }
    await expect(thread.result()).rejects.toThrow(/closed/)
  })
})
