// MinHash signatures of consultation responses, for finding mass campaigns: form letters sent
// many times with small edits. A text becomes the set of its 3-word shingles; the signature keeps,
// for each of NUM_HASHES fixed permutations, the smallest permuted shingle hash. Two signatures
// agree at a position with probability equal to the Jaccard similarity of the shingle sets, so
// counting equal positions estimates it without keeping the texts around.
//
// Pure: no I/O, no dependencies; signatures are deterministic across runs and machines, so they
// can be stored and compared later.

export const NUM_HASHES = 128
// 32 bands of 4 rows put the LSH threshold, (1/32)^(1/4) ≈ 0.42, just under SAME_CAMPAIGN (0.5):
// a pair at 0.5 shares a band 87% of the time, at 0.6 99%, while a pair at 0.2 only 5%.
export const BANDS = 32
export const ROWS = 4

const EMPTY = 0xffffffff

// Character classes, learnt once per code point from Unicode property regexes: running those
// regexes over whole texts is several times slower than the rest of the signature put together.
const WORD = 1 // letter or number
const MARK = 2 // combining mark
const FOLDS = 4 // its marks are accents: Latin, Greek, Cyrillic
const IDEOGRAPHIC = 8 // written without spaces between words: each character is a token

const classes = new Map<number, number>()
function classOf(codePoint: number): number {
  let bits = classes.get(codePoint)
  if (bits === undefined) {
    const char = String.fromCodePoint(codePoint)
    bits =
      (/[\p{L}\p{N}]/u.test(char) ? WORD : 0) |
      (/\p{M}/u.test(char) ? MARK : 0) |
      (/[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}]/u.test(char) ? FOLDS : 0) |
      // U+3005 々 and U+30FC ー are Common, yet only ever appear inside kanji and kana words.
      (/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3005\u30fc]/u.test(char)
        ? IDEOGRAPHIC
        : 0)
    classes.set(codePoint, bits)
  }
  return bits
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const PLAIN_ASCII = /^[\x00-\x7f]*$/

