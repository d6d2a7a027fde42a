import { afterEach, describe, expect, test } from 'vitest'
import { pageKey, withPageCache } from '#app/server/page-cache.server.ts'
import { clearCache } from '#app/utils/ttl-cache.server.ts'

/** A stand-in for the Remix handler: counts renders, answers with its own nonce each time. */
function renderer(
  options: { status?: number; setCookie?: boolean; type?: string; body?: string } = {},
) {
  let renders = 0
  const render = async () => {
    renders++
    const nonce = `nonce${renders}xyz`
    const headers = new Headers({
      'Content-Type': options.type ?? 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'self'; script-src 'nonce-${nonce}' 'strict-dynamic'`,
    })
    if (options.setCookie) headers.set('Set-Cookie', 'lng=fr; Path=/')
    const body =
      options.body ??
      `<html><script nonce="${nonce}">start()</script><p>render ${renders}</p></html>`
    return new Response(body, { status: options.status ?? 200, headers })
  }
  return { render, count: () => renders }
}

const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { headers })

afterEach(() => clearCache())

describe('the page cache', () => {
  test('keeps a public page for anonymous readers, with a fresh nonce in each response', async () => {
    const { render, count } = renderer()
    const first = await withPageCache(get('/consultations/spyware-2026'), render)
    const second = await withPageCache(get('/consultations/spyware-2026'), render)
    expect(count()).toBe(1)
    const [a, b] = [await first.text(), await second.text()]
    expect(a).toContain('render 1')
    expect(b).toContain('render 1')
    const nonceOf = (response: Response) =>
      /'nonce-([^']+)'/.exec(response.headers.get('Content-Security-Policy')!)![1]!
    const [na, nb] = [nonceOf(first), nonceOf(second)]
    expect(na).not.toBe(nb)
    expect(na).not.toBe('nonce1xyz')
    // The body's nonce is the header's, in each response.
    expect(a).toContain(`nonce="${na}"`)
    expect(b).toContain(`nonce="${nb}"`)
    expect(b).not.toContain('nonce1xyz')
  })

  test('keeps pages apart by address, language and time zone', async () => {
    const { render, count } = renderer()
    await withPageCache(get('/consultations/a'), render)
    await withPageCache(get('/consultations/b'), render)
    await withPageCache(get('/consultations/a?page=2'), render)
    await withPageCache(get('/consultations/a', { 'Accept-Language': 'fr' }), render)
    await withPageCache(get('/consultations/a', { Cookie: 'tz=Europe%2FOslo' }), render)
    await withPageCache(get('/consultations/a', { Cookie: 'lng=fr; tz=Europe%2FOslo' }), render)
    expect(count()).toBe(6)
    await withPageCache(get('/consultations/a', { Cookie: 'tz=Europe%2FOslo; lng=fr' }), render)
    expect(count()).toBe(6)
  })

  test('never keeps a page for a signed-in reader, a private page or a data request', async () => {
    const { render, count } = renderer()
    for (const request of [
      get('/consultations/a', { Cookie: '__session=abc' }),
      get('/consultations/a', { Cookie: 'lng=fr; __session=abc' }),
      get('/account'),
      get('/manage/rounds/1/responses'),
      get('/responses/CMT-AAAA-BBBB?key=secret'),
      get('/consultations/a/respond'),
      get('/consultations/a.data'),
      new Request('http://localhost/consultations/a', { method: 'POST', body: 'x' }),
    ]) {
      expect(pageKey(request), request.url).toBeNull()
      await withPageCache(request, render)
      await withPageCache(request.clone(), render)
    }
    expect(count()).toBe(16)
  })

  test('never keeps an error, a page setting a cookie, or something that is not HTML', async () => {
    for (const options of [{ status: 404 }, { setCookie: true }, { type: 'application/json' }]) {
      const { render, count } = renderer(options)
      const response = await withPageCache(get('/consultations/x'), render)
      expect(response.status).toBe(options.status ?? 200)
      expect(await response.text()).toContain('render 1')
      await withPageCache(get('/consultations/x'), render)
      expect(count()).toBe(2)
      clearCache()
    }
  })

  test("officials' changes (clearCache) and time make the page be rendered again", async () => {
    const { render, count } = renderer()
    await withPageCache(get('/'), render)
    clearCache()
    const after = await withPageCache(get('/'), render)
    expect(count()).toBe(2)
    expect(await after.text()).toContain('render 2')
  })

  test('a shared render goes on when the reader who started it leaves', async () => {
    let signal: AbortSignal | undefined
    const render = async (request: Request) => {
      signal = request.signal
      return renderer().render()
    }
    const leaving = new AbortController()
    const request = new Request('http://localhost/consultations/z', { signal: leaving.signal })
    leaving.abort()
    const response = await withPageCache(request, render)
    expect(signal?.aborted).toBe(false)
    expect(response.status).toBe(200)
  })

  test('readers arriving together share one render', async () => {
    const { render, count } = renderer()
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => withPageCache(get('/consultations'), render)),
    )
    expect(count()).toBe(1)
    expect(responses.every((r) => r.status === 200)).toBe(true)
  })
})
