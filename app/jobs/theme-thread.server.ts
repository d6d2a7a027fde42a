import type { Worker } from 'node:worker_threads'
import type { ThemeOptions, ThemeResult, ThemeUnit } from '#app/analysis/themes.ts'
import type { ThemeReply, ThemeRequest } from '#app/analysis/theme-worker.ts'
import { startPortalWorker } from './worker-file.server.ts'

type Reply<Op extends ThemeRequest['op']> = Extract<ThemeReply, { op: Op }>

/** A themes job's worker thread (app/analysis/theme-worker.ts): one request at a time. */
export class ThemeThread {
  readonly #worker: Worker
  #pending: { resolve: (reply: ThemeReply) => void; reject: (error: Error) => void } | null = null
  #failure: Error | null = null

  constructor() {
    this.#worker = startPortalWorker('theme-worker', 'analysis')
    this.#worker.on('message', (reply: ThemeReply) => {
      const pending = this.#pending
      this.#pending = null
      if (!pending) return
      if (reply.op === 'error') pending.reject(new Error(reply.message))
      else pending.resolve(reply)
    })
    const fail = (error: Error) => {
      this.#failure ??= error
      this.#pending?.reject(error)
      this.#pending = null
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => fail(new Error(`the theme worker stopped (${code})`)))
  }

  #call<Op extends ThemeRequest['op']>(
    request: Extract<ThemeRequest, { op: Op }>,
  ): Promise<Reply<Op>> {
    if (this.#failure) return Promise.reject(this.#failure)
    if (this.#pending) return Promise.reject(new Error('one request at a time'))
    return new Promise((resolve, reject) => {
      this.#pending = { resolve: resolve as (reply: ThemeReply) => void, reject }
      this.#worker.postMessage(request)
    })
  }

  /** Fits the themes on a sample of the texts (themes.ts, sampleOf). */
  async fit(sample: { text: string }[], options: ThemeOptions = {}): Promise<void> {
    await this.#call({ op: 'fit', sample, options })
  }

  /** Assigns a batch of units to their themes. */
  async assign(units: ThemeUnit[]): Promise<number> {
    return (await this.#call({ op: 'assign', units })).assigned
  }

  /** The themes, once every unit is assigned. */
  async result(): Promise<ThemeResult> {
    return (await this.#call({ op: 'result' })).result
  }

  async close(): Promise<void> {
    this.#failure ??= new Error('the theme worker was closed')
    await this.#worker.terminate()
  }
}
