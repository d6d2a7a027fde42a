/**
 * A redirect target that cannot leave the site: a path starting with a single
 * slash, after the URL parser has had its say (so `//evil`, `/\evil` and
 * `https://evil` all fall back to `fallback`).
 */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (
    typeof to !== 'string' ||
    !to.startsWith('/') ||
    to.startsWith('//') ||
    to.startsWith('/\\')
  ) {
    return fallback
  }
  try {
    const base = 'http://portal.invalid'
    const url = new URL(to, base)
    if (url.origin !== base) return fallback
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return fallback
  }
}
