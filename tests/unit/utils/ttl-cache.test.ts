import { afterEach, describe, expect, test } from 'vitest'
import { cachedAdaptive, clearCache } from '#app/utils/ttl-cache.server.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => clearCache())

describe('cachedAdaptive', () => {
  test('callers at the same moment share one computation', async () => {
    let made = 0
    const make = async () => {
      made++
      await sleep(20)
      return { made }
    }
    const values = await Promise.all(
      Array.from({ length: 5 }, () => cachedAdaptive('share:1', 1000, make, { always: true })),
    )
    expect(made).toBe(1)
    expect(new Set(values).size).toBe(1)
  })

  test('keeps a value factor times as long as it took to make, then makes it again', async () => {
    let made = 0
    const make = async () => {
      made++
      await sleep(40)
      return made
    }
    const options = { factor: 5, always: true }
    const started = performance.now()
    expect(await cachedAdaptive('slow:1', 1, make, options)).toBe(1)
    const took = performance.now() - started
    // Kept at least 5 × 40 ms, though the minimum asked for was 1 ms.
    await sleep(100)
    expect(await cachedAdaptive('slow:1', 1, make, options)).toBe(1)
    await sleep(took * 5 + 50 - 100)
    expect(await cachedAdaptive('slow:1', 1, make, options)).toBe(2)
  })

  test('keeps at most `limit` values of one kind, and never an error', async () => {
    let made = 0
    const make = async () => ++made
    const options = { limit: 2, always: true }
    await cachedAdaptive('kind:a', 60_000, make, options)
    await cachedAdaptive('kind:b', 60_000, make, options)
    expect(await cachedAdaptive('kind:a', 60_000, make, options)).toBe(1)
    // A third of the kind is made each time it is asked for; another kind is kept.
    expect(await cachedAdaptive('kind:c', 60_000, make, options)).toBe(3)
    expect(await cachedAdaptive('kind:c', 60_000, make, options)).toBe(4)
    expect(await cachedAdaptive('other:c', 60_000, make, options)).toBe(5)
    expect(await cachedAdaptive('other:c', 60_000, make, options)).toBe(5)

    let attempts = 0
    const failing = async () => {
      attempts++
      if (attempts === 1) throw new Error('database busy')
      return 'made'
    }
    await expect(cachedAdaptive('flaky:1', 60_000, failing, { always: true })).rejects.toThrow(
      'database busy',
    )
    expect(await cachedAdaptive('flaky:1', 60_000, failing, { always: true })).toBe('made')
  })
})
