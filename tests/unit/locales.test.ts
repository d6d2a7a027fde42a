import { describe, expect, test } from 'vitest'
import { resources, supportedLanguages } from '#app/i18n.ts'

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix]
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leafKeys(v, prefix ? `${prefix}.${k}` : k),
  )
}

// Plural forms differ between languages (French adds _many); compare base keys.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '')

describe('translations', () => {
  const english = new Set(leafKeys(resources.en.common).map(base))

  test.each(supportedLanguages.filter((l) => l !== 'en'))(
    '%s has every English key and no other',
    (lng) => {
      const keys = new Set(leafKeys(resources[lng].common).map(base))
      expect([...english].filter((k) => !keys.has(k))).toEqual([])
      expect([...keys].filter((k) => !english.has(k))).toEqual([])
    },
  )

  test.each(supportedLanguages)('%s has every plural form its language needs', (lng) => {
    const keys = leafKeys(resources[lng].common)
    const plural = new Set(keys.filter((k) => k.endsWith('_other')).map(base))
    const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories
    for (const key of plural) {
      for (const category of categories) expect(keys).toContain(`${key}_${category}`)
    }
  })

  test.each(supportedLanguages)('%s keeps every interpolation of the English text', (lng) => {
    const en = leafKeys(resources.en.common)
    const get = (obj: unknown, key: string) =>
      key
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj) as
        string | undefined
    for (const key of en) {
      const same = get(resources[lng].common, key) !== undefined
      const target = base(key) === key || same ? key : `${base(key)}_other`
      const vars = (s: string | undefined) =>
        [...(s ?? '').matchAll(/\{\{(\w+)\}\}|<(\w+)>/g)].map((m) => m[0]).sort()
      expect(vars(get(resources[lng].common, target)), key).toEqual(
        vars(get(resources.en.common, key)),
      )
    }
  })

  test.each(supportedLanguages)('%s wraps links in tags that Trans can give children', (lng) => {
    // Trans parses translations as HTML: a void element such as <link> loses its text.
    const voids = [
      'area',
      'base',
      'br',
      'col',
      'embed',
      'hr',
      'img',
      'input',
      'link',
      'meta',
      'source',
      'track',
      'wbr',
    ]
    const text = JSON.stringify(resources[lng].common)
    for (const tag of voids) expect(text, tag).not.toContain(`<${tag}>`)
  })
})
