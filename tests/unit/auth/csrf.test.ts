import { describe, expect, test } from 'vitest'
import { isSameOriginRequest } from '#app/auth/csrf.server.ts'

const post = (headers: Record<string, string>, url = 'http://portal.example/signin') =>
  new Request(url, { method: 'POST', headers })

describe('isSameOriginRequest', () => {
  test('lets reads through whatever their origin', () => {
    expect(
      isSameOriginRequest(
        new Request('http://portal.example/', { headers: { Origin: 'https://evil.example' } }),
      ),
    ).toBe(true)
  })

  test('accepts a post from our own origin and refuses one from another site', () => {
    expect(isSameOriginRequest(post({ Origin: 'http://portal.example' }))).toBe(true)
    expect(isSameOriginRequest(post({ Origin: 'https://evil.example' }))).toBe(false)
    expect(isSameOriginRequest(post({ Origin: 'http://portal.example.evil.example' }))).toBe(false)
    expect(isSameOriginRequest(post({ Origin: 'null' }))).toBe(false)
  })

  test('without Origin, trusts only Sec-Fetch-Site: same-origin', () => {
    expect(isSameOriginRequest(post({ 'Sec-Fetch-Site': 'same-origin' }))).toBe(true)
    expect(isSameOriginRequest(post({ 'Sec-Fetch-Site': 'cross-site' }))).toBe(false)
    expect(isSameOriginRequest(post({ 'Sec-Fetch-Site': 'same-site' }))).toBe(false)
    expect(isSameOriginRequest(post({}))).toBe(false)
  })

  test('behind a proxy, compares with the configured public origin', () => {
    const request = post({ Origin: 'https://consult.example.gov' }, 'http://10.0.0.5:3000/signin')
    expect(isSameOriginRequest(request, 'https://consult.example.gov')).toBe(true)
    expect(isSameOriginRequest(request)).toBe(false)
  })
})
