// Suggested drafts of what respondents said about a proposed control: key phrases and the most
// representative sentences, each linked to the responses it came from. A draft is only ever a
// suggestion for an official to edit and approve, so the methods are simple, explainable and
// extractive: every phrase and sentence can be traced back to the responses that contain it.
//
// Responses come in several languages (mostly English, also French, German, Spanish and
// Japanese). Words are compared case- and accent-folded; what is shown is the text as written.
// Japanese has no spaces between words, so a word there is a run of one script: kanji compounds
// (輸出規制) and katakana loanwords (スパイウェア) are the content words, hiragana runs are mostly
// particles and endings and count as stopwords.
//
// Pure: no I/O, no dependencies, no state kept between calls, and deterministic: ties are broken
// by first appearance in the input.

export interface SourceText {
  id: number
  text: string
}

export interface KeyPhrase {
  phrase: string
  score: number
  /** The responses containing the phrase, sorted and unique. */
  responseIds: number[]
}

export interface RepresentativeSentence {
  sentence: string
  score: number
  /** Every response containing the same sentence (compared case-, accent- and punctuation-folded). */
  responseIds: number[]
}

export interface DraftLabels {
  /** The heading of the key phrase list, as it should appear, e.g. "Key themes:". */
  keyThemes: string
  /** The heading of the quotes, e.g. "Representative comments:". */
  representative: string
  /** The words for a quote's sources, e.g. "responses 12, 15 and 3 more"; the draft adds the parentheses. */
  responses: (ids: number[]) => string
}

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

// Small lists of function words, accent-folded like the tokens they are compared with. English
// "war" (German "was") is left out on purpose: it is a content word in a consultation on spyware.
const STOPWORDS = new Set(
  [
    // English
    'a about above after again all also am an and any are as at be been before being below',
    'between both but by can could did do does doing done down during each few for from further',
    'had has have having he her here hers him his how i if in into is it its itself just me more',
    'most my no nor not now of off on once one only or other our ours out over own per same she',
    'should so some such than that the their theirs them then there these they this those through',
    'to too under until up upon us very via was we were what when where which while who whom why',
    'will with would you your yours shall may might must etc',
    // French
    'au aux avec ce ces cet cette ci comme dans des du elle elles en est et etre ete eux il ils je',
    'la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ont ou par pas plus',
    'pour qu que qui sa se ses son sont sur ta te tes toi ton tous tout toute toutes tres tu un une',
    'vos votre vous y aussi avoir fait faire peut cela ceci ca donc car ni dont entre deja sans sous',
    'de',
    // German
    'aber alle allen als am an auch auf aus bei bin bis bist da damit dann das dass dem den der des',
    'dich die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer',
    'eines er es fur gegen hat hatte haben hier ich ihr ihre im in ins ist jede jeder jedes kann',
    'kein keine keinen konnen man mehr mit muss mussen nach nicht noch nur ob oder ohne sehr sein',
    'sich sie sind soll sollte sollten sondern uber um und uns unter vom von vor waren wie wir wird',
    'werden wenn wurde wurden zu zum zur',
    // Spanish
    'al algo como con cual cuales cuando del desde donde el ella ellas ellos era es esa esas ese eso',
    'esos esta estas este esto estos fue fueron ha han hasta hay la las le les lo los mas mi mis muy',
    'nos o otra otras otro otros para pero por que quien se ser si sido sin sino sobre son su sus',
    'tambien te todo todos toda todas tu tus un una unas uno unos ya y cada mismo',
  ]
    .join(' ')
    .split(' '),
)

const BOUNDARY = -1
// Between two words, any of these ends a phrase: a bigram never spans a comma or a bracket.
// Hyphens and apostrophes do not ("dual-use items" gives "dual use").
const PHRASE_BREAK = /[.,;:!?。、，；：！？()[\]{}"“”«»„…/|–—\n\r]/u
const WORD_RUN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu
const HAN = /[\p{sc=Han}々〆〇]/u
const HIRAGANA = /\p{sc=Hiragana}/u
const KATAKANA = /\p{sc=Katakana}/u
const LONG_VOWEL = /[ーｰ]/u
const ACCENTED = /([\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}])\p{M}+/gu
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu
const DIGITS = /^\p{N}+$/u
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const PLAIN_ASCII = /^[\x00-\x7f]*$/

