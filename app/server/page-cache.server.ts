import { randomBytes } from 'node:crypto'
import { cachedAlways } from '#app/utils/ttl-cache.server.ts'

// Public pages for anonymous readers, kept for a few seconds. A campaign sends thousands of
// people to the same round page within minutes; rendering it afresh for each cost about 4 ms of
// CPU, so the server managed about 270 pages a second. A kept page is sent again in well under a
// millisecond.
//
// Privacy first: a page is kept only for a GET with no cookie but the reader's language and time
// zone (no session, so nothing personal can be on it), answered 200 with HTML and no Set-Cookie.
// Officials' changes clear it with the data cache (clearCache), so what the public reads is at
// most PAGE_TTL_MS behind and never shows anything unpublished that was not already public.
//
// Each response still gets a nonce of its own: the kept page's nonce is replaced in the body and
// in the Content-Security-Policy header by a fresh one.

/** How long a public page is kept. */
export const PAGE_TTL_MS = 5_000

// The home page, the list of rounds, a round, and its published responses; not their .data
// (single fetch) requests, which carry a loader's data only.
const PUBLIC_PAGE = /^\/(?:consultations(?:\/[^/.]+(?:\/responses)?)?)?\/?$/
// Cookies that only choose how a page is shown, and so are part of the key.
const PRESENTATION_COOKIES = new Set(['lng', 'tz'])

export interface Page {
  status: number
  headers: [string, string][]
  body: string
  nonce: string
}

/** The key a request's page is kept under, or null when it must not be kept. */
export function pageKey(request: Request): string | null {
  if (request.method !== 'GET') return null
  const url = new URL(request.url)
  if (!PUBLIC_PAGE.test(url.pathname) || url.searchParams.has('_data')) return null
  const cookies: string[] = []
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const cookie = part.trim()
    if (!cookie) continue
    const name = cookie.slice(0, cookie.indexOf('=') >>> 0)
    if (!PRESENTATION_COOKIES.has(name)) return null
    cookies.push(cookie)
  }
  return [
    'page',
    url.pathname + url.search,
    request.headers.get('Accept-Language') ?? '',
    cookies.sort().join(';'),
  ].join('\n')
}

/** The response as a page to keep, or null when it is not one (status, type, cookies, nonce). */
export async function toPage(response: Response): Promise<Page | null> {
  if (response.status !== 200 || response.headers.has('Set-Cookie')) return null
  if (!(response.headers.get('Content-Type') ?? '').startsWith('text/html')) return null
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get('Content-Security-Policy') ?? '')?.[1]
  if (!nonce) return null
  return {
    status: response.status,
    headers: [...response.headers],
    body: await response.text(),
    nonce,
  }
}

/** A kept page as a response of its own, with a fresh nonce. */
export function fromPage(page: Page): Response {
  const nonce = randomBytes(16).toString('base64')
  const headers = new Headers(
    page.headers.map(([name, value]): [string, string] =>
      name.toLowerCase() === 'content-security-policy'
        ? [name, value.replaceAll(page.nonce, nonce)]
        : [name, value],
    ),
  )
  headers.delete('Content-Length')
  return new Response(page.body.replaceAll(page.nonce, nonce), {
    status: page.status,
    headers,
  })
}

/**
 * Answers a request from the kept pages when it may, else through `render` (keeping the result
 * when it is a public page). Concurrent requests for a page not yet kept share one render.
 */
export async function withPageCache(
  request: Request,
  render: (request: Request) => Promise<Response>,
): Promise<Response> {
  const key = pageKey(request)
  if (key === null) return render(request)
  let rendered: Response | null = null
  const page = await cachedAlways(key, PAGE_TTL_MS, async () => {
    // Rendered for every reader waiting on it, so not stopped when the first one goes away:
    // the request without its signal.
    rendered = await render(new Request(request.url, { headers: request.headers }))
    // toPage reads the body only when it keeps the page; otherwise `rendered` is sent as it is.
    return toPage(rendered)
  })
  if (page) return fromPage(page)
  // Not a page to keep: this request's own render, or a fresh one when another request made the
  // (unkept) answer that is cached for a moment.
  return rendered ?? render(request)
}
