import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  collectPageErrors,
  expectNoAxeViolations,
  gotoHydrated,
  launchBrowser,
  newContext,
} from './browser.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser.close()
})

const LETTER =
  'We urge the authorities to stop the trade in commercial spyware. Governments have used these tools to target journalists, lawyers and human rights defenders. ' +
  'Every sale of intrusion software should need a licence, every licence decision should be published, and brokers should be covered as well as vendors. ' +
  'Without these safeguards, the people who hold power to account will keep being silenced.'

/** A round with one control, straight into the running server's database. */
function createRound() {
  const sqlite = new Database(inject('databasePath'))
  const slug = `review-${randomUUID().slice(0, 8)}`
  const now = new Date().toISOString()
  const day = 86_400_000
  const round = sqlite
    .prepare(
      `insert into consultations (slug, title, summary, background, commitments, time_zone, opens_at, closes_at, published_at, late_comments_allowed, contact_point, created_at, updated_at)
       values (?, ?, 'Summary', 'Background', '[2]', 'UTC', ?, ?, ?, 0, '', ?, ?)`,
    )
    .run(
      slug,
      `Review ${slug}`,
      new Date(Date.now() - day).toISOString(),
      new Date(Date.now() + day).toISOString(),
      new Date(Date.now() - day).toISOString(),
      now,
      now,
    )
  const control = sqlite
    .prepare(
      `insert into controls (consultation_id, position, reference, title, body, created_at, updated_at) values (?, 0, 'Item 1', 'Spyware', '', ?, ?)`,
    )
    .run(round.lastInsertRowid, now, now)
  sqlite.close()
  return { slug, id: Number(round.lastInsertRowid), controlId: Number(control.lastInsertRowid) }
}

/** Sends a response as the form does, over HTTP. */
async function sendResponse(
  round: { slug: string; controlId: number },
  body: string,
  organisation: string,
) {
  const form = new FormData()
  const fields: Record<string, string> = {
    submissionKey: randomUUID(),
    respondentType: 'ngo',
    organisation,
    country: 'DK',
    publication: 'named',
    'scopes[0].controlId': '',
    'scopes[1].controlId': String(round.controlId),
    'scopes[1].position': 'support',
    'scopes[1].body': body,
  }
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  const response = await fetch(`${inject('baseURL')}/consultations/${round.slug}/respond`, {
    method: 'POST',
    body: form,
    headers: { Origin: inject('baseURL') },
    redirect: 'manual',
  })
  expect(response.status).toBe(302)
}

async function signIn(page: Page) {
  await gotoHydrated(page, '/signin?redirectTo=%2Fmanage')
  await page.getByLabel('Email address').fill('official@example.org')
  await page.getByLabel('Password', { exact: true }).fill('official-demo-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Manage consultations' }).waitFor()
}