/** Lower case, compatibility forms unified, accents dropped from Latin, Greek and Cyrillic only. */
function fold(piece: string): string {
  if (PLAIN_ASCII.test(piece)) return piece.toLowerCase()
  // NFKD then NFC rather than NFKC, to get at the accents in between; in kana the voicing marks
  // tell words apart (か, が), so they are left to recompose.
  return piece
    .normalize('NFKD')
    .toLowerCase()
    .replace(ACCENTED, '$1')
    .normalize('NFC')
    .replace(NOT_WORD, '')
}

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

interface RunEntry {
  ids: number[]
  surfaces: string[]
  count: number
}

/** Token ids for folded words, built afresh for each call so nothing grows between calls. */
class Vocabulary {
  private readonly idOf = new Map<string, number>()
  // Each distinct run of letters is folded once: a consultation repeats a few thousand words
  // hundreds of thousands of times, and folding is the slow part.
  private readonly runs = new Map<string, RunEntry>()
  readonly folded: string[] = []
  readonly stop: boolean[] = []
  readonly cjk: boolean[] = []

  get size(): number {
    return this.folded.length
  }

  /** Appends the token ids of `text` to `out`, with BOUNDARY where punctuation ends a phrase. */
  tokenize(text: string, out: number[]): void {
    let previousEnd = -1
    for (const match of text.matchAll(WORD_RUN)) {
      const run = match[0]
      if (previousEnd >= 0 && match.index > previousEnd) {
        const gap = text.slice(previousEnd, match.index)
        if (gap !== ' ' && PHRASE_BREAK.test(gap)) out.push(BOUNDARY)
      }
      previousEnd = match.index + run.length
      let entry = this.runs.get(run)
      if (entry === undefined) {
        entry = { ids: [], surfaces: [], count: 0 }
        for (const piece of wordPieces(run)) {
          const folded = fold(piece)
          if (folded === '') continue
          entry.ids.push(this.intern(folded, piece))
          entry.surfaces.push(piece)
        }
        this.runs.set(run, entry)
      }
      entry.count++
      for (const id of entry.ids) out.push(id)
    }
  }

  /** The most frequent way each of `ids` was written (lower case wins a tie). */
  surfaces(ids: Set<number>): Map<number, string> {
    const counts = new Map<number, Map<string, number>>()
    for (const entry of this.runs.values()) {
      for (let i = 0; i < entry.ids.length; i++) {
        const id = entry.ids[i] as number
        if (!ids.has(id)) continue
        const surface = entry.surfaces[i] as string
        let forms = counts.get(id)
        if (forms === undefined) counts.set(id, (forms = new Map()))
        forms.set(surface, (forms.get(surface) ?? 0) + entry.count)
      }
    }
    const out = new Map<number, string>()
    for (const [id, forms] of counts) {
      let best = ''
      let bestCount = -1
      for (const [surface, count] of forms) {
        if (count > bestCount || (count === bestCount && preferSurface(surface, best))) {
          best = surface
          bestCount = count
        }
      }
      out.set(id, best)
    }
    return out
  }

  private intern(folded: string, piece: string): number {
    let id = this.idOf.get(folded)
    if (id === undefined) {
      id = this.folded.length
      this.idOf.set(folded, id)
      this.folded.push(folded)
      const cjk = CJK.test(piece)
      this.cjk.push(cjk)
      this.stop.push(
        STOPWORDS.has(folded) ||
          DIGITS.test(folded) ||
          // Stray letters from elisions and contractions: l', d', don't.
          (!cjk && [...folded].length === 1) ||
          (cjk && HIRAGANA.test(piece) && !HAN.test(piece) && !KATAKANA.test(piece)),
      )
    }
    return id
  }
}

