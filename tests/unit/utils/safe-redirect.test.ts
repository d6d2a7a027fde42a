import { describe, expect, test } from 'vitest'
import { safeRedirect } from '#app/utils/safe-redirect.ts'

describe('safeRedirect', () => {
  test('keeps paths on this site, with their query and fragment', () => {
    expect(safeRedirect('/account')).toBe('/account')
    expect(safeRedirect('/consultations/x?lng=fr#control-2')).toBe(
      '/consultations/x?lng=fr#control-2',
    )
  })

  test.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example/path',
    '',
    '/\t/evil.example',
  ])('sends %j to the fallback', (to) => {
    expect(safeRedirect(to, '/home')).toBe('/home')
  })

  test('refuses anything that is not a string', () => {
    expect(safeRedirect(null)).toBe('/')
    expect(safeRedirect(['/account'])).toBe('/')
  })
})
