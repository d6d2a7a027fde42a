// Sentences and words of respondents' texts, as the themes (themes.ts, theme-text.ts) and their
// suggested summaries (theme-draft.ts) read and quote them.
//
// Responses come in several languages (mostly English, also French, German, Spanish and
// Japanese). Japanese has no spaces between words, so a word there is a run of one script: kanji
// compounds (輸出規制) and katakana loanwords (スパイウェア) are the content words, hiragana runs
// are mostly particles and endings.
//
// Pure: no I/O, no dependencies, no state kept between calls.

// ---------------------------------------------------------------------------------------------
// Sentences

// Vertical tab and form feed come through from pasted word-processor text.
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u0085\v\f]/
// A Latin terminator only ends a sentence before a space or the end ("4.2", "example.com" go on),
// with any closing quotes or brackets kept on the sentence; the CJK ones end it wherever they are.
const TERMINATOR = /[.!?]+["'”’»)\]]*(?=\s|$)|[。！？]+[」』）"”’]*/gu
const NEXT_CONTINUES = /^\s*[\p{Ll}\p{N}]/u
const LAST_WORD = /(\p{L}+)$/u
// Titles before a capitalised name; other abbreviations are caught by what follows them.
const TITLES = new Set('mr mrs ms dr prof st mme mlle hr fr sr sra'.split(' '))
const LIST_MARKER = /^(?:[-*+•·‣▪–—]+|\(?\d{1,3}[.)])\s+/u
const WORD_COUNT = /[\p{L}\p{N}]+/gu
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u

/** Whether a single full stop at `at` ends an abbreviation or initial rather than a sentence. */
function isAbbreviation(line: string, start: number, at: number, end: number): boolean {
  // Sentences start with a capital: "e.g. the", "cf. la", "z. B. die", "No. 5", "art. 3" go on.
  if (NEXT_CONTINUES.test(line.slice(end, end + 8))) return true
  const word = LAST_WORD.exec(line.slice(Math.max(start, at - 12), at))?.[1]
  if (word === undefined) return false
  // "U.S. Congress", "J. Smith"; the price is not splitting after "Plan B. The".
  return word.length === 1 || TITLES.has(word.toLowerCase())
}

/** Sentences of a text (split on . ! ? 。！？ and line breaks; trims; drops sentences under 4 words unless CJK). */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  const keep = (raw: string) => {
    const sentence = raw.trim().replace(LIST_MARKER, '')
    if (sentence === '') return
    // A four-word minimum drops "Yes." and "See above." but would drop every Japanese sentence,
    // whose words are not separated by spaces.
    if (CJK.test(sentence) ? /[\p{L}\p{N}]/u.test(sentence) : countWords(sentence, 4) >= 4) {
      out.push(sentence)
    }
  }
  for (const line of text.split(LINE_BREAK)) {
    let start = 0
    for (const match of line.matchAll(TERMINATOR)) {
      const at = match.index
      const end = at + match[0].length
      if (match[0][0] === '.' && /^\.+["'”’»)\]]*$/.test(match[0])) {
        const single = match[0].length === 1 || match[0][1] !== '.'
        if (single ? isAbbreviation(line, start, at, end) : NEXT_CONTINUES.test(line.slice(end))) {
          continue
        }
      }
      keep(line.slice(start, end))
      start = end
    }
    keep(line.slice(start))
  }
  return out
}

/** The number of words in the sentence, counting no further than `enough`. */
function countWords(sentence: string, enough: number): number {
  WORD_COUNT.lastIndex = 0
  let n = 0
  while (n < enough && WORD_COUNT.exec(sentence) !== null) n++
  return n
}

// ---------------------------------------------------------------------------------------------
// Words

const HAN = /[\p{sc=Han}々〆〇]/u
const HIRAGANA = /\p{sc=Hiragana}/u
const KATAKANA = /\p{sc=Katakana}/u
const LONG_VOWEL = /[ーｰ]/u

type Script = 'han' | 'hiragana' | 'katakana' | 'other'

function scriptOf(char: string, previous: Script): Script {
  if (HAN.test(char)) return 'han'
  if (KATAKANA.test(char)) return 'katakana'
  if (HIRAGANA.test(char)) return 'hiragana'
  // The long vowel mark belongs to the kana word it lengthens.
  if (LONG_VOWEL.test(char) && previous !== 'other') return previous
  return 'other'
}

/** A run of letters as written, split into the pieces that are words (one, unless Japanese). */
export function wordPieces(run: string): string[] {
  if (!CJK.test(run)) return [run]
  const out: string[] = []
  let current = ''
  let script: Script = 'other'
  for (const char of run) {
    const next = scriptOf(char, script)
    if (current !== '' && next !== script) {
      out.push(current)
      current = ''
    }
    current += char
    script = next
  }
  if (current !== '') out.push(current)
  return out
}

// ---------------------------------------------------------------------------------------------
// Markdown

// Respondents' words are quoted as text: without escapes, a "*" or "<b>" would become formatting.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, '\\$&')
}
