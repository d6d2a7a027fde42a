import { randomBytes } from 'node:crypto'

/** A fresh nonce for one document's inline scripts. */
export function createNonce(): string {
  return randomBytes(16).toString('base64')
}

/**
 * The Content-Security-Policy of an HTML document: scripts only with this
 * request's nonce, everything else from our own origin, no framing, no
 * plugins, forms post only to us.
 */
export function contentSecurityPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The development server's live reload talks over a websocket.
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
}

/**
 * Headers every response carries. Referrer-Policy is same-origin rather than
 * no-referrer: no-referrer would make browsers send `Origin: null` on our own
 * form posts, which the CSRF check needs to read.
 */
export const baseSecurityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
}
