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

// FNV-1a over UTF-16 code units: fast, and stable across runtimes.
function hashToken(token: string): number {
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

/** Sorted, distinct 32-bit hashes of the k-word shingles (a short text is one shingle). */
export function shingleHashes(text: string, k = 3): Uint32Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer: ${k}`)
  const words = tokens(text)
  if (words.length === 0) return new Uint32Array(0)
  // Each word is hashed once; a shingle's hash is murmur3 over its words' hashes, so the cost is
  // one pass over the characters rather than k.
  const wordHashes = words.map(hashToken)
  const width = Math.min(k, wordHashes.length)
  const count = wordHashes.length - width + 1
  const out = new Uint32Array(count)
  for (let start = 0; start < count; start++) {
    let h = width
    for (let j = start; j < start + width; j++) {
      let w = Math.imul(wordHashes[j] as number, 0xcc9e2d51)
      w = Math.imul((w << 15) | (w >>> 17), 0x1b873593)
      h ^= w
      h = (h << 13) | (h >>> 19)
      h = (Math.imul(h, 5) + 0xe6546b64) | 0
    }
    out[start] = fmix32(h)
  }
  // A set, as Jaccard similarity is defined on sets: repeated phrases count once.
  out.sort()
  let distinct = 0
  for (let i = 0; i < out.length; i++) {
    if (i === 0 || out[i] !== out[i - 1]) out[distinct++] = out[i] as number
  }
  return out.slice(0, distinct)
}

// The permutations' seeds come from a fixed splitmix32 stream: stored signatures stay comparable
// only while these never change.
const SEEDS = (() => {
  const seeds = new Uint32Array(NUM_HASHES)
  let state = 0x9e3779b9
  for (let i = 0; i < NUM_HASHES; i++) {
    state = (state + 0x9e3779b9) | 0
    seeds[i] = fmix32(state)
  }
  return seeds
})()

/** MinHash signature (NUM_HASHES values) of the text's shingles; all 0xffffffff for empty text. */
export function minhashSignature(text: string): Uint32Array {
  const shingles = shingleHashes(text)
  const signature = new Uint32Array(NUM_HASHES).fill(EMPTY)
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s] as number
    for (let i = 0; i < NUM_HASHES; i++) {
      // h_i(x) = fmix32(x xor seed_i): a bijection per i, and fmix32 makes the orders independent.
      let h = x ^ (SEEDS[i] as number)
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
      h = (h ^ (h >>> 16)) >>> 0
      if (h < (signature[i] as number)) signature[i] = h
    }
  }
  return signature
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

/** The BANDS LSH keys of a signature: equal for band i iff that band's ROWS values are equal. */
export function bandKeys(signature: Uint32Array): string[] {
  assertSignature(signature)
  const keys: string[] = []
  for (let band = 0; band < BANDS; band++) {
    let key = band.toString(36)
    for (let row = band * ROWS; row < (band + 1) * ROWS; row++) {
      key += ':' + (signature[row] as number).toString(36)
    }
    keys.push(key)
  }
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
