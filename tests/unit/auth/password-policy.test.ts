import { describe, expect, test } from 'vitest'
import { passwordProblem } from '#app/auth/password-policy.ts'

describe('passwordProblem', () => {
  test('asks for 12 characters at least, counted as characters not bytes', () => {
    expect(passwordProblem('elevenchars')).toBe('short')
    expect(passwordProblem('twelve chars')).toBeNull()
    expect(passwordProblem('ünïcødé pässwörd')).toBeNull()
    expect(passwordProblem('🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒')).toBe('short')
  })

  test('refuses common passwords whatever their case, and repetitions', () => {
    expect(passwordProblem('Password1234')).toBe('common')
    expect(passwordProblem('QWERTY123456')).toBe('common')
    expect(passwordProblem('abababababab')).toBe('common')
    expect(passwordProblem('correct horse battery staple')).toBeNull()
  })

  test('refuses the account’s own email address and absurd lengths', () => {
    expect(passwordProblem('someone@example.org', { email: 'Someone@Example.org' })).toBe('common')
    expect(passwordProblem('x'.repeat(257))).toBe('long')
  })
})
