import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { parseSearch } from '#app/analysis/search-query.ts'
import { tsqueryText } from '#app/models/search-postgres.server.ts'

const terms = (q: string) => {
  const parsed = parseSearch(q)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.terms
}

describe("PostgreSQL's tsquery text for a search", () => {
  test('words, phrases, prefixes and exclusions, hyphened words as their parts in sequence', () => {
    expect(tsqueryText(terms('spyware'))).toBe("'spyware'")
    expect(tsqueryText(terms('"penetration testing" licen*'))).toBe(
      "('penetration' <-> 'testing') & 'licen':*",
    )
    expect(tsqueryText(terms('spyware -journ*'))).toBe("'spyware' & !'journ':*")
    expect(tsqueryText(terms('Zero-click spyware-as*'))).toBe(
      "('Zero' <-> 'click') & ('spyware' <-> 'as':*)",
    )
    expect(tsqueryText(terms("don't BIOMÉ*"))).toBe("('don' <-> 't') & 'BIOMÉ':*")
  })

  test('no included term with a letter or digit: nothing to search for', () => {
    expect(tsqueryText(terms("' spyware"))).toBeNull()
  })

  test('whatever is typed, only quoted runs of letters and digits and the operators come out', () => {
    // Every lexeme quoted, nothing else between them but & ! ( ) <-> and a prefix mark: input
    // can never be tsquery syntax of its own.
    const shape =
      /^(!?(\('[\p{L}\p{M}\p{N}]+'(:\*)?( <-> '[\p{L}\p{M}\p{N}]+'(:\*)?)+\)|'[\p{L}\p{M}\p{N}]+'(:\*)?))( & !?(\('[\p{L}\p{M}\p{N}]+'(:\*)?( <-> '[\p{L}\p{M}\p{N}]+'(:\*)?)+\)|'[\p{L}\p{M}\p{N}]+'(:\*)?))*$/u
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        const parsed = parseSearch(input)
        if (!parsed.ok) return
        const text = tsqueryText(parsed.terms)
        if (text !== null) expect(text).toMatch(shape)
      }),
      { numRuns: 2000 },
    )
  })
})
