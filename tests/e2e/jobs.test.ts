// A campaign rebuild on a round of 100,000 responses, as an official runs it from the browser:
// the server serves while it runs (at start-up and when asked), its progress moves, people
// respond, search and open pages meanwhile, and a killed server takes the job up again.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generator } from '#tests/bench/generate.ts'
import { loadPortalDb } from '#tests/bench/load-db.ts'
import { type PortalProcess, freePort, launchPortal } from '#tests/drills/portal-process.ts'
import { expectNoAxeViolations, gotoHydrated, launchBrowser } from './browser.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

const RESPONSES = 100_000
const root = path.resolve('.')
const dir = path.join(root, 'tests/.tmp')
const databasePath = path.join(dir, `jobs-${randomUUID()}.sqlite`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let browser: Browser
let portal: PortalProcess
let baseURL: string
let roundId: number

interface JobRow {
  id: number
  state: string
  progress_done: number
  attempts: number
}

/** The round's latest rebuild job, read straight from the database (WAL: beside the server). */
function latestJob(): JobRow | undefined {
  const sqlite = new Database(databasePath, { readonly: true })
  try {
    return sqlite
      .prepare<[number], JobRow>(
        `select id, state, progress_done, attempts from jobs
         where consultation_id = ? and kind = 'campaigns.rebuild' order by id desc limit 1`,
      )
      .get(roundId)
  } finally {
    sqlite.close()
  }
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 120_000) {
  const end = Date.now() + ms
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${portal.output()}`)
    await sleep(100)
  }
}

/** How long the portal takes to answer a page, in ms. */
async function timed(url: string) {
  const started = performance.now()
  const response = await fetch(`${baseURL}${url}`)
  await response.arrayBuffer()
  expect(response.status).toBe(200)
  return performance.now() - started
}

async function signIn(page: Page) {
  await gotoHydrated(page, '/signin?redirectTo=%2Fmanage')
  await page.getByLabel('Email address').fill('official@example.org')
  await page.getByLabel('Password', { exact: true }).fill('official-demo-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Manage consultations' }).waitFor()
}

/** The progress bar's value on the job's page, as its page shows it now. */
async function progressValue(page: Page) {
  return Number(await page.getByRole('progressbar', { name: 'Progress' }).getAttribute('value'))
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  // 100,000 synthetic responses, without signatures: as after the migration that dropped them.
  const round = await loadPortalDb(databasePath, RESPONSES, generator(16).next)
  roundId = round.roundId
  const port = await freePort()
  baseURL = `http://127.0.0.1:${port}`
  portal = launchPortal({
    root,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      DEMO_SEED: 'true',
      SESSION_SECRET: 'jobs-test-secret',
      SUBMIT_RATE_LIMIT: '10000',
    },
  })
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await portal?.stop()
  removeDatabaseFiles(databasePath)
})