/** Between two spellings used equally often, the lower-case one, then the first in code order. */
function preferSurface(a: string, b: string): boolean {
  const aLower = a === a.toLowerCase()
  const bLower = b === b.toLowerCase()
  if (aLower !== bLower) return aLower
  return a < b
}

function sortedUnique(ids: number[]): number[] {
  const sorted = [...ids].sort((a, b) => a - b)
  return sorted.filter((id, i) => i === 0 || id !== sorted[i - 1])
}

// Smoothed inverse document frequency (as scikit-learn's): never zero, so a phrase every response
// uses still counts, which is what a summary of a consultation wants to hear about.
function idf(documents: number, frequency: number): number {
  return Math.log((1 + documents) / (1 + frequency)) + 1
}

function limit(k: number): number {
  if (Number.isNaN(k) || k <= 0) return 0
  return Number.isFinite(k) ? Math.floor(k) : Number.MAX_SAFE_INTEGER
}

// ---------------------------------------------------------------------------------------------
// Key phrases

// A bigram's score is multiplied by this. A bigram is never more frequent than its words, so
// without a boost "software" would always beat "intrusion software"; with it the bigram wins when
// it accounts for about two-thirds or more of its words' uses, and then replaces them.
const BIGRAM_WEIGHT = 1.5
const NONE = -1

/**
 * Phrase statistics, indexed by phrase number. A consultation has up to a million distinct
 * bigrams: an open-addressing table of word-id pairs over typed arrays keeps them out of a Map,
 * whose non-integer keys (any packing of two ids) cost several times as much time and memory.
 */
class Phrases {
  first: number[] = []
  second: number[] = [] // NONE for a unigram
  frequency: number[] = [] // texts containing the phrase
  termSum: number[] = [] // sum over those texts of 1 + ln(occurrences)
  private readonly lastText: number[] = []
  private readonly inText: number[] = []
  private readonly unigram: number[] = []
  private slots = new Int32Array(1 << 16).fill(NONE)
  /** The phrases seen in the current text, waiting for close(). */
  private readonly touched: number[] = []

  get size(): number {
    return this.first.length
  }

  /** The phrase number of the unigram `a` or bigram `a b`, or NONE if never seen. */
  find(a: number, b: number): number {
    if (b === NONE) return this.unigram[a] ?? NONE
    const mask = this.slots.length - 1
    for (let slot = pairHash(a, b) & mask; ; slot = (slot + 1) & mask) {
      const phrase = this.slots[slot] as number
      if (phrase === NONE || (this.first[phrase] === a && this.second[phrase] === b)) return phrase
    }
  }

  /** Counts one occurrence of the phrase in text `text`. */
  see(a: number, b: number, text: number): void {
    let phrase: number
    if (b === NONE) {
      phrase = this.unigram[a] ?? NONE
      if (phrase === NONE) this.unigram[a] = phrase = this.add(a, b)
    } else {
      const mask = this.slots.length - 1
      let slot = pairHash(a, b) & mask
      for (; ; slot = (slot + 1) & mask) {
        phrase = this.slots[slot] as number
        if (phrase === NONE || (this.first[phrase] === a && this.second[phrase] === b)) break
      }
      if (phrase === NONE) {
        phrase = this.slots[slot] = this.add(a, b)
        // Kept at most half full, so that probe sequences stay short.
        if (this.size * 2 > this.slots.length) this.grow()
      }
    }
    if (this.lastText[phrase] !== text) {
      this.lastText[phrase] = text
      this.inText[phrase] = 0
      this.touched.push(phrase)
    }
    this.inText[phrase] = (this.inText[phrase] as number) + 1
  }

