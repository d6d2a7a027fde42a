import { mergeSearchIndex } from '#app/models/search-index.server.ts'
import type { DB } from '#app/utils/db.server.ts'

/**
 * Pages of the search index merged a step: at a million responses a step of 4 took 4 ms at
 * p99 and 60 ms at worst, where FTS5's own merging held a submission up to 200 ms (README,
 * Decisions, 2026-12-02).
 */
export const MERGE_PAGES = 4

/** A step rests twice as long as it took before the next, as a campaign rebuild does. */
const REST = 2

export interface SearchMerger {
  /** Lets the step in flight finish and runs no other. */
  stop(): Promise<void>
}

/**
 * Keeps the search index merged, a small step at a time between requests: steps while there is
 * work, each resting after it, and a look every `idleMs` when there is none. A failed step is
 * logged and tried again after the idle wait.
 */
export function startSearchMerger(
  db: DB,
  {
    pages = MERGE_PAGES,
    idleMs = 1000,
    step: mergeStep = mergeSearchIndex,
  }: {
    pages?: number
    idleMs?: number
    /** One step (the index's own; a test's that fails). */
    step?: typeof mergeSearchIndex
  } = {},
): SearchMerger {
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  const after = (wait: number) => {
    running = null
    if (stopped) return
    timer = setTimeout(step, wait)
    timer.unref()
  }
  const step = () => {
    const started = performance.now()
    running = mergeStep(db, pages).then(
      (worked) =>
        after(worked ? Math.min(100, Math.max(1, (performance.now() - started) * REST)) : idleMs),
      (error: unknown) => {
        console.error('Merging the search index failed:', error)
        after(idleMs)
      },
    )
  }
  after(idleMs)
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
