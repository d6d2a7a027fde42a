import { describe, expect, test } from 'vitest'
import {
  BANDS,
  NUM_HASHES,
  ROWS,
  bandKey,
  bandKeys,
  estimateJaccard,
  hashToken,
  minhashSignature,
  normaliseForShingles,
  shingleHashes,
  signatureFromBytes,
  signatureToBytes,
  tokens,
  wordHashes,
} from '#app/analysis/minhash.ts'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The exact Jaccard similarity of two texts' shingle sets, which the signatures estimate. */
function exactJaccard(a: string, b: string): number {
  const setA = new Set(shingleHashes(a))
  const setB = new Set(shingleHashes(b))
  let shared = 0
  for (const hash of setA) if (setB.has(hash)) shared++
  return shared / (setA.size + setB.size - shared)
}

const similarity = (a: string, b: string) =>
  estimateJaccard(minhashSignature(a), minhashSignature(b))

const LETTER = `Dear Minister,
I am writing about the proposal to tighten export controls on commercial spyware. Over the past
decade, intrusion tools sold by private vendors have been found on the phones of reporters,
opposition politicians and lawyers in many countries. Each of those cases began with an export that
a licensing authority could have stopped. I ask you to make three changes. First, every sale of
intrusion software should need an individual licence, and general licences for these products
should be withdrawn. Second, the authority should refuse any licence where the buyer has a record
of targeting peaceful critics, and it should publish the reasons for each decision. Third,
exporters should report every year on the maintenance and updates they provide, because support
contracts keep abusive systems running. These steps would bring our practice in line with our
human rights commitments. Thank you for considering my views.
Yours sincerely,
Maria Keller`

// The same letter as a supporter sent it: a sentence of their own, a few words changed and
// another sign-off.
const EDITED_LETTER = `Dear Minister,
I am writing about the proposal to strengthen export controls on commercial spyware. Over the past
decade, intrusion tools sold by private companies have been found on the phones of reporters,
opposition politicians and lawyers in many countries. My cousin is a journalist, and she no longer
trusts her own phone. Each of those cases began with an export that a licensing authority could
have stopped. I ask you to make three changes. First, every sale of intrusion software should need
an individual licence, and general licences for these products should be withdrawn. Second, the
authority should refuse any licence where the buyer has a record of targeting peaceful dissidents,
and it should publish the reasons for each decision. Third, exporters should report every year on
the maintenance and updates they provide, because support contracts keep abusive systems running.
These steps would bring our practice in line with our human rights commitments. Thank you for
considering my views.
With best regards,
Tomas Berg`

// Two responses on the same subject, written independently.
const OVERSIGHT = `The regulation of surveillance exports has lagged behind the technology for years.
Governments that buy hacking suites rarely disclose how they use them, and vendors hide behind
confidentiality clauses. A credible regime needs independent oversight. Parliament should receive
quarterly data on approved and denied applications, broken down by destination and product
category. Export officials ought to consult human rights experts before approving transfers to
countries with poor records on press freedom. Penalties for breaches are currently so low that
firms treat them as a cost of doing business; they should be raised sharply and include the
possibility of criminal liability for executives. Brokers and intermediaries operating from third
countries must also be covered, otherwise the rules can be bypassed by a simple change of address.
Finally, victims deserve a route to remedy, including access to the licensing files in court
proceedings. Without these measures, the control list will remain a paper exercise.`

const BY_DEFAULT = `Spyware is not an ordinary commercial product. When a state acquires the ability to
read private messages and switch on microphones remotely, the people most at risk are those who
question power: journalists, union organisers, lawyers and their families. Our licensing system
was designed for missiles and machine tools, and it struggles with software that can be delivered
as an update overnight. I would like the authority to treat any capability for covert device
access as a controlled item by default. Applicants should explain who the final user is, which
safeguards apply in the receiving country, and how misuse would be detected. If they cannot, no
licence. I also think decisions should be open to public scrutiny after a short delay, so that
researchers can check whether the policy works. Other European states are moving in this
direction, and cooperation between them would make enforcement far more effective.`