  /** Adds the current text's occurrences to the statistics. */
  close(): void {
    // Sublinear term frequency: one response repeating a word twenty times is one voice.
    for (const phrase of this.touched) {
      this.frequency[phrase] = (this.frequency[phrase] as number) + 1
      this.termSum[phrase] =
        (this.termSum[phrase] as number) + 1 + Math.log(this.inText[phrase] as number)
    }
    this.touched.length = 0
  }

  private add(a: number, b: number): number {
    this.first.push(a)
    this.second.push(b)
    this.frequency.push(0)
    this.termSum.push(0)
    this.lastText.push(NONE)
    this.inText.push(0)
    return this.first.length - 1
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(NONE)
    const mask = slots.length - 1
    for (let phrase = 0; phrase < this.size; phrase++) {
      const a = this.first[phrase] as number
      const b = this.second[phrase] as number
      if (b === NONE) continue
      let slot = pairHash(a, b) & mask
      while (slots[slot] !== NONE) slot = (slot + 1) & mask
      slots[slot] = phrase
    }
    this.slots = slots
  }
}

// murmur3's finaliser over the two ids: consecutive ids must not land in consecutive slots.
function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Calls `visit(first, second)` for each phrase in tokens[start, end): words, then bigrams (second NONE for words). */
function forEachPhrase(
  vocab: Vocabulary,
  tokens: number[],
  start: number,
  end: number,
  visit: (a: number, b: number) => void,
): void {
  let previous = NONE
  for (let i = start; i < end; i++) {
    const token = tokens[i] as number
    if (token === BOUNDARY || vocab.stop[token]) {
      previous = NONE
      continue
    }
    visit(token, NONE)
    // Stopwords never start or end a phrase; "very very" is no phrase either.
    if (previous !== NONE && previous !== token) visit(previous, token)
    previous = token
  }
}

/** Key phrases: TF-IDF-scored unigrams and bigrams (no stopword at either end, used by 2+ responses); top k, near-duplicates removed. */
export function keyPhrases(texts: SourceText[], k = 10): KeyPhrase[] {
  const wanted = limit(k)
  if (wanted === 0 || texts.length === 0) return []
  const vocab = new Vocabulary()
  // Every text's tokens, kept to find which responses contain the chosen phrases afterwards.
  const stream: number[] = []
  const starts: number[] = []
  const phrases = new Phrases()
  for (let t = 0; t < texts.length; t++) {
    const start = stream.length
    starts.push(start)
    vocab.tokenize((texts[t] as SourceText).text, stream)
    forEachPhrase(vocab, stream, start, stream.length, (a, b) => phrases.see(a, b, t))
    phrases.close()
  }
  starts.push(stream.length)
  const count = phrases.size
  if (count === 0) return []

  // A theme is something more than one respondent said: otherwise the tail of the list fills up
  // with the incidental word pairs of single responses ("community depend").
  const minimumFrequency = texts.length > 1 ? 2 : 1
  const scores = new Float64Array(count)
  for (let p = 0; p < count; p++) {
    const frequency = phrases.frequency[p] as number
    if (frequency < minimumFrequency) continue
    const weight = phrases.second[p] === NONE ? 1 : BIGRAM_WEIGHT
    scores[p] = weight * (phrases.termSum[p] as number) * idf(texts.length, frequency)
  }
  // Deduplication drops at most two unigrams per chosen bigram, so the best 3k candidates are
  // enough; finding the cut with a numeric sort keeps a million candidate phrases cheap.
  const pool = Math.min(count, wanted * 3)
  const cut = Float64Array.from(scores).sort()[count - pool] as number
  const candidates: number[] = []
  for (let p = 0; p < count; p++) {
    const score = scores[p] as number
    if (score >= cut && score > 0) candidates.push(p)
  }
  candidates.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)

  const chosen: number[] = []
  const inChosenBigram = new Set<number>()
  for (const p of candidates) {
    if (chosen.length === wanted) break
    const a = phrases.first[p] as number
    const b = phrases.second[p] as number
    if (b !== NONE) {
      chosen.push(p)
      inChosenBigram.add(a).add(b)
    } else if (!inChosenBigram.has(a)) {
      chosen.push(p)
    }
  }

  // Second pass over the kept tokens: which responses contain each chosen phrase.
  const slotOf = new Map<number, number>()
  chosen.forEach((p, slot) => slotOf.set(p, slot))
  const ids: number[][] = chosen.map(() => [])
  const seenIn = chosen.map(() => NONE)
  for (let t = 0; t < texts.length; t++) {
    forEachPhrase(vocab, stream, starts[t] as number, starts[t + 1] as number, (a, b) => {
      const slot = slotOf.get(phrases.find(a, b))
      if (slot === undefined || seenIn[slot] === t) return
      seenIn[slot] = t
      ;(ids[slot] as number[]).push((texts[t] as SourceText).id)
    })
  }

  const words = new Set<number>()
  for (const p of chosen) {
    words.add(phrases.first[p] as number)
    if (phrases.second[p] !== NONE) words.add(phrases.second[p] as number)
  }
  const surface = vocab.surfaces(words)
  const written = (id: number) => surface.get(id) ?? (vocab.folded[id] as string)
  return chosen.map((p, slot) => {
    const a = phrases.first[p] as number
    const b = phrases.second[p] as number
    // Japanese words were written together, so they are shown together.
    const joiner = vocab.cjk[a] && vocab.cjk[b] ? '' : ' '
    const phrase = b === NONE ? written(a) : written(a) + joiner + written(b)
    return { phrase, score: scores[p] as number, responseIds: sortedUnique(ids[slot] as number[]) }
  })
}

