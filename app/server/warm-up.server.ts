// Before a server takes traffic, it answers a few requests of its own: the first requests after
// a start loaded the fetch implementation, compiled the router's and React's code and read a
// cold database, and held the event loop 120 ms at a time while real visitors waited (README,
// benchmark). Served from a loopback port of its own, closed before the real one opens.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void

/** Each path requested once, in turn; the status each got (0: no answer). Never throws. */
export async function warmUp(
  handler: NodeHandler,
  paths: string[],
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<{ path: string; status: number }[]> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const out: { path: string; status: number }[] = []
  try {
    for (const path of paths) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, {
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        })
        await response.arrayBuffer()
        out.push({ path, status: response.status })
      } catch {
        out.push({ path, status: 0 })
      }
    }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return out
}