describe('the officials’ review workspace', () => {
  test('find by phrase, tag an excerpt, bulk-tag a search result, mark a campaign as spam; the public page follows', async () => {
    const round = createRound()
    const signatures = ['Anna', 'Bo', 'Carl', 'Dina', 'Emil', 'Frida']
    for (const [i, name] of signatures.entries()) {
      await sendResponse(
        round,
        `${i % 2 ? 'Dear officials,' : 'Hello,'} ${LETTER} With thanks, ${name}.`,
        `Campaign signer ${name}`,
      )
    }
    await sendResponse(
      round,
      'Facial recognition in public spaces chills freedom of assembly; ban real-time remote identification.',
      'Assembly Rights Centre',
    )
    await sendResponse(
      round,
      'Our firm needs faster licence decisions for network test equipment used by carriers.',
      'Carrier Test Systems AS',
    )
    const sqlite = new Database(inject('databasePath'))
    sqlite
      .prepare(
        "update responses set status = 'published', published_at = ? where consultation_id = ?",
      )
      .run(new Date().toISOString(), round.id)
    sqlite
      .prepare(
        "insert into tags (consultation_id, name, description, colour, shortcut, created_at, updated_at) values (?, 'Freedom of assembly', '', '#1d70b8', 1, '', '')",
      )
      .run(round.id)
    sqlite
      .prepare(
        "insert into tags (consultation_id, name, description, colour, created_at, updated_at) values (?, 'Licensing', '', '#00703c', '', '')",
      )
      .run(round.id)
    sqlite.close()

    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await signIn(page)
    await gotoHydrated(page, `/manage/rounds/${round.id}/responses`)
    await page.getByRole('heading', { level: 2, name: '8 responses' }).waitFor()
    await expectNoAxeViolations(page)

    // Find one response by a phrase, open it, and tag an excerpt of it.
    await page.getByLabel('Search the responses').fill('"freedom of assembly"')
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await page.getByRole('heading', { level: 2, name: '1 response' }).waitFor()
    await expect(page.locator('mark').first().textContent()).resolves.toMatch(/freedom/i)
    await page.getByRole('table').getByRole('link', { name: /^CMT-/ }).click()
    await page.getByRole('heading', { level: 1, name: /^Response CMT-/ }).waitFor()
    await expectNoAxeViolations(page)
    await page.getByLabel('Excerpt', { exact: true }).fill('ban real-time remote identification')
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'Freedom of assembly (1)' })
    await page.getByRole('button', { name: 'Tag excerpt' }).click()
    await page.getByText('Saved.').waitFor()
    await expect(
      page
        .getByRole('region', { name: 'Tags' })
        .getByText('ban real-time remote identification')
        .isVisible(),
    ).resolves.toBe(true)

    // Tag every response matching a search, in one action.
    await gotoHydrated(page, `/manage/rounds/${round.id}/responses?q=spyware`)
    await page.getByRole('heading', { level: 2, name: '6 responses' }).waitFor()
    await page.getByLabel('All 6 responses matching the filters').check()
    await page.getByLabel('Tag with').selectOption({ label: 'Licensing' })
    await page.getByRole('button', { name: 'Apply tag' }).click()
    await page.getByText('6 responses tagged.').waitFor()

    // The form letters are one campaign: mark it all as spam at once.
    await page.getByRole('link', { name: 'Campaigns' }).first().click()
    await page.getByRole('button', { name: 'Recompute campaigns' }).click()
    await page.getByText(/Campaigns recomputed: 1 found/).waitFor()
    await page.getByRole('link', { name: 'Campaign of 6 responses' }).click()
    await page.getByRole('heading', { level: 1, name: 'Campaign of 6 responses' }).waitFor()
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Mark all as spam' }).click()
    await page.getByText('Saved.').waitFor()
    expect(errors).toEqual([])
    await context.close()

    const html = await (
      await fetch(`${inject('baseURL')}/consultations/${round.slug}/responses`)
    ).text()
    expect(html).toContain('Assembly Rights Centre')
    expect(html).not.toContain('Campaign signer')
    expect(html).not.toContain('stop the trade in commercial spyware')
  })

  test('a campaign shows the response that reuses its letter with text of its own: its kind, what it adds and leaves out', async () => {
    const round = createRound()
    for (const name of ['Gun', 'Hugo', 'Ines', 'Jon']) {
      await sendResponse(round, `Hello, ${LETTER} With thanks, ${name}.`, `Letter signer ${name}`)
    }
    const own =
      'As a reporter in a small newsroom I have seen colleagues lose their sources after their phones were infected. ' +
      'Our union asks that licence decisions name the end user and the country, that refusals be shared between states, and that victims can ask a court for remedy. ' +
      'We also ask for yearly reports on the licences granted, with the value and the kind of item, so that parliaments can follow what is sold and to whom.'
    // The letter without its last sentence, and a paragraph of the respondent's own.
    const kept = LETTER.replace(/ Without these safeguards.*$/, '')
    await sendResponse(round, `${kept}\n\n${own}`, 'Newsroom Union')
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await signIn(page)
    await gotoHydrated(page, `/manage/rounds/${round.id}/campaigns`)
    await page.getByRole('button', { name: 'Recompute campaigns' }).click()
    await page.getByText(/Campaigns recomputed: 1 found/).waitFor()
    await page.getByRole('link', { name: 'Campaign of 5 responses' }).click()
    await page.getByRole('heading', { level: 1, name: 'Campaign of 5 responses' }).waitFor()
    const table = page.getByRole('table')
    await expect(table.getByRole('cell', { name: 'Template with own text' }).count()).resolves.toBe(
      1,
    )
    await expect(table.getByRole('cell', { name: 'Copy', exact: true }).count()).resolves.toBe(4)
    const reuse = page.getByRole('region', {
      name: 'Responses that reuse the template with text of their own',
    })
    await reuse.getByRole('heading', { level: 4, name: 'What it adds' }).waitFor()
    await expect(
      reuse.getByRole('listitem').filter({ hasText: 'yearly reports on the licences' }).count(),
    ).resolves.toBe(1)
    await reuse
      .getByRole('heading', { level: 4, name: 'What it leaves out of the representative text' })
      .waitFor()
    await expect(
      reuse.getByRole('listitem').filter({ hasText: 'Without these safeguards' }).count(),
    ).resolves.toBe(1)
    await table.getByRole('link', { name: 'What it adds and leaves out' }).click()
    await expectNoAxeViolations(page)
    expect(errors).toEqual([])
    await context.close()
  })

  test('admins browse the audit log, which shows what was done', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, '/signin?redirectTo=%2Fadmin%2Fusers')
    await page.getByLabel('Email address').fill('admin@example.org')
    await page.getByLabel('Password', { exact: true }).fill('admin-demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
    const email = `audited-${randomUUID().slice(0, 8)}@example.org`
    const form = page.getByRole('region', { name: 'Create an account for an official' })
    await form.getByLabel('Your name').fill('Audited Official')
    await form.getByLabel('Email address').fill(email)
    await form.getByLabel('Initial password').fill('a long initial passphrase')
    await form.getByRole('button', { name: 'Create account' }).click()
    await page.getByText(`The account for ${email} has been created.`).waitFor()

    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
    await page.getByLabel('Action').selectOption('user.created')
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await page.waitForURL(/action=user\.created/)
    await expect(
      page.getByRole('cell', { name: 'user.created' }).count(),
    ).resolves.toBeGreaterThanOrEqual(1)
    await expect(
      page
        .getByRole('cell', { name: /Ada Admin/ })
        .first()
        .isVisible(),
    ).resolves.toBe(true)
    await expectNoAxeViolations(page)
    await context.close()
  })
})
