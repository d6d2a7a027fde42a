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

async function signInAsOfficial(page: Page) {
  await gotoHydrated(page, '/signin?redirectTo=%2Fmanage')
  await page.getByLabel('Email address').fill('official@example.org')
  await page.getByLabel('Password', { exact: true }).fill('official-demo-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Manage consultations' }).waitFor()
}

const controls = [
  {
    reference: '5A001.j',
    title: 'IP network communications surveillance systems',
    text: 'Systems that **collect and analyse** traffic at carrier scale.',
    question: 'Does the definition catch lawful-interception equipment?',
  },
  {
    reference: 'Draft item 2',
    title: 'Remote biometric identification',
    text: 'Facial-recognition systems for public spaces.',
    question: 'Which end users raise the greatest concern?',
  },
  {
    reference: 'Draft item 3',
    title: 'Spyware-as-a-service',
    text: 'Hosted intrusion capabilities offered as a service.',
    question: 'How should brokers be covered?',
  },
]

describe('an official authors a round', () => {
  test('creates a draft with three controls, opens it, and a visitor reads it from the home page', async () => {
    const slug = `e2e-round-${Date.now()}`
    const title = `Surveillance items consultation ${Date.now()}`
    const context = await newContext(browser, { timezoneId: 'Europe/Copenhagen' })
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await signInAsOfficial(page)
    await expectNoAxeViolations(page)

    await page.getByRole('link', { name: 'Create a consultation round' }).click()
    await page.getByRole('heading', { level: 1, name: 'Create a consultation round' }).waitFor()
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Web address (slug)').fill(slug)
    await page.getByLabel('Summary').fill('Views sought on three draft items.')
    await page
      .getByLabel('Background')
      .fill('## Why\n\nUnder **commitment 2** we consult before we control.')
    await expect(page.getByLabel('Time zone of the dates').inputValue()).resolves.toBe(
      'Europe/Copenhagen',
    )
    await page.getByLabel('Closes').fill('2031-06-30T17:00')
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Create draft round' }).click()
    await page.getByText('The draft round has been created').waitFor()

    // The public cannot see the draft.
    const draft = await fetch(`${inject('baseURL')}/consultations/${slug}`)
    expect(draft.status).toBe(404)

    for (const control of controls) {
      await page.getByRole('link', { name: 'Add a proposed control' }).click()
      await page.getByRole('heading', { level: 1, name: 'Add a proposed control' }).waitFor()
      await page.getByLabel('Reference').fill(control.reference)
      await page.getByLabel('Title').fill(control.title)
      await page.getByLabel('Text of the proposed control').fill(control.text)
      await page.getByLabel('Questions for respondents').fill(control.question)
      await page.getByRole('button', { name: 'Add a proposed control' }).click()
      await page.getByText('The proposed controls have been updated').waitFor()
    }
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Open now' }).click()
    await page.getByText('The round is open for responses').waitFor()
    expect(errors).toEqual([])
    await context.close()

    const visitor = await newContext(browser)
    const reader = await visitor.newPage()
    await gotoHydrated(reader, '/')
    await reader
      .getByRole('region', { name: 'Open for comment' })
      .getByRole('link', { name: title })
      .click()
    await reader.getByRole('heading', { level: 1, name: title }).waitFor()
    const region = reader.getByRole('region', { name: 'Proposed controls' })
    for (const control of controls) {
      await expect(
        region.getByRole('heading', { level: 3, name: control.title }).isVisible(),
      ).resolves.toBe(true)
      await expect(region.getByText(`Reference ${control.reference}`).isVisible()).resolves.toBe(
        true,
      )
      await expect(region.getByText(control.question).isVisible()).resolves.toBe(true)
    }
    await expect(
      region.locator('strong', { hasText: 'collect and analyse' }).isVisible(),
    ).resolves.toBe(true)
    await expect(reader.getByText('Closes', { exact: true }).isVisible()).resolves.toBe(true)
    await expectNoAxeViolations(reader)
    await visitor.close()
  })

  test('a mistake in the form is explained at the field, with the rest kept', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await signInAsOfficial(page)
    await page.getByRole('link', { name: 'Create a consultation round' }).click()
    await page.getByLabel('Title').fill('A round with impossible dates')
    await page.getByLabel('Web address (slug)').fill('surveillance-technology-controls-2026')
    await page.getByLabel('Summary').fill('Kept summary')
    await page.getByLabel('Opens').fill('2031-03-01T09:00')
    await page.getByLabel('Closes').fill('2031-02-01T09:00')
    await page.getByRole('button', { name: 'Create draft round' }).click()
    const summary = page.getByRole('alert')
    await summary.getByText('The closing time must be after the opening time').waitFor()
    await expect(
      summary.getByText('Another round already uses this web address').count(),
    ).resolves.toBe(0)
    await expect(page.getByLabel('Summary').inputValue()).resolves.toBe('Kept summary')
    await expect(page.getByLabel('Opens').inputValue()).resolves.toBe('2031-03-01T09:00')
    await page.getByLabel('Closes').fill('2031-04-01T09:00')
    await page.getByRole('button', { name: 'Create draft round' }).click()
    await summary.getByText('Another round already uses this web address: choose another').waitFor()
    await expect(page.getByLabel('Web address (slug)').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    )
    await expectNoAxeViolations(page)
    await context.close()
  })
})
