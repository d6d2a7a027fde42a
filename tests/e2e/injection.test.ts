import Database from 'better-sqlite3'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  FORMULAS,
  HOSTILE_CONTROLS,
  HOSTILE_MARKDOWN,
  MARKDOWN_LINKS,
  type ResponseTexts,
  XSS,
  XSS_TEXT,
  hostileRoundForm,
  responseForm,
  xssChunks,
} from '#tests/fixtures/injection.ts'
import {
  collectPageErrors,
  expectNoAxeViolations,
  gotoHydrated,
  launchBrowser,
  newContext,
} from './browser.ts'

// The injection battery in Chromium: every page that shows a hostile text is loaded, and must
// run nothing (no dialog, no window.__pwned, no error or CSP refusal in the console), load
// nothing from another origin, grow no element the payloads would make, show the payloads as
// text, and pass axe. The exports of the same payloads are tests/integration/reports/injection.test.ts.

let browser: Browser
const base = () => inject('baseURL')

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const LETTER =
  'We urge the authorities to license every sale of intrusion software, to publish every licence ' +
  'decision and to cover brokers as well as vendors, because these tools are used against ' +
  'journalists, lawyers and human rights defenders.'
const FILE_NAME = `${XSS.imgOnerror}${XSS.rtlOverride}.pdf`
/** The file name as stored: a form sends '"' as %22, and the portal drops '<' and '>'. */
const STORED_FILE_NAME = FILE_NAME.replaceAll('"', '%22').replace(/[<>]/g, '')

