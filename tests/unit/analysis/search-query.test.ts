import { describe, expect, test } from 'vitest'
import { ftsExpression, hasCjk, parseSearch } from '#app/analysis/search-query.ts'

const fts = (input: string) => {
  const parsed = parseSearch(input)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.fts
}

describe('parseSearch', () => {
  test('quotes every word so that nothing typed is FTS5 syntax', () => {
    expect(fts('spyware export')).toBe('"spyware" "export"')
    expect(fts('zero-click')).toBe('"zero-click"')
    expect(fts('NEAR(a b) OR col:x')).toBe('"NEARa" "b" "colx"')
  })

  test('keeps exact phrases, prefixes and exclusions', () => {
    expect(fts('"lawful interception" licen*')).toBe('"lawful interception" "licen"*')
    expect(fts('spyware -"penetration testing" -malware')).toBe(
      '"spyware" NOT "penetration testing" NOT "malware"',
    )
  })

  test('says what is wrong instead of failing', () => {
    expect(parseSearch('"unclosed phrase')).toEqual({ ok: false, error: 'unbalancedQuote' })
    expect(parseSearch('   ')).toEqual({ ok: false, error: 'empty' })
    expect(parseSearch('*** ((( )))')).toEqual({ ok: false, error: 'empty' })
    expect(parseSearch('-only -excluded')).toEqual({ ok: false, error: 'onlyExclusions' })
    expect(parseSearch('x'.repeat(501))).toEqual({ ok: false, error: 'tooLong' })
  })

  test('recognises Chinese, Japanese and Korean for the trigram index', () => {
    expect(hasCjk('監視技術')).toBe(true)
    expect(hasCjk('얼굴 인식')).toBe(true)
    expect(hasCjk('surveillance')).toBe(false)
    const parsed = parseSearch('顔認証システム')
    expect(parsed.ok && parsed.cjk).toBe(true)
  })
})

describe('ftsExpression', () => {
  const terms = (input: string) => {
    const parsed = parseSearch(input)
    if (!parsed.ok) throw new Error(parsed.error)
    return parsed.terms
  }

  test('searches a prefix as the words it was expanded into', () => {
    const expansions = new Map([
      ['licen', ['licence', 'licences', 'licensed']],
      ['enc', ['encryption']],
    ])
    expect(ftsExpression(terms('spyware licen* -enc*'), expansions)).toBe(
      '"spyware" ("licence" OR "licences" OR "licensed") NOT "encryption"',
    )
  })

  test('keeps a prefix that was not expanded, and quotes expanded words too', () => {
    expect(ftsExpression(terms('licen* sur*'), new Map([['sur', []]]))).toBe('"licen"* "sur"*')
    expect(ftsExpression(terms('a*'), new Map([['a', ['a"b']]]))).toBe('"a""b"')
  })
})