// ---------------------------------------------------------------------------------------------
// Representative sentences

// Two sentences this similar say the same thing: a form letter with a word changed, say.
const NEAR_DUPLICATE = 0.8

interface Sentence {
  /** The first way it was written, or the most common once `forms` exists. */
  written: string
  writtenCount: number
  /** Created only when a second spelling turns up, as most sentences are written once. */
  forms: Map<string, number> | undefined
  ids: number[]
  lastText: number
  terms: number[]
  weights: number[]
}

function seeForm(sentence: Sentence, written: string): void {
  if (sentence.forms === undefined && written === sentence.written) {
    sentence.writtenCount++
    return
  }
  sentence.forms ??= new Map([[sentence.written, sentence.writtenCount]])
  sentence.forms.set(written, (sentence.forms.get(written) ?? 0) + 1)
}

/** The most common spelling; between equals, the first seen (a Map keeps insertion order). */
function commonForm(sentence: Sentence): string {
  if (sentence.forms === undefined) return sentence.written
  let best = sentence.written
  let bestCount = 0
  for (const [form, count] of sentence.forms) {
    if (count > bestCount) {
      best = form
      bestCount = count
    }
  }
  return best
}

/** Extractive summary by TF-IDF centroid: identical sentences merged and boosted by log1p(count), near-duplicates skipped. */
export function representativeSentences(texts: SourceText[], k = 5): RepresentativeSentence[] {
  const wanted = limit(k)
  if (wanted === 0 || texts.length === 0) return []
  const vocab = new Vocabulary()
  const byKey = new Map<string, Sentence>()
  const sentences: Sentence[] = []
  const tokens: number[] = []
  const counts: number[] = [] // scratch, by token id; all zero between sentences
  for (let t = 0; t < texts.length; t++) {
    const source = texts[t] as SourceText
    for (const written of splitSentences(source.text)) {
      tokens.length = 0
      vocab.tokenize(written, tokens)
      // Case, accents and punctuation folded: "Agreed, fully." and "agreed fully!" are one.
      const key = tokens.filter((token) => token !== BOUNDARY).join(' ')
      if (key === '') continue
      let sentence = byKey.get(key)
      if (sentence === undefined) {
        // Term counts for now; weights once every document frequency is known.
        const terms: number[] = []
        for (const token of tokens) {
          if (token === BOUNDARY || vocab.stop[token]) continue
          const count = counts[token] ?? 0
          if (count === 0) terms.push(token)
          counts[token] = count + 1
        }
        const weights = terms.map((term) => counts[term] as number)
        for (const term of terms) counts[term] = 0
        sentence = {
          written,
          writtenCount: 1,
          forms: undefined,
          ids: [],
          lastText: -1,
          terms,
          weights,
        }
        byKey.set(key, sentence)
        sentences.push(sentence)
      } else {
        seeForm(sentence, written)
      }
      if (sentence.lastText !== t) {
        sentence.lastText = t
        sentence.ids.push(source.id)
      }
    }
  }
  if (sentences.length === 0) return []

  // Document frequency over distinct sentences: the frequency boost below already rewards a
  // sentence many respondents wrote, and counting its copies here as well would let one form
  // letter define what the centroid is about.
  const frequency = new Int32Array(vocab.size)
  for (const sentence of sentences) {
    for (const term of sentence.terms) frequency[term] = (frequency[term] as number) + 1
  }
  const centroid = new Float64Array(vocab.size)
  for (const sentence of sentences) {
    const { terms, weights } = sentence
    let norm = 0
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as number
      const weight = (weights[i] as number) * idf(sentences.length, frequency[term] as number)
      weights[i] = weight
      norm += weight * weight
    }
    norm = Math.sqrt(norm)
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as number
      const weight = (weights[i] as number) / norm
      weights[i] = weight
      centroid[term] = (centroid[term] as number) + weight
    }
  }
  let centroidNorm = 0
  for (const value of centroid) centroidNorm += value * value
  centroidNorm = Math.sqrt(centroidNorm)
  if (centroidNorm === 0) return []

  const scores = sentences.map((sentence) => {
    let dot = 0
    for (let i = 0; i < sentence.terms.length; i++) {
      dot += (sentence.weights[i] as number) * (centroid[sentence.terms[i] as number] as number)
    }
    if (sentence.ids.length > 1) sentence.ids = sortedUnique(sentence.ids)
    return (dot / centroidNorm) * Math.log1p(sentence.ids.length)
  })
  const order = sentences
    .map((_, i) => i)
    .filter((i) => (scores[i] as number) > 0)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)

  const chosen: { index: number; vector: Map<number, number> }[] = []
  for (const index of order) {
    if (chosen.length === wanted) break
    const { terms, weights } = sentences[index] as Sentence
    // Both vectors have unit length, so their dot product is the cosine.
    const similar = chosen.some(({ vector }) => {
      let dot = 0
      for (let i = 0; i < terms.length; i++) {
        dot += (weights[i] as number) * (vector.get(terms[i] as number) ?? 0)
      }
      return dot >= NEAR_DUPLICATE
    })
    if (similar) continue
    chosen.push({ index, vector: new Map(terms.map((term, i) => [term, weights[i] as number])) })
  }
  return chosen.map(({ index }) => {
    const sentence = sentences[index] as Sentence
    return {
      sentence: commonForm(sentence),
      score: scores[index] as number,
      responseIds: sentence.ids,
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Draft

// Respondents' words are quoted as text: without escapes, a "*" or "<b>" would become formatting.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, '\\$&')
}

/** A suggested summary in Markdown: key themes as a list, then representative sentences as quotes with their response ids. */
export function suggestedDraft(texts: SourceText[], labels: DraftLabels): string {
  const phrases = keyPhrases(texts)
  const sentences = representativeSentences(texts)
  const blocks: string[] = []
  if (phrases.length > 0) {
    blocks.push(labels.keyThemes, phrases.map((p) => `- ${escapeMarkdown(p.phrase)}`).join('\n'))
  }
  if (sentences.length > 0) {
    blocks.push(labels.representative)
    for (const s of sentences) {
      blocks.push(`> ${escapeMarkdown(s.sentence)}`, `(${labels.responses(s.responseIds)})`)
    }
  }
  return blocks.length === 0 ? '' : blocks.join('\n\n') + '\n'
}