/** Lower case, NFKC, accents folded, punctuation as spaces, single spaces; any script. */
export function normaliseForShingles(text: string): string {
  // Most responses are plain ASCII, where none of the Unicode work below changes anything.
  if (PLAIN_ASCII.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
  // NFKD before lower-casing, so that compatibility letters (ℌ, Ｈ) reach their lower case.
  const decomposed = text.normalize('NFKD').toLowerCase()
  let out = ''
  let runStart = 0 // decomposed[runStart, i) is kept as it is, waiting to be copied to `out`
  let pendingSpace = false
  let foldMarks = false
  for (let i = 0; i < decomposed.length;) {
    const code = decomposed.codePointAt(i) as number
    const width = code > 0xffff ? 2 : 1
    const bits =
      code < 0x80
        ? (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
          ? WORD | FOLDS
          : 0
        : classOf(code)
    // Only accents on alphabetic scripts are folded: in Indic scripts the marks are vowels, and
    // the kana voicing marks (が, か) tell words apart.
    const drop = bits & MARK ? foldMarks : !(bits & WORD)
    if (drop) {
      if (runStart < i) out += decomposed.slice(runStart, i)
      runStart = i + width
      if (!(bits & MARK)) {
        pendingSpace = out !== ''
        foldMarks = false
      }
    } else {
      if (pendingSpace) {
        out += ' '
        pendingSpace = false
      }
      if (!(bits & MARK)) foldMarks = (bits & FOLDS) !== 0
    }
    i += width
  }
  if (runStart < decomposed.length) out += decomposed.slice(runStart)
  return out.normalize('NFC') // recomposes the Hangul syllables and kana that NFKD took apart
}

/** Word tokens of the normalised text; each Han, kana or Hangul character is a token of its own. */
export function tokens(text: string): string[] {
  const normal = normaliseForShingles(text)
  if (normal === '') return []
  const words = normal.split(' ')
  if (PLAIN_ASCII.test(normal)) return words
  const out: string[] = []
  for (const word of words) {
    let run = ''
    for (const char of word) {
      if (classOf(char.codePointAt(0) as number) & IDEOGRAPHIC) {
        if (run !== '') out.push(run)
        out.push(char)
        run = ''
      } else {
        run += char
      }
    }
    if (run !== '') out.push(run)
  }
  return out
}

/** FNV-1a over UTF-16 code units, a token's hash: fast, and stable across runtimes. */
export function hashToken(token: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < token.length; i++) {
    h = Math.imul(h ^ token.charCodeAt(i), 0x01000193)
  }
  return h >>> 0
}

// murmur3's finaliser: a bijection on 32 bits that spreads every input bit over the output.
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

// How the fast path treats the code points below FAST_LIMIT: what normaliseForShingles makes of
// each one (its lower-case, accent-free form), null for a separator, or false when it depends on
// its neighbours ("¨" is a space and an accent, "½" two words): the text then takes the full path.
// Learnt lazily from the reference path, so both agree by construction (a unit test checks it).
const FAST_LIMIT = 0x250 // Basic Latin, Latin-1 Supplement, Latin Extended-A and B
const folded: (string | null | false | undefined)[] = []
function foldOf(code: number): string | null | false {
  let fold = folded[code]
  if (fold === undefined) {
    const char = String.fromCharCode(code)
    const alone = normaliseForShingles(char)
    fold = alone === '' ? null : alone
    const between = fold === null ? 'a a' : `a${fold}a`
    if (fold !== null && fold.includes(' ')) fold = false
    else if (normaliseForShingles(`a${char}a`) !== between) fold = false
    else if (fold !== null && normaliseForShingles(` ${char}.`) !== fold) fold = false
    folded[code] = fold
  }
  return fold
}

// The hash of each word of a text in the Latin alphabet, pushed to `out` in one pass without
// building strings; false when the text has a character this path does not handle.
function latinWordHashes(text: string, out: number[]): boolean {
  let h = 0x811c9dc5
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i)
    if (code < 0x80) {
      if (code >= 0x41 && code <= 0x5a) code += 0x20
      else if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))) {
        if (inWord) out.push(h >>> 0)
        h = 0x811c9dc5
        inWord = false
        continue
      }
      h = Math.imul(h ^ code, 0x01000193)
      inWord = true
      continue
    }
    if (code >= FAST_LIMIT) return false
    const fold = foldOf(code)
    if (fold === false) return false
    if (fold === null) {
      if (inWord) out.push(h >>> 0)
      h = 0x811c9dc5
      inWord = false
      continue
    }
    for (let j = 0; j < fold.length; j++) h = Math.imul(h ^ fold.charCodeAt(j), 0x01000193)
    inWord = true
  }
  if (inWord) out.push(h >>> 0)
  return true
}

/** The hash of every word token of the text, in order (as hashing each of tokens(text)). */
export function wordHashes(text: string): number[] {
  const out: number[] = []
  if (latinWordHashes(text, out)) return out
  return tokens(text).map(hashToken)
}

// Calls `visit` with the hash of each k-word shingle, in order, repeats included (a short text is
// one shingle). Each word is hashed once; a shingle's hash is murmur3 over its words' hashes.
function forEachShingle(text: string, k: number, visit: (hash: number) => void): void {
  const words = wordHashes(text)
  if (words.length === 0) return
  const width = Math.min(k, words.length)
  const count = words.length - width + 1
  for (let start = 0; start < count; start++) {
    let h = width
    for (let j = start; j < start + width; j++) {
      let w = Math.imul(words[j] as number, 0xcc9e2d51)
      w = Math.imul((w << 15) | (w >>> 17), 0x1b873593)
      h ^= w
      h = (h << 13) | (h >>> 19)
      h = (Math.imul(h, 5) + 0xe6546b64) | 0
    }
    visit(fmix32(h))
  }
}

