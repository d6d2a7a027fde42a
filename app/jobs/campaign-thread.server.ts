import type { Worker } from 'node:worker_threads'
import type { CampaignReply, CampaignRequest } from '#app/analysis/campaign-worker.ts'
import { startPortalWorker } from './worker-file.server.ts'

type Reply<Op extends CampaignRequest['op']> = Extract<CampaignReply, { op: Op }>

const startWorker = () => startPortalWorker('campaign-worker', 'analysis')

/** A rebuild's worker thread: one request at a time, each answered in turn. */
export class CampaignThread {
  readonly #worker: Worker
  #pending: { resolve: (reply: CampaignReply) => void; reject: (error: Error) => void } | null =
    null
  #failure: Error | null = null

  constructor() {
    this.#worker = startWorker()
    this.#worker.on('message', (reply: CampaignReply) => {
      const pending = this.#pending
      this.#pending = null
      if (!pending) return
      if (reply.op === 'error') pending.reject(new Error(reply.message))
      else pending.resolve(reply)
    })
    const fail = (error: Error) => {
      this.#failure = error
      this.#pending?.reject(error)
      this.#pending = null
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => fail(new Error(`the campaign worker stopped (${code})`)))
  }

  #call<Op extends CampaignRequest['op']>(
    request: Extract<CampaignRequest, { op: Op }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<Reply<Op>> {
    if (this.#failure) return Promise.reject(this.#failure)
    if (this.#pending) return Promise.reject(new Error('one request at a time'))
    return new Promise((resolve, reject) => {
      this.#pending = { resolve: resolve as (reply: CampaignReply) => void, reject }
      this.#worker.postMessage(request, transfer)
    })
  }

  /** Signs texts (kept in the thread, in the order given); their signatures as stored bytes. */
  async sign(ids: Int32Array, texts: string[]): Promise<Uint8Array> {
    return (await this.#call({ op: 'sign', ids, texts }, [ids.buffer as ArrayBuffer])).signatures
  }

  /** One band's buckets (each key's first `keep` members, as response ids), joining as it goes. */
  band(band: number, keep: number) {
    return this.#call({ op: 'band', band, keep })
  }

  /** The campaigns found: representatives[i] and the member ids ids[starts[i]..starts[i+1]). */
  clusters() {
    return this.#call({ op: 'clusters' })
  }

  /** Ends the thread and frees its memory (512 bytes a text). */
  async close(): Promise<void> {
    this.#failure ??= new Error('the campaign worker was closed')
    await this.#worker.terminate()
  }
}
