import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runCrashDrill } from '#tests/drills/crash.ts'
import { freePort, launchPortal } from '#tests/drills/portal-process.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the crash drill', () => {
  test('three kills of the whole server during submissions lose and duplicate nothing', async () => {
    const lines: string[] = []
    const counts = await runCrashDrill({ cycles: 3, clients: 16, log: (line) => lines.push(line) })
    // The figures of the run, for whoever reads the test's output.
    console.log([...lines, JSON.stringify(counts)].join('\n'))

    expect(counts.problems).toEqual([])
    expect(counts.acknowledged).toBeGreaterThan(0)
    expect(counts.found).toBe(counts.acknowledged)
    expect(counts.lost).toBe(0)
    expect(counts.duplicated).toBe(0)
    expect(counts.receiptsChanged).toBe(0)
    expect(counts.privateLinksFailed).toBe(0)
    expect(counts.refused).toBe(0)
    expect(counts.incomplete).toBe(0)
    expect(counts.integrityCheck).toBe('ok')
    expect(counts.ftsIntegrity).toEqual({ response_fts: 'ok', response_fts_cjk: 'ok' })
    expect(counts.ok).toBe(true)
  }, 90_000)
})

describe("npm start's supervisor", () => {
  test('starts a killed server again, which answers /healthz within seconds', async () => {
    const root = path.resolve('.')
    const dir = path.join(root, 'tests/.tmp')
    mkdirSync(dir, { recursive: true })
    const databasePath = path.join(dir, `drill-supervisor-${randomUUID()}.sqlite`)
    const port = await freePort()
    const portal = launchPortal({
      root,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: databasePath,
        DEMO_SEED: 'true',
        SESSION_SECRET: 'supervisor-test-secret',
      },
    })
    try {
      await portal.ready()
      const killed = portal.serverPid()
      expect(killed).not.toBeNull()
      process.kill(killed!, 'SIGKILL')
      const killedAt = performance.now()

      // Asked only once the old server is gone, so that it cannot be the one answering.
      while (portal.serverPid() === killed) await sleep(20)
      let healthy = false
      while (!healthy && performance.now() - killedAt < 15_000) {
        const answer = await fetch(`http://127.0.0.1:${port}/healthz`, {
          signal: AbortSignal.timeout(1000),
        }).catch(() => null)
        healthy =
          answer?.status === 200 && ((await answer.json()) as { status: string }).status === 'ok'
        if (!healthy) await sleep(100)
      }
      const seconds = (performance.now() - killedAt) / 1000
      console.log(
        `The supervisor's new server answered /healthz ${seconds.toFixed(2)} s after the kill.`,
      )

      expect(healthy).toBe(true)
      // The supervisor waits 1 s after a first failure, then the server starts in about 2 s.
      expect(seconds).toBeLessThan(10)
      expect(portal.serverPid()).not.toBe(killed)
      expect(portal.output()).toContain('The server stopped unexpectedly (signal SIGKILL)')
      await portal.ready(2)
    } finally {
      await portal.kill()
      removeDatabaseFiles(databasePath)
    }
  }, 60_000)
})