/** Sorted, distinct 32-bit hashes of the k-word shingles (a short text is one shingle). */
export function shingleHashes(text: string, k = 3): Uint32Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer: ${k}`)
  const all: number[] = []
  forEachShingle(text, k, (hash) => all.push(hash))
  const out = Uint32Array.from(all).sort()
  // A set, as Jaccard similarity is defined on sets: repeated phrases count once.
  let distinct = 0
  for (let i = 0; i < out.length; i++) {
    if (i === 0 || out[i] !== out[i - 1]) out[distinct++] = out[i] as number
  }
  return out.slice(0, distinct)
}

// One-permutation MinHash: a shingle's hash picks its bin (top 7 bits) and its value in the bin
// (the other 25); each bin keeps the smallest value it gets.
const BIN_SHIFT = 32 - Math.log2(NUM_HASHES)
const VALUE_MASK = (1 << BIN_SHIFT) - 1

// The non-empty bin an empty one borrows from: the first non-empty bin in a pseudo-random
// sequence that depends on the empty bin's index only (after 4,096 tries, which would take a
// text with a single shingle an unlucky 1 in 10^14, the next non-empty bin in order).
function donorOf(bins: Uint32Array, bin: number): number {
  for (let attempt = 1; attempt <= 4096; attempt++) {
    const from = fmix32(Math.imul(bin + 1, 0x9e3779b9) ^ Math.imul(attempt, 0x85ebca6b))
    if (bins[from >>> BIN_SHIFT] !== EMPTY) return from >>> BIN_SHIFT
  }
  let from = (bin + 1) % NUM_HASHES
  while (bins[from] === EMPTY) from = (from + 1) % NUM_HASHES
  return from
}

/**
 * MinHash signature (NUM_HASHES values) of the text's shingles; all 0xffffffff for empty text.
 *
 * One-permutation hashing with optimal densification (Li, Owen and Zhang 2012; Shrivastava 2017):
 * one hash per shingle instead of one per shingle and position, which is what made signatures
 * cost 90 µs each. A bin no shingle fell into borrows the value of a non-empty bin chosen by a
 * fixed sequence of hashes of its own index, the same for every text; two texts then agree at a
 * position with probability equal to the Jaccard similarity of their shingle sets, as with
 * NUM_HASHES independent permutations.
 */
export function minhashSignature(text: string): Uint32Array {
  const bins = new Uint32Array(NUM_HASHES).fill(EMPTY)
  let filled = 0
  forEachShingle(text, 3, (hash) => {
    const bin = hash >>> BIN_SHIFT
    const value = hash & VALUE_MASK
    if (bins[bin] === EMPTY) filled++
    if (value < (bins[bin] as number)) bins[bin] = value
  })
  return densified(bins, filled)
}

// Fills each empty bin from its donor (see minhashSignature).
function densified(bins: Uint32Array, filled: number): Uint32Array {
  if (filled === 0 || filled === NUM_HASHES) return bins
  const signature = bins.slice()
  for (let bin = 0; bin < NUM_HASHES; bin++) {
    if (bins[bin] !== EMPTY) continue
    signature[bin] = bins[donorOf(bins, bin)] as number
  }
  return signature
}

/**
 * The signature and the number of distinct shingles of the text: what estimating how much of
 * one text another contains needs (see campaign-reuse.ts), which Jaccard similarity alone hides.
 */
export function minhashSketch(text: string): { signature: Uint32Array; shingles: number } {
  const hashes: number[] = []
  forEachShingle(text, 3, (hash) => hashes.push(hash))
  const bins = new Uint32Array(NUM_HASHES).fill(EMPTY)
  let filled = 0
  for (const hash of hashes) {
    const bin = hash >>> BIN_SHIFT
    const value = hash & VALUE_MASK
    if (bins[bin] === EMPTY) filled++
    if (value < (bins[bin] as number)) bins[bin] = value
  }
  const sorted = Uint32Array.from(hashes).sort()
  let shingles = 0
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) shingles++
  return { signature: densified(bins, filled), shingles }
}

/** Fraction of equal positions: an estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(`signatures differ in length: ${a.length} and ${b.length}`)
  }
  let equal = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) equal++
  }
  return equal / a.length
}

/**
 * The key of one LSH band of a signature (offset: where the signature starts in `values`, so that
 * signatures packed in one array need no copies): band * 2^32 plus a 32-bit hash of the band's
 * ROWS values, an integer that keys of other bands can never equal. Equal values give equal keys;
 * different values give different keys but for a 1 in 2^32 collision, which costs one needless
 * comparison and nothing more.
 */
export function bandKey(values: Uint32Array, offset: number, band: number): number {
  let h = 0x811c9dc5 ^ band
  for (let row = offset + band * ROWS; row < offset + (band + 1) * ROWS; row++) {
    h = Math.imul(h ^ (values[row] as number), 0x01000193)
    h = fmix32(h)
  }
  return band * 0x100000000 + h
}

// Bands for texts that reuse part of a campaign's text: 64 bands of 2 rows, stored for campaigns'
// representatives only. A response that adds its own text to a template can be far below
// SAME_CAMPAIGN (Jaccard 0.25 when it adds three times the template), where 32 bands of 4 rows
// find the pair 12% of the time; 64 of 2 find it 98% of the time (99.95% at 1/3).
export const REUSE_BANDS = 64
export const REUSE_ROWS = 2

/**
 * The key of one reuse band (REUSE_ROWS values) of a signature: (BANDS + band) * 2^32 plus a
 * hash, so that it never equals a key of bandKey and can share its table.
 */
export function reuseBandKey(values: Uint32Array, offset: number, band: number): number {
  let h = 0x9e3779b9 ^ band
  for (let row = offset + band * REUSE_ROWS; row < offset + (band + 1) * REUSE_ROWS; row++) {
    h = Math.imul(h ^ (values[row] as number), 0x01000193)
    h = fmix32(h)
  }
  return (BANDS + band) * 0x100000000 + h
}

/** The REUSE_BANDS keys of a signature (see reuseBandKey). */
export function reuseBandKeys(signature: Uint32Array): number[] {
  assertSignature(signature)
  const keys: number[] = []
  for (let band = 0; band < REUSE_BANDS; band++) keys.push(reuseBandKey(signature, 0, band))
  return keys
}

/** The BANDS LSH keys of a signature: equal for band i iff that band's ROWS values are equal. */
export function bandKeys(signature: Uint32Array): number[] {
  assertSignature(signature)
  const keys: number[] = []
  for (let band = 0; band < BANDS; band++) keys.push(bandKey(signature, 0, band))
  return keys
}

/** The signature as 4 * NUM_HASHES little-endian bytes, for a BLOB column. */
export function signatureToBytes(signature: Uint32Array): Uint8Array {
  assertSignature(signature)
  const bytes = new Uint8Array(NUM_HASHES * 4)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < NUM_HASHES; i++) view.setUint32(i * 4, signature[i] as number, true)
  return bytes
}

/** The signature stored by signatureToBytes (any byte offset, e.g. a Buffer from SQLite). */
export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length !== NUM_HASHES * 4) {
    throw new RangeError(`a signature is ${NUM_HASHES * 4} bytes, not ${bytes.length}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const signature = new Uint32Array(NUM_HASHES)
  for (let i = 0; i < NUM_HASHES; i++) signature[i] = view.getUint32(i * 4, true)
  return signature
}

function assertSignature(signature: Uint32Array): void {
  if (signature.length !== NUM_HASHES) {
    throw new RangeError(`a signature has ${NUM_HASHES} values, not ${signature.length}`)
  }
}
