// Officials type searches the way they would into any search box: words,
// "exact phrases", prefix* and -excluded words. This turns that into an FTS5
// query in which every term is quoted, so no input can be FTS5 syntax and
// nothing typed can cause an error deeper down; what cannot be understood is
// said back to the official instead.

export type SearchTerm =
  | { kind: 'word'; text: string; prefix: boolean; exclude: boolean }
  | { kind: 'phrase'; text: string; exclude: boolean }

export type ParsedSearch =
  | { ok: true; terms: SearchTerm[]; fts: string; cjk: boolean }
  | { ok: false; error: 'empty' | 'unbalancedQuote' | 'tooLong' | 'onlyExclusions' }

const MAX_LENGTH = 500
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** Whether a text contains Chinese, Japanese or Korean script (searched by trigram). */
export function hasCjk(text: string): boolean {
  return CJK.test(text)
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`

/** Reads a search box's text into terms and a safe FTS5 MATCH expression. */
export function parseSearch(input: string): ParsedSearch {
  const text = input.normalize('NFKC').trim()
  if (text.length > MAX_LENGTH) return { ok: false, error: 'tooLong' }
  if ((text.match(/"/g) ?? []).length % 2 === 1) return { ok: false, error: 'unbalancedQuote' }
  const terms: SearchTerm[] = []
  const pattern = /(-?)"([^"]*)"|(\S+)/g
  for (const match of text.matchAll(pattern)) {
    if (match[2] !== undefined) {
      const phrase = match[2]
        .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim()
      if (phrase) terms.push({ kind: 'phrase', text: phrase, exclude: match[1] === '-' })
      continue
    }
    const raw = match[3] ?? ''
    const exclude = raw.startsWith('-') && raw.length > 1
    const prefix = raw.endsWith('*')
    const word = raw
      .replace(/^-/, '')
      .replace(/\*+$/, '')
      .replace(/[^\p{L}\p{N}'-]/gu, '')
    if (!word || /^(AND|OR|NOT|NEAR)$/.test(word)) continue
    terms.push({ kind: 'word', text: word, prefix, exclude })
  }
  if (terms.length === 0) return { ok: false, error: 'empty' }
  const included = terms.filter((t) => !t.exclude)
  if (included.length === 0) return { ok: false, error: 'onlyExclusions' }
  return { ok: true, terms, fts: ftsExpression(terms), cjk: hasCjk(text) }
}

/**
 * The FTS5 MATCH expression for the terms. `expansions` may give, for a prefix word, the indexed
 * words it begins: they are searched as `("encryption" OR "encrypted")` instead of `"encrypt"*`,
 * which FTS5 evaluates by merging every matching word's full list of rows, while an OR of words
 * is walked lazily, newest first, and stops when a page is full.
 */
export function ftsExpression(
  terms: SearchTerm[],
  expansions: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const render = (t: SearchTerm) => {
    if (t.kind !== 'word' || !t.prefix) return quote(t.text)
    const words = expansions.get(t.text)
    if (!words?.length) return `${quote(t.text)}*`
    return words.length === 1 ? quote(words[0]!) : `(${words.map(quote).join(' OR ')})`
  }
  const included = terms.filter((t) => !t.exclude)
  const excluded = terms.filter((t) => t.exclude)
  return [included.map(render).join(' '), ...excluded.map((t) => `NOT ${render(t)}`)].join(' ')
}