describe('background jobs on a round of 100,000 responses', () => {
  test('the server answers while it rebuilds at start; an official rebuilds from the browser, sees it move, and works meanwhile; a killed server takes the job up again', async () => {
    await portal.ready()
    // Start-up queued the rebuild (the responses have no signatures) and serves at once.
    expect(portal.output()).toContain(`Campaigns of round ${roundId}`)
    const atStart = await until('the start-up rebuild running', () => {
      const job = latestJob()
      return job?.state === 'running' && job
    })
    for (const url of ['/healthz', '/consultations', `/consultations/bench-round`]) {
      expect(await timed(url)).toBeLessThan(2000)
    }
    await until(
      'the start-up rebuild finished',
      () => latestJob()?.state === 'succeeded' && latestJob()!.id === atStart.id,
      240_000,
    )

    const context = await browser.newContext({ baseURL })
    const page = await context.newPage()
    await signIn(page)
    await gotoHydrated(page, `/manage/rounds/${roundId}/campaigns`)
    await page.getByRole('button', { name: 'Recompute campaigns' }).click()
    // 100,000 responses take longer than the request waits: the job's page.
    await page.getByRole('heading', { level: 1, name: 'Recomputing campaigns' }).waitFor()
    await expectNoAxeViolations(page)
    const first = await progressValue(page)
    // Its page refreshes itself: the bar moves with no reload.
    const moved = await (async () => {
      const end = Date.now() + 60_000
      while (Date.now() < end) {
        const value = await progressValue(page)
        if (value > first) return value
        await sleep(200)
      }
      return first
    })()
    expect(moved).toBeGreaterThan(first)
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/% done/)

    // Meanwhile, in another tab: respond to the round, search its responses, open pages.
    const other = await context.newPage()
    await gotoHydrated(other, '/consultations/bench-round/respond')
    await other.getByLabel('Individual', { exact: true }).check()
    await other.getByLabel('Country', { exact: true }).selectOption('NO')
    await other
      .getByRole('group', { name: 'Item 1: Proposed control 1' })
      .getByLabel('Support', { exact: true })
      .check()
    await other
      .getByLabel('Your comments on Item 1: Proposed control 1 (optional)')
      .fill('Sent while the campaigns were being recomputed.')
    await other.getByLabel(/Publish my response with my name/).check()
    const sent = performance.now()
    await other.getByRole('button', { name: 'Send response' }).click()
    await other.getByRole('heading', { level: 1, name: 'Response received' }).waitFor()
    expect(performance.now() - sent).toBeLessThan(5000)
    await gotoHydrated(other, `/manage/rounds/${roundId}/responses`)
    await other.getByLabel('Search the responses').fill('surveillance')
    await other.getByRole('button', { name: 'Apply', exact: true }).click()
    await other.waitForURL(/q=surveillance/)
    await expect(other.getByRole('table').count()).resolves.toBeGreaterThan(0)
    expect(latestJob()!.state).toBe('running')

    await page.getByText('Finished', { exact: true }).first().waitFor({ timeout: 240_000 })
    await page.getByText(/campaigns? found\./).waitFor()
    await expectNoAxeViolations(page)
    expect(latestJob()!.attempts).toBe(1)

    // Again, and the server is killed half-way: the supervisor restarts it, and the job goes on.
    await gotoHydrated(page, `/manage/rounds/${roundId}/campaigns`)
    await page.getByRole('button', { name: 'Recompute campaigns' }).click()
    await page.getByRole('heading', { level: 1, name: 'Recomputing campaigns' }).waitFor()
    const interrupted = await until('the second rebuild under way', () => {
      const job = latestJob()
      return job?.state === 'running' && job.progress_done > 0 && job
    })
    const server = portal.serverPid()
    expect(server).not.toBeNull()
    process.kill(server!, 'SIGKILL')
    await portal.ready(2)
    const resumed = await until(
      'the interrupted job finished',
      () => {
        const job = latestJob()
        return job?.id === interrupted.id && job.state === 'succeeded' && job
      },
      240_000,
    )
    expect(resumed.attempts).toBe(2)
    expect(portal.output()).toContain(`Job ${interrupted.id} was interrupted: taken up again.`)
    await gotoHydrated(page, `/manage/jobs/${interrupted.id}`)
    await page.getByText(/Attempt 2/).waitFor()
    // The round's page lists its jobs; at 320 px the list fits the screen.
    await page.setViewportSize({ width: 320, height: 800 })
    await expectNoAxeViolations(page)
    await gotoHydrated(page, `/manage/rounds/${roundId}`)
    const jobs = page.getByRole('region', { name: 'Background work' })
    await expect(jobs.getByRole('link', { name: 'Recomputing campaigns' }).count()).resolves.toBe(3)
    await expect(jobs.getByRole('progressbar').count()).resolves.toBe(3)
    await expectNoAxeViolations(page)
    // (The page's document upload is wider than 320 px: issue 20's reflow work, not the jobs'.)
    const right = await jobs.evaluate((el) => el.getBoundingClientRect().right)
    expect(right).toBeLessThanOrEqual(320)
    await context.close()
  }, 900_000)
})
