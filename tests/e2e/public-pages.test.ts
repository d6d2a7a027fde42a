import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
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

describe('public pages', () => {
  test('the home page lists the demo round, hydrates under the CSP and passes axe', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    const response = await page.goto('/')
    expect(response?.status()).toBe(200)

    const csp = response?.headers()['content-security-policy'] ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(response?.headers()['x-content-type-options']).toBe('nosniff')
    expect(response?.headers()['x-frame-options']).toBe('DENY')
    expect(response?.headers()['referrer-policy']).toBe('same-origin')

    await expect(
      page
        .getByRole('heading', {
          level: 1,
          name: 'Have your say on export controls and human rights',
        })
        .isVisible(),
    ).resolves.toBe(true)
    const openSection = page.getByRole('region', { name: 'Open for comment' })
    await expect(
      openSection
        .getByRole('link', { name: /Export controls on surveillance technologies/ })
        .isVisible(),
    ).resolves.toBe(true)
    await expect(
      page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice' }).isVisible(),
    ).resolves.toBe(true)

    // Every script the page runs carries this response's nonce, and the app hydrated.
    const scriptNonces = await page.$$eval('script', (els) => els.map((e) => e.nonce))
    expect(scriptNonces.length).toBeGreaterThan(0)
    for (const n of scriptNonces) expect(n).toBe(nonce)
    await page.waitForFunction(() => document.cookie.includes('tz='))
    await expectNoAxeViolations(page)
    expect(errors).toEqual([])
    await context.close()
  })

  test('a keyboard user can skip to the content and reach a round, then read every control', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await gotoHydrated(page, '/')
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to main content' })
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true)
    await page.keyboard.press('Enter')
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main')

    // Tab from the main landmark to the first round and open it with Enter.
    const roundLink = page
      .getByRole('region', { name: 'Open for comment' })
      .getByRole('link', { name: /Export controls on surveillance technologies/ })
    for (
      let i = 0;
      i < 10 && !(await roundLink.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/consultations\/surveillance-technology-controls-2026$/)
    // Client-side navigation: the URL changes before the new page has rendered.
    await page
      .getByRole('heading', { level: 1, name: /Export controls on surveillance technologies/ })
      .waitFor()
    const controls = page
      .getByRole('region', { name: 'Proposed controls' })
      .getByRole('heading', { level: 3 })
    await expect(controls.allTextContents()).resolves.toHaveLength(4)
    await expect(page.getByText('Open for comment').first().isVisible()).resolves.toBe(true)
    await expectNoAxeViolations(page)
    expect(errors).toEqual([])
    await context.close()
  })

  test('an unknown address gets the styled 404 page', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const response = await page.goto('/no/such/page')
    expect(response?.status()).toBe(404)
    await expect(
      page.getByRole('heading', { level: 1, name: 'Page not found' }).isVisible(),
    ).resolves.toBe(true)
    await expect(page.getByRole('link', { name: 'Go to the home page' }).isVisible()).resolves.toBe(
      true,
    )
    await expect(page.title()).resolves.toMatch(/^Page not found/)
    await expectNoAxeViolations(page)
    await context.close()
  })

  test('a draft round does not exist for the public', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const response = await page.goto('/consultations/no-such-round')
    expect(response?.status()).toBe(404)
    await context.close()
  })

  test('the language comes from the URL, is remembered, and otherwise follows Accept-Language', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto('/?lng=fr')
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Donnez votre avis sur le contrôle des exportations et les droits humains',
    )
    await gotoHydrated(page, '/privacy')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Avis de confidentialité',
    )
    await expectNoAxeViolations(page)
    await page
      .getByRole('navigation', { name: 'Langue' })
      .getByRole('link', { name: 'English' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).waitFor()
    await context.close()

    const french = await newContext(browser, { locale: 'fr-FR' })
    const frenchPage = await french.newPage()
    await frenchPage.goto('/')
    await expect(frenchPage.locator('html').getAttribute('lang')).resolves.toBe('fr')
    await french.close()
  })

  test('times follow the reader’s time zone once the browser has told it', async () => {
    const context = await newContext(browser, { timezoneId: 'Asia/Tokyo' })
    const page = await context.newPage()
    await page.goto('/')
    await expect(page.getByRole('contentinfo').textContent()).resolves.toContain(
      'Times are shown in UTC.',
    )
    await page.reload()
    await expect(page.getByRole('contentinfo').textContent()).resolves.toContain(
      'Times are shown in Asia/Tokyo.',
    )
    const closes = await page
      .getByRole('region', { name: 'Open for comment' })
      .locator('time')
      .first()
      .textContent()
    expect(closes).toMatch(/GMT\+9/)
    await context.close()
  })

  test('the list of consultations searches and filters, and published responses read as their authors chose', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, '/consultations')
    await page.getByLabel('Words in the title or summary').fill('cloud biometric')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('heading', { name: '1 consultation found' }).waitFor()
    await expect(
      page.getByRole('link', { name: /Cloud-delivered biometric identification/ }).isVisible(),
    ).resolves.toBe(true)
    await expectNoAxeViolations(page)

    await gotoHydrated(page, '/consultations/surveillance-technology-controls-2026/responses')
    await page.getByRole('heading', { level: 1, name: 'Published responses' }).waitFor()
    const html = await page.content()
    // The demo's contact addresses are never shown.
    expect(html).not.toMatch(/@example\.(org|com|net)/)
    await expect(
      page.getByRole('heading', { level: 2, name: 'Anonymous respondent' }).count(),
    ).resolves.toBeGreaterThan(0)
    await expectNoAxeViolations(page)
    await page.getByRole('link', { name: 'Older responses' }).click()
    await page.waitForURL(/after=/)
    await expectNoAxeViolations(page)
    await context.close()
  })
})