describe('normaliseForShingles', () => {
  test('folds case, accents and punctuation into plain words', () => {
    expect(normaliseForShingles('Ça, c’est DÉJÀ—l’été!')).toBe('ca c est deja l ete')
    expect(normaliseForShingles('  naïve café\n\tcoöperate…  ')).toBe('naive cafe cooperate')
    expect(normaliseForShingles('ΕΛΛΗΝΙΚΆ, Ёлка; İstanbul')).toBe('ελληνικα елка istanbul')
  })

  test('unfolds compatibility forms: full-width letters, ligatures', () => {
    expect(normaliseForShingles('ＦＵＬＬ　ｗｉｄｔｈ　１２３ ﬁne')).toBe('full width 123 fine')
    expect(normaliseForShingles('ℌello')).toBe('hello')
  })

  test('keeps the marks that are letters: Indic vowels, kana voicing, Hangul syllables', () => {
    expect(normaliseForShingles('हिंदी')).toBe('हिंदी')
    expect(normaliseForShingles('がっこう')).toBe('がっこう')
    expect(normaliseForShingles('한국어!')).toBe('한국어') // syllables, not jamo
  })

  test('a text of punctuation only is empty', () => {
    expect(normaliseForShingles(' …—!? ')).toBe('')
  })
})

describe('tokens', () => {
  test('splits words at spaces and punctuation', () => {
    expect(tokens('Export controls: yes, please!')).toEqual(['export', 'controls', 'yes', 'please'])
    expect(tokens('')).toEqual([])
  })

  test('counts each Chinese, Japanese or Korean character as a token', () => {
    expect(tokens('出口管制很重要。')).toEqual(['出', '口', '管', '制', '很', '重', '要'])
    expect(tokens('iPhone用のスパイウェア')).toEqual([
      'iphone',
      '用',
      'の',
      'ス',
      'パ',
      'イ',
      'ウ',
      'ェ',
      'ア',
    ])
    expect(tokens('수출 통제')).toEqual(['수', '출', '통', '제'])
  })
})

describe('shingleHashes', () => {
  test('one hash per distinct 3-word shingle', () => {
    expect(shingleHashes('one two three four five')).toHaveLength(3)
    // "a b c", "b c a", "c a b": repeats count once, as in a set.
    expect(shingleHashes('a b c a b c a b c')).toHaveLength(3)
    expect(shingleHashes('one two three four five', 2)).toHaveLength(4)
  })

  test('a text shorter than a shingle is one shingle; an empty text none', () => {
    expect(shingleHashes('hello world')).toHaveLength(1)
    expect(shingleHashes('hello world')).not.toEqual(shingleHashes('world hello'))
    expect(shingleHashes('')).toHaveLength(0)
    expect(shingleHashes('?!')).toHaveLength(0)
  })

  test('does not see case, accents or punctuation', () => {
    expect(shingleHashes('Élan, VITAL: déjà vu!')).toEqual(shingleHashes('elan vital deja vu'))
  })

  test('Japanese and Korean sentences produce shingles of characters', () => {
    const japanese = 'スパイウェアの輸出規制を強化してください。'
    const korean = '스파이웨어 수출 규제를 강화해 주십시오.'
    expect(shingleHashes(japanese)).toHaveLength(tokens(japanese).length - 2)
    expect(shingleHashes(korean).length).toBeGreaterThan(10)
    // A clause added to a sentence keeps it similar; another sentence is not.
    expect(similarity(japanese, '人権を守るため、' + japanese)).toBeGreaterThan(0.5)
    expect(similarity(japanese, '監視技術の透明性を高める必要があります。')).toBeLessThan(0.2)
  })
})

