import { createConnection } from 'node:net'
import { describe, expect, it } from 'vitest'
import { warmUp } from '#app/server/warm-up.server.ts'

/** Whether something listens on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('warming a server up before it serves', () => {
  it('asks each path once, in turn, and closes its own port after', async () => {
    const seen: string[] = []
    let port = 0
    const statuses = await warmUp(
      (req, res) => {
        port = req.socket.localPort ?? 0
        seen.push(req.url ?? '')
        res.statusCode = req.url === '/broken' ? 500 : 200
        res.end('ok')
      },
      ['/', '/broken', '/consultations/a-round'],
    )
    expect(seen).toEqual(['/', '/broken', '/consultations/a-round'])
    expect(statuses).toEqual([
      { path: '/', status: 200 },
      { path: '/broken', status: 500 },
      { path: '/consultations/a-round', status: 200 },
    ])
    expect(port).toBeGreaterThan(0)
    expect(await listening(port)).toBe(false)
  })

  it('goes on past a path that never answers or throws, and never throws itself', async () => {
    const statuses = await warmUp(
      (req, res) => {
        if (req.url === '/hangs') return // never answered
        if (req.url === '/throws') {
          res.destroy()
          return
        }
        res.end('ok')
      },
      ['/hangs', '/throws', '/healthz'],
      { timeoutMs: 200 },
    )
    expect(statuses).toEqual([
      { path: '/hangs', status: 0 },
      { path: '/throws', status: 0 },
      { path: '/healthz', status: 200 },
    ])
  })
})