/** Signs in over HTTP, as the sign-in form posts; returns the session cookie. */
async function signIn(email: string, password: string): Promise<string> {
  const response = await fetch(`${base()}/signin`, {
    method: 'POST',
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
    headers: { Origin: base() },
    redirect: 'manual',
  })
  expect(response.status).toBe(302)
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

/** Posts a form as the browser would (same origin), and expects the redirect of a success. */
async function post(path: string, cookie: string, fields: Record<string, string>, file?: File) {
  let body: URLSearchParams | FormData = new URLSearchParams(fields)
  if (file) {
    body = new FormData()
    for (const [name, value] of Object.entries(fields)) body.append(name, value)
    body.append('files', file)
  }
  const response = await fetch(`${base()}${path}`, {
    method: 'POST',
    body,
    headers: { Origin: base(), Cookie: cookie },
    redirect: 'manual',
  })
  if (response.status !== 302)
    throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.headers.get('Location')!
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(inject('databasePath'), { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

interface Hostile {
  slug: string
  roundId: number
  controlIds: number[]
  title: string
  official: string
  participant: string
  responseId: number
  clusterId: number
  tagNames: string[]
}

let hostile: Hostile

/**
 * A round with a hostile text in every field, through the officials' and respondents' forms:
 * answered, published, tagged (whole and by excerpt), noted and summarised.
 */
async function buildRound(): Promise<Hostile> {
  const official = await signIn('official@example.org', 'official-demo-password')
  const participant = await signIn('participant@example.org', 'participant-demo-password')
  const slug = `hostile-${Math.random().toString(36).slice(2, 10)}`
  const form = hostileRoundForm(slug)
  const location = await post('/manage/rounds/new', official, form)
  const roundId = Number(/\/manage\/rounds\/(\d+)/.exec(location)![1])
  for (const control of HOSTILE_CONTROLS)
    await post(`/manage/rounds/${roundId}/controls/new`, official, control)
  await post(`/manage/rounds/${roundId}`, official, { intent: 'transition', transition: 'open' })
  const controlIds = query<{ id: number }>(
    'select id from controls where consultation_id = ? order by position',
    roundId,
  ).map((c) => c.id)

  const send = async (texts: ResponseTexts, file?: File) => {
    const receipt = await post(
      `/consultations/${slug}/respond`,
      '',
      responseForm(controlIds, texts),
      file,
    )
    const tracking = new URL(receipt, base()).pathname.split('/').pop()!
    const [row] = query<{ id: number }>(
      'select id from responses where tracking_number = ?',
      tracking,
    )
    await post(`/manage/responses/${row!.id}`, official, { intent: 'moderate', action: 'publish' })
    return row!.id
  }
  const responseId = await send(
    {
      respondentType: 'ngo',
      name: xssChunks(300)[0]!,
      round: HOSTILE_MARKDOWN,
      control: XSS_TEXT,
      answers: [XSS_TEXT, MARKDOWN_LINKS],
      contactEmail: 'defender@example.org',
    },
    new File([PDF], FILE_NAME, { type: 'application/pdf' }),
  )
  await send({
    respondentType: 'company',
    name: 'Vendor AB',
    control: 'x',
    publicVersion: XSS_TEXT,
  })
  await send({ respondentType: 'individual', name: xssChunks(200)[1]!, control: FORMULAS[0] })
  const letters = []
  for (const signer of ['Ana', 'Bo'])
    letters.push(
      await send({ respondentType: 'individual', name: signer, round: `${LETTER} ${XSS_TEXT}` }),
    )
  const [cluster] = query<{ cluster_id: number }>(
    `select m.cluster_id from campaign_members m join consultations c
       on c.id = m.consultation_id and c.campaign_generation = m.generation
     where m.response_id = ?`,
    letters[0],
  )

  const tagNames = Object.values(XSS)
  const descriptions = xssChunks(500)
  for (const [i, name] of tagNames.entries()) {
    await post(`/manage/rounds/${roundId}/tags`, official, {
      intent: 'create',
      name,
      description: descriptions[i % descriptions.length]!,
      colour: '#1d70b8',
      parentId: '',
      shortcut: i < 3 ? String(i + 1) : '',
    })
  }
  const tags = query<{ id: number; name: string }>(
    'select id, name from tags where consultation_id = ?',
    roundId,
  )
  const page = `/manage/responses/${responseId}`
  for (const tag of tags) await post(page, official, { intent: 'tag', tagId: String(tag.id) })
  const [item] = query<{ id: number }>(
    'select id from response_items where response_id = ? and control_id = ?',
    responseId,
    controlIds[0],
  )
  await post(page, official, {
    intent: 'tag-excerpt',
    tagId: String(tags[0]!.id),
    itemId: String(item!.id),
    quote: XSS.textareaBreak,
  })
  await post(page, official, { intent: 'note', body: XSS_TEXT })
  await post(`/manage/rounds/${roundId}/analysis`, official, {
    intent: 'save',
    controlId: String(controlIds[0]),
    tagId: '',
    body: HOSTILE_MARKDOWN,
  })
  return {
    slug,
    roundId,
    controlIds,
    title: form.title!,
    official,
    participant,
    responseId,
    clusterId: cluster!.cluster_id,
    tagNames,
  }
}

beforeAll(async () => {
  browser = await launchBrowser()
  hostile = await buildRound()
})

afterAll(async () => {
  await browser.close()
})

/** Everything a page could do if a payload ran: dialogs, errors, requests to another origin. */
function watch(context: BrowserContext, page: Page) {
  const origin = new URL(base()).origin
  const offsite: string[] = []
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && url.origin !== origin) offsite.push(request.url())
  })
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  const errors = collectPageErrors(page)
  return { offsite, dialogs, errors }
}

type Watched = ReturnType<typeof watch>

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * The page as it is now ran none of the payloads, shows `texts` as text, and passes axe. Also
 * checks the DOM for the elements and attributes the payloads would have made.
 */
async function expectInert(page: Page, watched: Watched, texts: string[] = []) {
  // Hovering would fire an injected handler.
  await page.mouse.move(200, 200)
  const injected = await page.evaluate(() => {
    const found: string[] = []
    for (const selector of [
      'iframe',
      'object',
      'embed',
      'style',
      'svg[onload]',
      'img[src="x"]',
      'img[src*="evil.example"]',
      '[onerror]',
      '[onload]',
      '[onmouseover]',
      '[onfocus]',
      '[href^="javascript:" i]',
      '[href^="data:" i]',
      '[src^="javascript:" i]',
      '[action^="javascript:" i]',
    ]) {
      if (document.querySelector(selector)) found.push(selector)
    }
    for (const script of Array.from(document.scripts)) {
      const code = (script.textContent ?? '').trim()
      if (/^(window|parent)\.__pwned=1$|^alert\(/.test(code)) found.push(`script: ${code}`)
    }
    if (getComputedStyle(document.body).display === 'none') found.push('the page is hidden')
    const pwned = (window as unknown as { __pwned?: unknown }).__pwned
    if (pwned !== undefined) found.push(`window.__pwned = ${String(pwned)}`)
    return found
  })
  expect(injected, `injected into ${page.url()}`).toEqual([])
  await expect(page.locator('h1').first().isVisible()).resolves.toBe(true)
  const shown = normalise(await page.locator('body').innerText())
  for (const text of texts) expect(shown, `shown on ${page.url()}`).toContain(normalise(text))
  await expectNoAxeViolations(page)
  expect(watched.dialogs, `dialogs on ${page.url()}`).toEqual([])
  expect(watched.errors, `errors on ${page.url()}`).toEqual([])
  expect(watched.offsite, `requests to another origin from ${page.url()}`).toEqual([])
}

/** A browser context signed in with the cookies `signIn` returned. */
async function signedInContext(cookies: string) {
  const context = await newContext(browser)
  await context.addCookies(
    cookies.split('; ').map((cookie) => {
      const at = cookie.indexOf('=')
      return { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: base() }
    }),
  )
  return context
}

describe('hostile text in the browser', () => {
  test('the public round page and its published responses show it as text and run nothing', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const watched = watch(context, page)
    const [first, second] = [HOSTILE_CONTROLS[0]!, HOSTILE_CONTROLS[1]!]

    await gotoHydrated(page, `/consultations/${hostile.slug}`)
    expect(await page.title()).toContain(hostile.title)
    await expectInert(page, watched, [
      hostile.title,
      XSS_TEXT, // the summary
      xssChunks(300)[0]!, // the contact point
      first.reference,
      first.title,
      ...first.questions.split('\n'),
      second.reference,
      second.title,
    ])
    // Markdown: raw HTML shown as text, and no link that leaves for a script or data.
    await expect(page.locator('.prose').first().innerText()).resolves.toContain(XSS.script)
    const hrefs = await page
      .locator('.prose a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    expect(hrefs.length).toBeGreaterThan(0)
    expect(hrefs.filter((href) => href !== '' && !/^(https?:|\/|#)/.test(href))).toEqual([])

    const link = page.getByRole('link', { name: /^Read the \d+ published responses$/ })
    const href = await link.getAttribute('href')
    expect(href).toBe(`/consultations/${hostile.slug}/responses`)
    await gotoHydrated(page, href!)
    await expectInert(page, watched, [
      xssChunks(300)[0]!,
      HOSTILE_MARKDOWN,
      XSS_TEXT,
      MARKDOWN_LINKS,
      xssChunks(200)[1]!,
      FORMULAS[0],
      `${LETTER} ${XSS_TEXT}`,
    ])
    await context.close()
  })

  test('the review queue, a search in it and an official’s response page show it as text and run nothing', async () => {
    const context = await signedInContext(hostile.official)
    const page = await context.newPage()
    const watched = watch(context, page)

    await gotoHydrated(page, `/manage/rounds/${hostile.roundId}/responses?q=pwned`)
    await page.getByRole('heading', { level: 2, name: /^\d+ responses$/ }).waitFor()
    // The matches are highlighted inside the hostile texts, and the rest stays text.
    await expect(page.locator('mark').first().textContent()).resolves.toMatch(/pwned/i)
    await expectInert(page, watched, [xssChunks(300)[0]!, xssChunks(200)[1]!])

    await page.getByRole('table').getByRole('link', { name: /^CMT-/ }).first().waitFor()
    await gotoHydrated(page, `/manage/responses/${hostile.responseId}`)
    await expectInert(page, watched, [
      xssChunks(300)[0]!,
      HOSTILE_MARKDOWN,
      XSS_TEXT,
      MARKDOWN_LINKS,
      'defender@example.org',
      STORED_FILE_NAME,
      XSS.textareaBreak, // the tagged excerpt
      ...hostile.tagNames,
    ])
    await context.close()
  })

  test('the tags, campaigns and analysis pages show it as text and run nothing', async () => {
    const context = await signedInContext(hostile.official)
    const page = await context.newPage()
    const watched = watch(context, page)
    const { roundId } = hostile

    await gotoHydrated(page, `/manage/rounds/${roundId}/tags`)
    // A tag opens to its description and its edit form, where its name sits in an attribute:
    // open those named to break out of one (their descriptions hold every payload between them).
    const breakers = [XSS.imgOnerror, XSS.singleQuoteBreak, XSS.doubleQuoteBreak, XSS.backtickBreak]
    for (const name of breakers) await page.locator('summary').filter({ hasText: name }).click()
    await expectInert(page, watched, [...hostile.tagNames, ...xssChunks(500)])
    const names = await page
      .getByRole('textbox', { name: 'Name', exact: true })
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value))
    expect(names).toEqual(expect.arrayContaining(breakers))

    await gotoHydrated(page, `/manage/rounds/${roundId}/campaigns`)
    await expect(
      page.getByRole('link', { name: 'Campaign of 2 responses' }).getAttribute('href'),
    ).resolves.toBe(`/manage/campaigns/${hostile.clusterId}`)
    // The list shows the start of each campaign's text.
    await expectInert(page, watched, [`${LETTER} ${XSS.script} ${XSS.imgOnerror} ${XSS.svgOnload}`])

    await gotoHydrated(page, `/manage/rounds/${roundId}/analysis`)
    await expectInert(page, watched, [HOSTILE_CONTROLS[0]!.reference, ...hostile.tagNames])
    const boxes = await page
      .getByRole('textbox')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLTextAreaElement).value))
    expect(boxes).toContain(HOSTILE_MARKDOWN)
    await context.close()
  })

  test('a respondent types it into the form; their private page and edit page show it as text and run nothing', async () => {
    const context = await signedInContext(hostile.participant)
    const page = await context.newPage()
    const watched = watch(context, page)
    const first = HOSTILE_CONTROLS[0]!
    const name = xssChunks(300)[1]!

    await gotoHydrated(page, `/consultations/${hostile.slug}/respond`)
    await expectInert(page, watched, [hostile.title, first.reference, first.title])
    await page.getByLabel('NGO or civil-society organisation').check()
    await page.getByLabel('Name of your organisation').fill(name)
    await page.getByLabel('Country', { exact: true }).selectOption('NO')
    const whole = page.getByRole('group', { name: 'The consultation as a whole' })
    await whole.getByLabel('Oppose', { exact: true }).check()
    await whole.getByLabel(/^Your comments on/).fill(HOSTILE_MARKDOWN)
    const control = page.getByRole('group', { name: `${first.reference}: ${first.title}` })
    await control.getByLabel('Support with changes').check()
    await control.getByLabel(/^Your comments on/).fill(XSS_TEXT)
    const [q1, q2] = first.questions.split('\n') as [string, string]
    await page.getByLabel(q1).fill(XSS_TEXT)
    await page.getByLabel(q2).fill(MARKDOWN_LINKS)
    await page
      .getByLabel('Files you agree to publish (optional)')
      .setInputFiles({ name: FILE_NAME, mimeType: 'application/pdf', buffer: Buffer.from(PDF) })
    await page.getByLabel('Publish my response with my name or my organisation’s name').check()
    await page.getByRole('button', { name: 'Send response' }).click()
    await page.getByRole('heading', { level: 1, name: 'Response received' }).waitFor()
    const tracking = (await page.locator('.tracking-number').textContent())!

    // An official withholds it with a hostile reason, which its private page shows.
    const [row] = query<{ id: number }>(
      'select id from responses where tracking_number = ?',
      tracking,
    )
    const reason = xssChunks(1000)[0]!
    await post(`/manage/responses/${row!.id}`, hostile.official, {
      intent: 'moderate',
      action: 'withhold',
      reason,
    })
    await page.reload()
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    await expectInert(page, watched, [
      name,
      HOSTILE_MARKDOWN,
      XSS_TEXT,
      MARKDOWN_LINKS,
      q1,
      q2,
      reason,
      STORED_FILE_NAME,
    ])

    await page.getByRole('link', { name: 'Edit your response' }).click()
    await page.getByRole('heading', { level: 1, name: `Edit response ${tracking}` }).waitFor()
    await expectInert(page, watched, [hostile.title, STORED_FILE_NAME])
    await expect(page.getByLabel('Name of your organisation').inputValue()).resolves.toBe(name)
    await expect(whole.getByLabel(/^Your comments on/).inputValue()).resolves.toBe(HOSTILE_MARKDOWN)
    await expect(control.getByLabel(/^Your comments on/).inputValue()).resolves.toBe(XSS_TEXT)
    await expect(page.getByLabel(q2).inputValue()).resolves.toBe(MARKDOWN_LINKS)
    await context.close()
  })

  test('these checks fail on a payload that got into a page, even one the CSP stopped', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const watched = watch(context, page)
    await gotoHydrated(page, '/privacy')
    await page.evaluate(
      (html) => document.body.insertAdjacentHTML('beforeend', html),
      `${XSS.imgOnerror}${XSS.offsite}`,
    )
    await expect(expectInert(page, watched)).rejects.toThrow(/injected into/)
    await expect.poll(() => watched.errors.join('\n')).toMatch(/Content Security Policy/)
    await context.close()
  })
})
