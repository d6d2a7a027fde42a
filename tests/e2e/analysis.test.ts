import type { Browser } from 'playwright-core'
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

describe('analysis and reports', () => {
  test('an official reads the statistics, drafts a summary, approves it, exports and publishes the report', async () => {
    const context = await newContext(browser, { acceptDownloads: true })
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await gotoHydrated(page, '/signin?redirectTo=%2Fmanage')
    await page.getByLabel('Email address').fill('official@example.org')
    await page.getByLabel('Password', { exact: true }).fill('official-demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Manage consultations' }).waitFor()
    await page.getByRole('link', { name: /Export controls on surveillance technologies/ }).click()
    await page.getByRole('link', { name: 'Analysis and report' }).click()
    await page.getByRole('heading', { level: 1, name: 'Analysis and report' }).waitFor()
    await expect(
      page.getByRole('img', { name: 'Responses by stakeholder group' }).isVisible(),
    ).resolves.toBe(true)
    await expect(
      page
        .getByRole('table', { name: 'Responses by stakeholder group' })
        .getByRole('rowheader', { name: 'Civil society' })
        .isVisible(),
    ).resolves.toBe(true)
    await expectNoAxeViolations(page)

    const editor = page.getByRole('region', { name: /^Draft item 1:/ })
    // Suggestions come from the control's themes, on their own page.
    await expect(
      editor
        .getByRole('link', { name: /^Themes and a suggested summary for Draft item 1:/ })
        .isVisible(),
    ).resolves.toBe(true)
    const box = editor.getByRole('textbox')
    await box.fill(
      'Civil society asks for broad controls on spyware; industry asks for clear exemptions.',
    )
    await editor.getByRole('button', { name: 'Save draft' }).click()
    await page.getByText('Saved.').waitFor()
    await page
      .getByRole('region', { name: /^Draft item 1:/ })
      .getByRole('button', { name: 'Approve this summary' })
      .click()
    await page
      .getByRole('region', { name: /^Draft item 1:/ })
      .getByText(/^Approved ·/)
      .waitFor()

    await page.getByLabel('All responses with tags and positions (CSV, opens in Excel)').check()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/-responses\.csv$/)

    await page.getByRole('button', { name: 'Publish the report' }).click()
    await page.getByText('The report is public since').waitFor()
    await expectNoAxeViolations(page)

    // The export was a job: its page, from the round's list of background work, offers the file.
    await gotoHydrated(page, new URL(page.url()).pathname.replace(/\/analysis$/, ''))
    await page.getByRole('link', { name: 'Exporting the responses' }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Exporting the responses' }).waitFor()
    const link = page.getByRole('link', { name: /^Download the responses \(CSV, .+\)$/ })
    await expect(link.isVisible()).resolves.toBe(true)
    await expect(page.getByText(/^File name: .+-responses\.csv$/).isVisible()).resolves.toBe(true)
    const [again] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(again.suggestedFilename()).toBe(download.suggestedFilename())
    await expectNoAxeViolations(page)
    expect(errors).toEqual([])
    await context.close()

    const visitor = await newContext(browser)
    const reader = await visitor.newPage()
    await gotoHydrated(reader, '/consultations/surveillance-technology-controls-2026')
    const href = await reader
      .getByRole('link', { name: 'Read the summary report (PDF)' })
      .getAttribute('href')
    // Made by a job: while it runs the reader is asked to come back (503 with Retry-After).
    let pdf = await fetch(`${inject('baseURL')}${href}`)
    for (let tries = 0; pdf.status === 503 && tries < 20; tries++) {
      expect(pdf.headers.get('retry-after')).toBeTruthy()
      await new Promise((resolve) => setTimeout(resolve, 1000))
      pdf = await fetch(`${inject('baseURL')}${href}`)
    }
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect((await pdf.text()).startsWith('%PDF-')).toBe(true)
    await visitor.close()
  })
  test('an official finds the themes of the demo round, reads their sizes, positions and quotes, accepts one as a tag, renames one, and gets a suggested summary that names the minority', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await gotoHydrated(page, '/signin?redirectTo=%2Fmanage')
    await page.getByLabel('Email address').fill('official@example.org')
    await page.getByLabel('Password', { exact: true }).fill('official-demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Manage consultations' }).waitFor()
    await page.getByRole('link', { name: /Export controls on surveillance technologies/ }).click()
    await page.getByRole('link', { name: 'Analysis and report' }).click()
    await page.getByRole('link', { name: 'Themes: what groups of respondents said' }).click()
    await page.getByRole('heading', { level: 1, name: 'Themes' }).waitFor()
    await expectNoAxeViolations(page)
    const themesUrl = page.url()
    await page.getByRole('button', { name: /^Find themes/ }).click()
    // A small round answers at once; on a busy machine the job's page shows its progress first.
    const first = page.getByRole('heading', { level: 2, name: /^Theme 1: / })
    for (let tries = 0; tries < 30 && !(await first.isVisible()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await gotoHydrated(page, new URL(themesUrl).pathname)
    }
    await first.waitFor()
    await expect(
      page
        .getByText(/^\d+ responses \(\d+%\), \d+ counting each campaign once/)
        .first()
        .isVisible(),
    ).resolves.toBe(true)
    await expect(
      page.getByRole('heading', { level: 3, name: 'Positions' }).first().isVisible(),
    ).resolves.toBe(true)
    const quote = page.getByRole('link', { name: /^Response \d+$/ }).first()
    await expect(quote.isVisible()).resolves.toBe(true)
    await quote.focus()
    await expectNoAxeViolations(page)

    // Accept the first theme as a tag: its responses carry it.
    const theme1 = page.getByRole('region', { name: /^Theme 1: / })
    const name1 = (await theme1.getByRole('heading', { level: 2 }).textContent())!.replace(
      /^Theme 1: /,
      '',
    )
    await theme1.getByRole('button', { name: 'Accept as a tag' }).click()
    for (
      let tries = 0;
      tries < 30 && !(await theme1.getByText('Accepted as a tag').isVisible());
      tries++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await gotoHydrated(page, new URL(themesUrl).pathname)
    }
    await theme1.getByText(`Its responses carry the tag “${name1}”.`).waitFor()
    await expectNoAxeViolations(page)
    // At 320 px every theme, its quotes and its forms fit the screen; a hovered button too.
    await page.setViewportSize({ width: 320, height: 800 })
    await page
      .getByRole('region', { name: /^Theme 2: / })
      .getByRole('button', { name: 'Accept as a tag' })
      .hover()
    await expectNoAxeViolations(page)
    // Nothing is wider than the screen: no theme, quote, select or button makes it scroll sideways.
    const widest = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(widest).toBeLessThanOrEqual(320)
    await page.setViewportSize({ width: 1280, height: 800 })
    // A name refused is kept as typed, with the reason beside it.
    const theme2 = page.getByRole('region', { name: /^Theme 2: / })
    const rename = theme2.getByRole('textbox', { name: 'Name of theme 2' })
    await rename.fill('   ')
    await theme2.getByRole('button', { name: 'Rename' }).click()
    await page.getByRole('alert').getByText('Enter a name for the theme').waitFor()
    await expect(rename.getAttribute('aria-invalid')).resolves.toBe('true')
    await expectNoAxeViolations(page)
    await rename.fill('Licensing delays')
    await theme2.getByRole('button', { name: 'Rename' }).click()
    await page.getByRole('heading', { level: 2, name: 'Theme 2: Licensing delays' }).waitFor()

    await page.getByRole('button', { name: 'Suggest a summary from these themes' }).click()
    const box = page.getByRole('textbox', { name: 'Suggested summary (Markdown)' })
    await box.waitFor()
    const draft = await box.inputValue()
    expect(draft).toMatch(/^## Themes/)
    expect(draft).toMatch(/About \d+ responses \(\d+%\) said: /)
    expect(draft).toMatch(/## Minority and dissenting views\n\n\*\*(A smaller group|Within)/)
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Save as the round’s draft summary' }).click()
    await page.getByText('Saved.').waitFor()
    // The one error is the refused name's answer (400), which the page showed.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
    await context.close()
  })
})
