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

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('accounts in the browser', () => {
  test('a visitor signs up, signs out and signs in again', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await gotoHydrated(page, '/')
    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await expectNoAxeViolations(page)
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor()

    // A first try with a short password is refused with a message at the field and in the summary.
    await page.getByLabel('Your name').fill('Amal Haddad')
    await page.getByLabel('Email address').fill('amal.haddad@example.org')
    await page.getByLabel('Password').fill('too short')
    await page.getByRole('button', { name: 'Create account' }).click()
    const summary = page.getByRole('alert')
    await summary.getByText('Enter a password of at least 12 characters').waitFor()
    await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Amal Haddad')
    await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true')
    await expectNoAxeViolations(page)

    await page.getByLabel('Password').fill('olive tree harbour lantern')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
    await page.getByText('Your account has been created and you are signed in.').waitFor()
    await expect(page.getByText('Signed in as amal.haddad@example.org').isVisible()).resolves.toBe(
      true,
    )
    await expectNoAxeViolations(page)

    await page.getByRole('button', { name: 'Sign out', exact: true }).first().click()
    await page.getByText('You have been signed out.').waitFor()
    await expect(page.getByRole('link', { name: 'Sign in' }).isVisible()).resolves.toBe(true)

    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await signIn(page, 'amal.haddad@example.org', 'olive tree harbour lantern')
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  test('repeated failures bring the throttle message, which does not say whether the account exists', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, '/signin')
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'participant@example.org', `wrong password number ${i}`)
      await page
        .getByRole('alert')
        .getByText('The email address or the password is not right')
        .waitFor()
    }
    await signIn(page, 'participant@example.org', 'participant-demo-password')
    await page
      .getByRole('alert')
      .getByText(/Too many failed attempts to sign in\. Wait \d+ minutes?, then try again/)
      .waitFor()
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(
      'participant@example.org',
    )
    await expectNoAxeViolations(page)
    await context.close()
  })

  test('a sign-in page asked to return to another site stays on this one', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, '/signin?redirectTo=https%3A%2F%2Fevil.example%2Fsteal')
    await signIn(page, 'official@example.org', 'official-demo-password')
    await page.waitForURL((url) => url.pathname === '/account')
    expect(new URL(page.url()).origin).toBe(inject('baseURL'))
    await context.close()
  })

  test('an anonymous visitor to a protected page signs in and comes back to it', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await gotoHydrated(page, '/admin/users')
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/admin/users')
    await signIn(page, 'admin@example.org', 'admin-demo-password')
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
    await expectNoAxeViolations(page)
    await context.close()
  })
})

describe('cross-site requests', () => {
  test('a form posted from another site, or with no origin at all, is refused', async () => {
    const base = inject('baseURL')
    const body = new URLSearchParams({
      email: 'admin@example.org',
      password: 'admin-demo-password',
    })
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const forged = await fetch(`${base}/signin`, {
      method: 'POST',
      body,
      headers: { ...headers, Origin: 'https://evil.example' },
      redirect: 'manual',
    })
    expect(forged.status).toBe(403)
    expect(forged.headers.get('set-cookie')).toBeNull()
    await expect(forged.text()).resolves.toContain('This request was refused')

    const bare = await fetch(`${base}/signin`, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
    })
    expect(bare.status).toBe(403)

    const ours = await fetch(`${base}/signin`, {
      method: 'POST',
      body,
      headers: { ...headers, Origin: base },
      redirect: 'manual',
    })
    expect(ours.status).toBe(302)
    expect(ours.headers.get('set-cookie')).toMatch(/^__session=/)
  })
})
