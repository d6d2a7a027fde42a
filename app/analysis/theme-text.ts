// The words of a response as the themes see them: its language, then each word lower-cased,
// stop words dropped and the rest stemmed, so that "protest", "protests" and "protesting" are
// one term. Stop words and stemmers come from Orama's packages (Snowball's stemmers, ISO
// stop-word lists), not hand lists; Japanese and Korean have no stemmer there: Japanese words
// are runs of one script (summarise.ts's wordPieces), Korean words are taken as written.
//
// Pure and deterministic.
import { stemmer as arabicStem } from '@orama/stemmers/arabic'
import { stemmer as dutchStem } from '@orama/stemmers/dutch'
import { stemmer as englishStem } from '@orama/stemmers/english'
import { stemmer as frenchStem } from '@orama/stemmers/french'
import { stemmer as germanStem } from '@orama/stemmers/german'
import { stemmer as spanishStem } from '@orama/stemmers/spanish'
import { stopwords as arabicStop } from '@orama/stopwords/arabic'
import { stopwords as dutchStop } from '@orama/stopwords/dutch'
import { stopwords as englishStop } from '@orama/stopwords/english'
import { stopwords as frenchStop } from '@orama/stopwords/french'
import { stopwords as germanStop } from '@orama/stopwords/german'
import { stopwords as japaneseStop } from '@orama/stopwords/japanese'
import { stopwords as spanishStop } from '@orama/stopwords/spanish'
import { wordPieces } from './sentences.ts'

/** The languages whose themes are found apart: a theme never mixes two. */
export const THEME_LANGUAGES = ['en', 'fr', 'de', 'es', 'nl', 'ar', 'ja', 'ko'] as const
export type ThemeLanguage = (typeof THEME_LANGUAGES)[number]

interface LanguageTools {
  stop: Set<string>
  stem: (word: string) => string
}

const same = (word: string) => word
const lower = (words: readonly string[]) =>
  new Set(words.map((w) => w.normalize('NFC').toLowerCase()))

const TOOLS: Record<ThemeLanguage, LanguageTools> = {
  en: { stop: lower(englishStop), stem: englishStem },
  fr: { stop: lower(frenchStop), stem: frenchStem },
  de: { stop: lower(germanStop), stem: germanStem },
  es: { stop: lower(spanishStop), stem: spanishStem },
  nl: { stop: lower(dutchStop), stem: dutchStem },
  ar: { stop: lower(arabicStop), stem: arabicStem },
  ja: { stop: lower(japaneseStop), stem: same },
  ko: { stop: new Set(), stem: same },
}

/** Languages told apart by their stop words (the others by their script). */
const BY_STOP_WORDS = ['en', 'fr', 'de', 'es', 'nl'] as const

const KANA = /[\p{sc=Hiragana}\p{sc=Katakana}]/u
const HANGUL = /\p{sc=Hangul}/u
const ARABIC = /\p{sc=Arabic}/u
const HAN = /[\p{sc=Han}々〆〇]/u
const HIRAGANA = /\p{sc=Hiragana}/u
const KATAKANA = /\p{sc=Katakana}/u
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u
const WORD_RUN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu
const DIGITS = /^\p{N}+$/u
// Between two words, any of these ends a phrase: a two-word term never spans a comma.
const PHRASE_BREAK = /[.,;:!?。、，；：！？()[\]{}"“”«»„…/|–—\n\r]/u
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const PLAIN_ASCII = /^[\x00-\x7f]*$/

/** How much of a text is read to tell its language: its first words say it. */
const DETECT_WORDS = 80

/**
 * The language of a text: by script for Japanese, Korean and Arabic, otherwise by which
 * language's stop words it uses most among its first words; `fallback` when none shows.
 */
export function detectLanguage(text: string, fallback: ThemeLanguage = 'en'): ThemeLanguage {
  const head = text.slice(0, 1200)
  if (KANA.test(head)) return 'ja'
  if (HANGUL.test(head)) return 'ko'
  if (ARABIC.test(head)) return 'ar'
  const hits = new Array<number>(BY_STOP_WORDS.length).fill(0)
  let words = 0
  for (const match of head.matchAll(WORD_RUN)) {
    const word = lowerWord(match[0])
    for (let l = 0; l < BY_STOP_WORDS.length; l++) {
      if (TOOLS[BY_STOP_WORDS[l]!].stop.has(word)) hits[l]!++
    }
    if (++words === DETECT_WORDS) break
  }
  let best = -1
  let bestHits = 1 // one shared word ("de", "in") tells nothing
  for (let l = 0; l < hits.length; l++) {
    if (hits[l]! > bestHits) {
      best = l
      bestHits = hits[l]!
    }
  }
  if (best >= 0) return BY_STOP_WORDS[best]!
  return HAN.test(head) ? 'ja' : fallback
}

function lowerWord(run: string): string {
  return PLAIN_ASCII.test(run) ? run.toLowerCase() : run.normalize('NFC').toLowerCase()
}

/** A word kept: its term (the stem) and how it was written (lower case). */
export interface Word {
  term: string
  written: string
}

/** Marks the end of a phrase in a list of words. */
export const BREAK = null

/**
 * Reads texts of one language into terms, remembering each distinct run of letters: a round
 * repeats a few thousand words a million times, and stemming is the slow part.
 */
export class TermReader {
  private readonly tools: LanguageTools
  private readonly known = new Map<string, (Word | null)[]>()
  private readonly cjk: boolean

  constructor(readonly language: ThemeLanguage) {
    this.tools = TOOLS[language]
    this.cjk = language === 'ja'
  }

  /** Whether two terms are written together (Japanese) rather than with a space. */
  get joiner(): string {
    return this.cjk ? '' : ' '
  }

  /** The words of `text` in order, stop words dropped, BREAK where a phrase ends. */
  words(text: string): (Word | null)[] {
    const out: (Word | null)[] = []
    let previousEnd = -1
    for (const match of text.matchAll(WORD_RUN)) {
      const run = match[0]
      if (previousEnd >= 0 && match.index > previousEnd) {
        const gap = text.slice(previousEnd, match.index)
        if (gap !== ' ' && PHRASE_BREAK.test(gap)) out.push(BREAK)
      }
      previousEnd = match.index + run.length
      let read = this.known.get(run)
      if (read === undefined) {
        read = this.read(run)
        this.known.set(run, read)
      }
      for (const word of read) out.push(word)
    }
    return out
  }

  private read(run: string): (Word | null)[] {
    // Japanese words are runs of one script (kanji compounds, katakana words, hiragana).
    const pieces = this.cjk ? wordPieces(run) : [run]
    return pieces.map((piece) => {
      const written = lowerWord(piece)
      if (this.tools.stop.has(written) || DIGITS.test(written)) return BREAK
      const japanese = this.cjk && CJK.test(piece)
      // Hiragana runs are particles and endings; single letters are elisions (l', d').
      if (
        japanese
          ? HIRAGANA.test(piece) && !HAN.test(piece) && !KATAKANA.test(piece)
          : [...written].length < 2
      ) {
        return BREAK
      }
      const term = this.tools.stem(written)
      return { term: term === '' ? written : term, written }
    })
  }
}
