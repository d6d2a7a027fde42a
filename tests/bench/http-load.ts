import http from 'node:http'

export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: Buffer
}

export interface LoadResult {
  ok: number
  failed: number
  elapsedMs: number
  latencies: number[]
  /** What each successful request answered with its index (e.g. a Location header). */
  answers: (string | null)[]
}

/**
 * Sends requests from `concurrency` clients over keep-alive connections until
 * `total` have been sent or `durationMs` has passed, recording each latency.
 * With several ports (app servers on one database) the requests take turns among them, one
 * each in order, as a proxy's round robin spreads them. Loopback only: the benchmark never
 * leaves this machine.
 */
export async function runLoad({
  ports,
  concurrency,
  total = Infinity,
  durationMs = Infinity,
  request,
  ok = (status) => status < 400,
}: {
  ports: number[]
  concurrency: number
  total?: number
  durationMs?: number
  request: (i: number) => LoadRequest
  ok?: (status: number) => boolean
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  const answers: (string | null)[] = []
  let sent = 0
  let good = 0
  let bad = 0
  const start = performance.now()
  const deadline = start + durationMs
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const r = request(i)
      const port = ports[i % ports.length]
      const t0 = performance.now()
      const req = http.request(
        { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => {
            latencies.push(performance.now() - t0)
            if (ok(res.statusCode ?? 0)) {
              good++
              answers[i] = (res.headers.location as string | undefined) ?? null
            } else bad++
            resolve()
          })
        },
      )
      req.on('error', () => {
        bad++
        resolve()
      })
      req.end(r.body)
    })
  const worker = async () => {
    while (sent < total && performance.now() < deadline) {
      const i = sent++
      await one(i)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  agent.destroy()
  return { ok: good, failed: bad, elapsedMs: performance.now() - start, latencies, answers }
}

/** The q-th quantile (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}
