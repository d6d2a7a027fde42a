import { scryptSync } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { hashPassword, needsRehash, verifyPassword } from '#app/auth/password.server.ts'

describe('password hashing', () => {
  test('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(/^scrypt\$8192\$8\$10\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(needsRehash(stored)).toBe(false)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
  })

  test('salts every hash', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password!'),
      hashPassword('same password!'),
    ])
    expect(a).not.toBe(b)
  })

  test('refuses a malformed or foreign hash instead of throwing', async () => {
    expect(await verifyPassword('anything at all', 'bcrypt$2b$10$abc')).toBe(false)
    expect(await verifyPassword('anything at all', '')).toBe(false)
  })

  test('treats canonically equivalent Unicode as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 2027')
    expect(await verifyPassword('cafe\u0301 au lait 2027', stored)).toBe(true)
  })

  test('a hash made with the earlier parameters still verifies, and asks to be made again', () => {
    // scrypt N=2^15, r=8, p=1 of 'an older passphrase', as the portal stored it before.
    const older =
      'scrypt$32768$8$1$AAECAwQFBgcICQoLDA0ODw==$' +
      scryptSync('an older passphrase', Buffer.from('AAECAwQFBgcICQoLDA0ODw==', 'base64'), 32, {
        N: 2 ** 15,
        r: 8,
        p: 1,
        maxmem: 64 * 1024 * 1024,
      }).toString('base64')
    expect(needsRehash(older)).toBe(true)
    return expect(verifyPassword('an older passphrase', older)).resolves.toBe(true)
  })
})
