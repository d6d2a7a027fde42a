import { describe, expect, test } from 'vitest'
import { summariseUserAgent } from '#app/auth/user-agent.ts'

describe('summariseUserAgent', () => {
  test.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
  ])('%s', (ua, summary) => {
    expect(summariseUserAgent(ua)).toBe(summary)
  })

  test('keeps nothing it does not recognise', () => {
    expect(summariseUserAgent('SomeBot/1.0')).toBeNull()
    expect(summariseUserAgent(null)).toBeNull()
  })
})
