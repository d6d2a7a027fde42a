import type { CampaignReply, CampaignRequest } from '#app/analysis/campaign-worker.ts'
import { WorkerCalls } from './worker-calls.server.ts'
import { startPortalWorker } from './worker-file.server.ts'

/** A rebuild's worker thread: one request at a time, each answered in turn. */
export class CampaignThread {
  readonly #calls = new WorkerCalls<CampaignRequest, CampaignReply>(
    startPortalWorker('campaign-worker', 'analysis'),
    'campaign worker',
  )

  /** Signs texts (kept in the thread, in the order given); their signatures as stored bytes. */
  async sign(ids: Int32Array, texts: string[]): Promise<Uint8Array> {
    return (await this.#calls.call({ op: 'sign', ids, texts }, [ids.buffer as ArrayBuffer]))
      .signatures
  }

  /** One band's buckets (each key's first `keep` members, as response ids), joining as it goes. */
  band(band: number, keep: number) {
    return this.#calls.call({ op: 'band', band, keep })
  }

  /** The campaigns found: representatives[i] and the member ids ids[starts[i]..starts[i+1]). */
  clusters() {
    return this.#calls.call({ op: 'clusters' })
  }

  /** Keeps the shingles of representatives, for reuse() to compare texts with. */
  async templates(ids: Int32Array, texts: string[]): Promise<void> {
    await this.#calls.call({ op: 'templates', ids, texts }, [ids.buffer as ArrayBuffer])
  }

  /**
   * How each text belongs with the representative given beside it (templates[i], given to
   * templates() first): 0 not at all, 1 a copy, 2 the template with changes (reuseKind).
   */
  async reuse(ids: Int32Array, texts: string[], templates: Int32Array): Promise<Uint8Array> {
    return (
      await this.#calls.call({ op: 'reuse', ids, texts, templates }, [
        ids.buffer as ArrayBuffer,
        templates.buffer as ArrayBuffer,
      ])
    ).kinds
  }

  /** Ends the thread and frees its memory (512 bytes a text). */
  close(): Promise<void> {
    return this.#calls.close()
  }
}
