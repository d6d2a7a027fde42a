import { describe, expect, test } from 'vitest'
import { createSecretToken, createTrackingNumber, hashToken } from '#app/utils/tokens.server.ts'

describe('tokens', () => {
  test('tracking numbers are readable and avoid confusable letters', () => {
    const numbers = Array.from({ length: 2000 }, createTrackingNumber)
    for (const n of numbers) expect(n).toMatch(/^CMT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  test('secret tokens carry 256 bits and are stored only as a hash', () => {
    const token = createSecretToken()
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashToken(token)).toBe(hashToken(token))
    expect(hashToken(token)).not.toBe(hashToken(createSecretToken()))
  })
})
