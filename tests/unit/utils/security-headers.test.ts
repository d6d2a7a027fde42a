import { describe, expect, test } from 'vitest'
import {
  baseSecurityHeaders,
  contentSecurityPolicy,
  createNonce,
} from '#app/utils/security-headers.server.ts'

describe('security headers', () => {
  test('each nonce is fresh and 128 bits', () => {
    const a = createNonce()
    expect(Buffer.from(a, 'base64')).toHaveLength(16)
    expect(createNonce()).not.toBe(a)
  })

  test('the CSP allows scripts only with the nonce and forbids framing and plugins', () => {
    const csp = contentSecurityPolicy('abc123')
    expect(csp).toContain("script-src 'nonce-abc123' 'strict-dynamic'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("form-action 'self'")
    expect(csp).not.toContain('ws:')
    expect(contentSecurityPolicy('abc123', { dev: true })).toContain('ws://localhost:*')
  })

  test('every response gets nosniff, a referrer policy and frame denial', () => {
    expect(baseSecurityHeaders).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    })
  })
})
