import { spawnSync } from 'node:child_process'
import path from 'node:path'
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

    // A page the server did not open while warming up (those it may answer from its copies).
    const response = await fetch(
      `${server.url}/consultations/cloud-biometric-identification-services-2027`,
    )
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

describe('start-up checks', () => {
  const start = (env: Record<string, string>) => {
    const { SESSION_SECRET: _ignored, ...rest } = process.env
    return spawnSync(path.resolve('node_modules/.bin/tsx'), ['app/server/start.server.ts'], {
      env: { ...rest, PORT: '0', DATABASE_PATH: ':memory:', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    })
  }

  test('production refuses to start without SESSION_SECRET, and says how to set one', () => {
    const cases: Record<string, string>[] = [{ NODE_ENV: 'production' }, { DEMO_SEED: 'false' }]
    for (const env of cases) {
      const result = start(env)
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(/SESSION_SECRET is not set/)
      expect(result.stdout).not.toContain('ready at')
    }
  })
})