describe('wordHashes', () => {
  // The one-pass path for Latin text must give exactly what tokenising and hashing each token
  // gives, or signatures would depend on which path a text took.
  const reference = (text: string) => tokens(text).map(hashToken)

  test('agrees with the tokens on every Latin character, alone and between words', () => {
    for (let code = 0; code < 0x250; code++) {
      const char = String.fromCharCode(code)
      for (const text of [char, `a${char}b`, `Word${char} ${char}${char}x`]) {
        expect(wordHashes(text), `U+${code.toString(16)}`).toEqual(reference(text))
      }
    }
  })

  test('agrees with the tokens on random mixtures of scripts and punctuation', () => {
    const random = mulberry32(7)
    const pieces = [
      'Élan',
      'déjà',
      'ŒUVRE',
      'straße',
      ' ',
      ', ',
      '—',
      '½',
      'ĳ',
      'İ',
      'µ',
      'スパイ',
      '監視',
      '스파이웨어',
      'e\u0301',
      'ﬁ',
      'Ｈ',
      '\t',
      '42',
      "l'",
      'ǅ',
      'ø',
    ]
    for (let i = 0; i < 2000; i++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('')
      expect(wordHashes(text), JSON.stringify(text)).toEqual(reference(text))
    }
  })
})

describe('minhashSignature', () => {
  test('is deterministic, and stays what stored signatures were computed with', () => {
    const signature = minhashSignature('Export controls must protect human rights.')
    expect(signature).toHaveLength(NUM_HASHES)
    expect(signature).toEqual(minhashSignature('EXPORT controls — must protect human rights'))
    // Changing the hashes would make every stored signature incomparable with new ones.
    expect(Array.from(signature.slice(0, 4))).toEqual([3977234, 29254755, 3977234, 29254755])
  })

  test('every position of a non-empty text holds a value of one of its own shingles', () => {
    // One-permutation hashing leaves bins empty; densification fills each from a non-empty one.
    for (const text of ['Spyware', 'export controls now', LETTER]) {
      const signature = minhashSignature(text)
      expect(signature.every((value) => value !== 0xffffffff)).toBe(true)
      const own = new Set(Array.from(shingleHashes(text), (hash) => hash & 0x1ffffff))
      expect(Array.from(signature).every((value) => own.has(value))).toBe(true)
    }
    // A single shingle fills every position with its value.
    expect(new Set(minhashSignature('Spyware')).size).toBe(1)
  })

  test('an empty text has a signature of 0xffffffff', () => {
    expect(Array.from(minhashSignature(''))).toEqual(Array(NUM_HASHES).fill(0xffffffff))
    expect(Array.from(minhashSignature(' — '))).toEqual(Array(NUM_HASHES).fill(0xffffffff))
  })

  test('a form letter and an edited copy are similar', () => {
    expect(LETTER.split(/\s+/).length).toBeGreaterThanOrEqual(140)
    expect(similarity(LETTER, EDITED_LETTER)).toBeGreaterThanOrEqual(0.5)
  })

  test('independent texts on the same subject are not', () => {
    for (const [a, b] of [
      [OVERSIGHT, BY_DEFAULT],
      [LETTER, OVERSIGHT],
      [LETTER, BY_DEFAULT],
    ] as const) {
      expect(similarity(a, b)).toBeLessThan(0.2)
    }
  })

  test('estimates the exact Jaccard similarity within 0.1', () => {
    const halfAndHalf = LETTER.slice(0, 500) + OVERSIGHT.slice(400)
    for (const [a, b] of [
      [LETTER, EDITED_LETTER],
      [LETTER, halfAndHalf],
      [OVERSIGHT, halfAndHalf],
      [OVERSIGHT, BY_DEFAULT],
    ] as const) {
      expect(Math.abs(similarity(a, b) - exactJaccard(a, b))).toBeLessThanOrEqual(0.1)
    }
  })

  test('the estimate is unbiased over many pairs of every similarity', () => {
    const random = mulberry32(42)
    const vocabulary = Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}`)
    let errorSum = 0
    let absoluteErrorSum = 0
    const pairs = 200
    for (let p = 0; p < pairs; p++) {
      const words = Array.from({ length: 150 }, () => vocabulary[Math.floor(random() * 500)])
      const kept = Math.floor(random() * 150)
      const other = [...words.slice(0, kept), ...words.slice(kept).map((w) => `${w}x`)]
      const error =
        similarity(words.join(' '), other.join(' ')) -
        exactJaccard(words.join(' '), other.join(' '))
      errorSum += error
      absoluteErrorSum += Math.abs(error)
    }
    expect(Math.abs(errorSum / pairs)).toBeLessThan(0.01)
    // 128 independent hashes give a standard deviation of at most 0.044.
    expect(absoluteErrorSum / pairs).toBeLessThan(0.04)
  })

  test('is fast: 2,000 signatures of 150-word texts well within 3 seconds', () => {
    const random = mulberry32(3)
    const vocabulary = LETTER.split(/\s+/).concat(OVERSIGHT.split(/\s+/))
    const texts = Array.from({ length: 2000 }, () =>
      Array.from({ length: 150 }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(
        ' ',
      ),
    )
    const start = performance.now()
    for (const text of texts) minhashSignature(text)
    expect(performance.now() - start).toBeLessThan(3000)
  })
})

describe('estimateJaccard', () => {
  test('counts equal positions', () => {
    const a = minhashSignature(LETTER)
    const b = a.slice()
    expect(estimateJaccard(a, b)).toBe(1)
    for (let i = 0; i < 32; i++) b[i] = (b[i] as number) + 1
    expect(estimateJaccard(a, b)).toBe(0.75)
    expect(() => estimateJaccard(a, b.subarray(1))).toThrow(RangeError)
  })
})

describe('bandKeys', () => {
  const signature = minhashSignature(LETTER)

  test('gives one key per band; a changed value changes only its band', () => {
    const keys = bandKeys(signature)
    expect(keys).toHaveLength(BANDS)
    const changed = signature.slice()
    changed[5 * ROWS + 2] = (changed[5 * ROWS + 2] as number) ^ 1
    const changedKeys = bandKeys(changed)
    expect(changedKeys.filter((key, band) => key !== keys[band])).toEqual([changedKeys[5]])
  })

  test('equal rows in different bands give different keys', () => {
    const keys = bandKeys(new Uint32Array(NUM_HASHES))
    expect(new Set(keys).size).toBe(BANDS)
    // The band is in the key's high bits: band b's keys lie in [b * 2^32, (b + 1) * 2^32).
    keys.forEach((key, band) => expect(Math.floor(key / 2 ** 32)).toBe(band))
  })

  test('reads a signature in place inside a packed array', () => {
    const packed = new Uint32Array(3 * NUM_HASHES)
    packed.set(signature, NUM_HASHES)
    expect(Array.from({ length: BANDS }, (_, band) => bandKey(packed, NUM_HASHES, band))).toEqual(
      bandKeys(signature),
    )
  })
})

describe('signatureToBytes and signatureFromBytes', () => {
  test('round-trip through little-endian bytes', () => {
    const signature = minhashSignature(LETTER)
    const bytes = signatureToBytes(signature)
    expect(bytes).toHaveLength(4 * NUM_HASHES)
    expect(signatureFromBytes(bytes)).toEqual(signature)
    const known = new Uint32Array(NUM_HASHES)
    known[0] = 0x01020304
    expect(Array.from(signatureToBytes(known).slice(0, 4))).toEqual([4, 3, 2, 1])
  })

  test('reads bytes at any offset, as a Buffer from SQLite may be, and refuses wrong lengths', () => {
    const signature = minhashSignature(OVERSIGHT)
    const buffer = new Uint8Array(4 * NUM_HASHES + 3)
    buffer.set(signatureToBytes(signature), 3)
    expect(signatureFromBytes(buffer.subarray(3))).toEqual(signature)
    expect(() => signatureFromBytes(new Uint8Array(100))).toThrow(RangeError)
  })
})
