import { randomUUID } from 'node:crypto'
import { writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  collectPageErrors,
  expectNoAxeViolations,
  gotoHydrated,
  launchBrowser,
  newContext,
} from './browser.ts'

let browser: Browser
const pdfPath = path.resolve('tests/.tmp/e2e-brief.pdf')

beforeAll(async () => {
  browser = await launchBrowser()
  mkdirSync(path.dirname(pdfPath), { recursive: true })
  writeFileSync(pdfPath, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
})

afterAll(async () => {
  await browser.close()
})

/** A fresh open round with two controls, written straight into the running server's database. */
function createRound(): { slug: string; id: number } {
  const sqlite = new Database(inject('databasePath'))
  const slug = `respond-${randomUUID().slice(0, 8)}`
  const now = new Date().toISOString()
  const day = 86_400_000
  const { lastInsertRowid } = sqlite
    .prepare(
      `insert into consultations (slug, title, summary, background, commitments, time_zone, opens_at, closes_at, published_at, late_comments_allowed, contact_point, created_at, updated_at)
       values (?, ?, 'Summary', 'Background', '[2]', 'UTC', ?, ?, ?, 0, 'Unit, unit@example.org', ?, ?)`,
    )
    .run(
      slug,
      `Round ${slug}`,
      new Date(Date.now() - day).toISOString(),
      new Date(Date.now() + 10 * day).toISOString(),
      new Date(Date.now() - day).toISOString(),
      now,
      now,
    )
  const id = Number(lastInsertRowid)
  for (const [position, reference, title, question] of [
    [0, 'Item A', 'Intrusion software', 'Is the definition precise enough?'],
    [1, 'Item B', 'Facial recognition', 'Which uses worry you most?'],
  ] as const) {
    const control = sqlite
      .prepare(
        `insert into controls (consultation_id, position, reference, title, body, created_at, updated_at) values (?, ?, ?, ?, 'Text', ?, ?)`,
      )
      .run(id, position, reference, title, now, now)
    sqlite
      .prepare(`insert into control_questions (control_id, position, prompt) values (?, 0, ?)`)
      .run(control.lastInsertRowid, question)
  }
  sqlite.close()
  return { slug, id }
}

function closeRound(id: number) {
  const sqlite = new Database(inject('databasePath'))
  sqlite
    .prepare('update consultations set closes_at = ? where id = ?')
    .run(new Date(Date.now() - 1000).toISOString(), id)
  sqlite.close()
}

function scope(page: Page, name: string): Locator {
  return page.getByRole('group', { name })
}

describe('responding to a consultation', () => {
  test('a visitor responds on two controls with a PDF, edits through the private link, withdraws; after the close both refuse politely', async () => {
    const round = createRound()
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await gotoHydrated(page, `/consultations/${round.slug}`)
    await page.getByRole('link', { name: 'Respond to this consultation' }).click()
    await page.getByRole('heading', { level: 1, name: 'Respond to the consultation' }).waitFor()
    await expectNoAxeViolations(page)

    await page.getByRole('button', { name: 'Send response' }).click()
    await page.getByRole('alert').getByText('Choose who you are responding as').waitFor()
    await expectNoAxeViolations(page)

    await page.getByLabel('Academic or research institution').check()
    await page.getByLabel('Name of your organisation').fill('Institute for Technology and Rights')
    await page.getByLabel('Country', { exact: true }).selectOption({ label: 'Estonia' })
    await scope(page, 'Item A: Intrusion software').getByLabel('Support with changes').check()
    await page
      .getByLabel('Your comments on Item A: Intrusion software (optional)')
      .fill('Exempt coordinated vulnerability disclosure.')
    await page
      .getByLabel('Is the definition precise enough?')
      .fill('Not yet: "intrusion software" needs a tighter definition.')
    await scope(page, 'Item B: Facial recognition').getByLabel('Oppose', { exact: true }).check()
    await page
      .getByLabel('Your comments on Item B: Facial recognition (optional)')
      .fill('The scope is too wide for research use.')
    await page.getByLabel('Files you agree to publish (optional)').setInputFiles(pdfPath)
    await page.getByLabel('Publish my response with my name or my organisation’s name').check()
    await page.getByRole('button', { name: 'Send response' }).click()

    await page.getByRole('heading', { level: 1, name: 'Response received' }).waitFor()
    const tracking = await page.locator('.tracking-number').textContent()
    expect(tracking).toMatch(/^CMT-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const privateLink = await page
      .getByRole('region', { name: 'Your private link' })
      .getByRole('link')
      .getAttribute('href')
    expect(privateLink).toContain(`/responses/${tracking}?key=`)
    await expect(page.getByRole('link', { name: 'e2e-brief.pdf' }).isVisible()).resolves.toBe(true)
    await expectNoAxeViolations(page)

    // Later, from the private link alone, in another browser.
    const later = await newContext(browser)
    const own = await later.newPage()
    await gotoHydrated(own, new URL(privateLink!).pathname + new URL(privateLink!).search)
    await own.getByRole('link', { name: 'Edit your response' }).click()
    await own.getByRole('heading', { level: 1, name: `Edit response ${tracking}` }).waitFor()
    await expect(own.getByLabel('Name of your organisation').inputValue()).resolves.toBe(
      'Institute for Technology and Rights',
    )
    await own
      .getByLabel('Your comments on Item B: Facial recognition (optional)')
      .fill('Changed: research use needs an exemption.')
    await expectNoAxeViolations(own)
    await own.getByRole('button', { name: 'Save changes' }).click()
    await own.getByText('Your changes have been saved.').waitFor()
    await expect(
      own.getByText('Changed: research use needs an exemption.').isVisible(),
    ).resolves.toBe(true)

    await own.getByRole('button', { name: 'Withdraw response' }).click()
    await own.getByRole('alert').getByText('Tick the box to confirm').waitFor()
    await own.getByLabel('I want to withdraw my response').check()
    await own.getByRole('button', { name: 'Withdraw response' }).click()
    await own.getByText('You have withdrawn this response.').waitFor()
    await expectNoAxeViolations(own)

    closeRound(round.id)
    await gotoHydrated(page, `/consultations/${round.slug}/respond`)
    await page.getByText('This consultation is closed and no longer takes responses.').waitFor()
    await expect(page.getByRole('button', { name: 'Send response' }).count()).resolves.toBe(0)
    await gotoHydrated(own, `/responses/${tracking}/edit${new URL(privateLink!).search}`)
    await own
      .getByText(
        'The consultation has closed: your response can no longer be changed or withdrawn.',
      )
      .waitFor()
    await expectNoAxeViolations(own)
    expect(errors).toEqual([])
    await later.close()
    await context.close()
  })

  test('the whole form works with the keyboard alone', async () => {
    const round = createRound()
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, `/consultations/${round.slug}/respond`)

    const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement)
    async function tabTo(locator: Locator) {
      for (let i = 0; i < 80; i++) {
        if (await focused(locator)) return
        await page.keyboard.press('Tab')
      }
      throw new Error(`could not reach ${locator} with Tab`)
    }

    // Radio groups take the focus once; arrow keys choose within them.
    await tabTo(page.getByLabel('Company', { exact: true }))
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect(page.getByLabel('NGO or civil-society organisation').isChecked()).resolves.toBe(
      true,
    )
    await tabTo(page.getByLabel('Name of your organisation'))
    await page.keyboard.type('Keyboard Rights Collective')
    await tabTo(page.getByLabel('Country', { exact: true }))
    await page.keyboard.type('Norway')
    await tabTo(scope(page, 'Item A: Intrusion software').getByLabel('I am not commenting on this'))
    await page.keyboard.press('ArrowDown')
    await expect(
      scope(page, 'Item A: Intrusion software').getByLabel('Support', { exact: true }).isChecked(),
    ).resolves.toBe(true)
    await tabTo(page.getByLabel('Your comments on Item A: Intrusion software (optional)'))
    await page.keyboard.type('Typed without a mouse.')
    await tabTo(page.getByLabel('Publish my response with my name or my organisation’s name'))
    await page.keyboard.press('ArrowDown')
    await expect(page.getByLabel('Publish my response without any name').isChecked()).resolves.toBe(
      true,
    )
    await tabTo(page.getByRole('button', { name: 'Send response' }))
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Response received' }).waitFor()
    await expect(page.getByText('Typed without a mouse.').isVisible()).resolves.toBe(true)
    await context.close()
  })

  test('a "do not publish" or confidential response never reaches a public page or its data', async () => {
    const round = createRound()
    const unique = randomUUID().slice(0, 8)
    const secretText = `NOT-PUBLISHED-${unique}`
    const confidentialText = `CONFIDENTIAL-${unique}`
    const publicVersion = `PUBLIC-VERSION-${unique} <img src=x onerror=alert(1)> <script>alert(2)</script> שלום 🙂`
    const context = await newContext(browser)
    const page = await context.newPage()

    async function respond(fill: () => Promise<void>) {
      await gotoHydrated(page, `/consultations/${round.slug}/respond`)
      await page.getByLabel('Company', { exact: true }).check()
      await page.getByLabel('Name of your organisation').fill(`Vendor ${unique}`)
      await page.getByLabel('Country', { exact: true }).selectOption('SE')
      await page
        .getByLabel('Email address for your receipt (optional)')
        .fill(`legal-${unique}@example.com`)
      await scope(page, 'Item A: Intrusion software').getByLabel('Oppose', { exact: true }).check()
      await fill()
      await page.getByRole('button', { name: 'Send response' }).click()
      await page.getByRole('heading', { level: 1, name: 'Response received' }).waitFor()
    }
    await respond(async () => {
      await page
        .getByLabel('Your comments on Item A: Intrusion software (optional)')
        .fill(secretText)
      await page.getByLabel('Do not publish my response').check()
    })
    await respond(async () => {
      await page
        .getByLabel('Your comments on Item A: Intrusion software (optional)')
        .fill(confidentialText)
      await page.getByLabel('My response contains business-confidential information').check()
      await page
        .getByLabel(/Why is this information confidential/)
        .fill(`It names customers ${unique}`)
      await page.getByLabel(/Public version of your response/).fill(publicVersion)
      await page.getByLabel('Publish my response with my name or my organisation’s name').check()
    })

    // Even if both were marked published by mistake, the public sees only the public version.
    const sqlite = new Database(inject('databasePath'))
    sqlite
      .prepare(
        "update responses set status = 'published', published_at = ? where consultation_id = ?",
      )
      .run(new Date().toISOString(), round.id)
    sqlite.close()

    const base = inject('baseURL')
    const pages = [
      '/',
      '/consultations',
      `/consultations/${round.slug}`,
      `/consultations/${round.slug}/responses`,
    ]
    const bodies = await Promise.all(
      pages
        .flatMap((p) => [p, `${p === '/' ? '/_root' : p}.data`])
        .map(async (p) => (await fetch(`${base}${p}`)).text()),
    )
    const all = bodies.join('\n')
    expect(all).toContain(`PUBLIC-VERSION-${unique}`)
    for (const secret of [
      secretText,
      confidentialText,
      `It names customers ${unique}`,
      `legal-${unique}@example.com`,
    ]) {
      expect(all).not.toContain(secret)
    }
    await context.close()
  })
})
