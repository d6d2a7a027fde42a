import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type RunningServer, startServer } from './server.ts'

let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.stop()
})

describe('a failure inside the server', () => {
  test('gets the styled 500 page, with no stack trace or database detail', async () => {
    // Break the running server's database underneath it.
    const sqlite = new Database(server.databasePath)
    sqlite.exec('alter table controls rename to controls_gone')
    sqlite.close()

    const response = await fetch(`${server.url}/`)
    expect(response.status).toBe(500)
    const html = await response.text()
    expect(html).toContain('Sorry, there is a problem with the service')
    expect(html).toContain('class="site-header"')
    expect(html).not.toMatch(/SqliteError|no such table|controls_gone|\bat \S+ \(/)
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    // The operator still sees what happened.
    expect(server.output()).toMatch(/no such table/)
  })
})
