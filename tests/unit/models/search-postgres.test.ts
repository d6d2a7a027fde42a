import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { parseSearch } from '#app/analysis/search-query.ts'
import { MARK_END, MARK_START } from '#app/models/search-index.server.ts'
import { snippetOf, tsqueryText } from '#app/models/search-postgres.server.ts'

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

describe('snippets on PostgreSQL', () => {
  const mark = (s: string) => s.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']')
  test('mark words, phrases and prefixes with accents and case folded, around the first match', () => {
    const body =
      'Zero-click exploits show why spyware, spyware brokers and spyware-as-a-service need one control.'
    expect(mark(snippetOf(body, terms('SPYWARE')))).toBe(
      'Zero-click exploits show why [spyware], [spyware] brokers and [spyware]-as-a-service need one control.',
    )
    expect(mark(snippetOf(body, terms('"spyware brokers" contr*')))).toBe(
      'Zero-click exploits show why spyware, [spyware] [brokers] and spyware-as-a-service need one [control].',
    )
    expect(
      mark(snippetOf('La biométrie faciale menace la liberté.', terms('BIOMETRIE libert*'))),
    ).toBe('La [biométrie] faciale menace la [liberté].')
    // Excluded words are not marked.
    expect(mark(snippetOf(body, terms('need -spyware')))).toContain('[need]')
    expect(mark(snippetOf(body, terms('need -spyware')))).not.toContain('[spyware]')
  })

  test('a long text gives 24 words from a little before the first match, with … where it goes on', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`)
    words[60] = 'needle'
    const snippet = mark(snippetOf(words.join(' '), terms('needle')))
    expect(snippet).toBe(`…${words.slice(54, 78).join(' ').replace('needle', '[needle]')}…`)
    // No match (a letter NFD does not fold, as unaccent does): the beginning, unmarked.
    expect(mark(snippetOf('Søren wrote this.', terms('soren')))).toBe('Søren wrote this.')
  })
})
