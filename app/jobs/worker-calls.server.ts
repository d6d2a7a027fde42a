import type { Worker } from 'node:worker_threads'

/**
 * A worker thread asked one request at a time, each answered in turn by a reply of the same
 * `op` (or `{ op: 'error', message }`). Once the thread fails, stops or is closed, every call
 * rejects with the first reason.
 */
export class WorkerCalls<
  Request extends { op: string },
  Reply extends { op: string } | { op: 'error'; message: string },
> {
  readonly #worker: Worker
  #pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | null = null
  #failure: Error | null = null
  readonly #name: string

  constructor(worker: Worker, name: string) {
    this.#worker = worker
    this.#name = name
    worker.on('message', (reply: Reply) => {
      const pending = this.#pending
      this.#pending = null
      if (!pending) return
      if (reply.op === 'error') pending.reject(new Error((reply as { message: string }).message))
      else pending.resolve(reply)
    })
    const fail = (error: Error) => {
      this.#failure ??= error
      this.#pending?.reject(error)
      this.#pending = null
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the ${name} stopped (${code})`)))
  }

  call<Op extends Request['op']>(
    request: Extract<Request, { op: Op }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<Reply, { op: Op }>> {
    if (this.#failure) return Promise.reject(this.#failure)
    if (this.#pending) return Promise.reject(new Error('one request at a time'))
    return new Promise((resolve, reject) => {
      this.#pending = { resolve: resolve as (reply: Reply) => void, reject }
      this.#worker.postMessage(request, transfer)
    })
  }

  /** Ends the thread and frees its memory. */
  async close(): Promise<void> {
    this.#failure ??= new Error(`the ${this.#name} was closed`)
    await this.#worker.terminate()
  }
}
