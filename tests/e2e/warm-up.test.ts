import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from './server.ts'

describe('a server warms up before it serves', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ LOG_REQUESTS: 'true' })
  }, 120_000)
  afterAll(() => server?.stop())

  it('has answered the pages most visitors open first before it says it is ready', () => {
    const output = server.output()
    const before = output.slice(0, output.indexOf('Consultation portal ready at'))
    for (const page of ['/healthz', '/', '/consultations', '/signin']) {
      expect(before).toMatch(new RegExp(`GET ${page.replace('/', '\\/')} 200 `))
    }
    // The open demo round and its form.
    expect(before).toMatch(/GET \/consultations\/[a-z0-9-]+ 200 /)
    expect(before).toMatch(/GET \/consultations\/[a-z0-9-]+\/respond 200 /)
  })
})
