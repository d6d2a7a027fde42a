import type { ThemeOptions, ThemeResult, ThemeUnit } from '#app/analysis/themes.ts'
import type { ThemeReply, ThemeRequest } from '#app/analysis/theme-worker.ts'
import { WorkerCalls } from './worker-calls.server.ts'
import { startPortalWorker } from './worker-file.server.ts'

/** A themes job's worker thread (app/analysis/theme-worker.ts): one request at a time. */
export class ThemeThread {
  readonly #calls = new WorkerCalls<ThemeRequest, ThemeReply>(
    startPortalWorker('theme-worker', 'analysis'),
    'theme worker',
  )

  /** Fits the themes on a sample of the texts (themes.ts, sampleOf). */
  async fit(sample: { text: string }[], options: ThemeOptions = {}): Promise<void> {
    await this.#calls.call({ op: 'fit', sample, options })
  }

  /** Assigns a batch of units to their themes. */
  async assign(units: ThemeUnit[]): Promise<number> {
    return (await this.#calls.call({ op: 'assign', units })).assigned
  }

  /** The themes, once every unit is assigned. */
  async result(): Promise<ThemeResult> {
    return (await this.#calls.call({ op: 'result' })).result
  }

  close(): Promise<void> {
    return this.#calls.close()
  }
}
