// Cross-site request forgery: every request that can change state must come
// from a page of this site. Browsers send `Origin` on every POST (and
// `Sec-Fetch-Site` besides); a forged form on another site carries that
// site's origin, and neither header can be set by a page's script.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether a request may go on: safe methods always; any other only when its
 * Origin is this site's, or, with no Origin, when Sec-Fetch-Site says same-origin.
 */
export function isSameOriginRequest(request: Request, publicUrl?: string): boolean {
  if (SAFE_METHODS.has(request.method)) return true
  const expected = publicUrl ? new URL(publicUrl).origin : new URL(request.url).origin
  const origin = request.headers.get('Origin')
  if (origin) return origin === expected
  return request.headers.get('Sec-Fetch-Site') === 'same-origin'
}

/** The page a refused cross-site request gets: plain HTML, nothing from the request echoed. */
export function crossSiteRefusal(): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request refused</title></head>
<body><main><h1>This request was refused</h1>
<p>It did not come from a page of this site, so it was not carried out. If you were using this site, go back, reload the page and try again.</p>
<p><a href="/">Go to the home page</a></p></main></body></html>`
  return new Response(html, {
    status: 403,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}
