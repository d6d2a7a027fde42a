import { describe, expect, test } from 'vitest'
import {
  keyPhrases,
  representativeSentences,
  splitSentences,
  suggestedDraft,
  type SourceText,
} from '#app/analysis/summarise.ts'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const texts = (...bodies: string[]): SourceText[] => bodies.map((text, i) => ({ id: i + 1, text }))

describe('splitSentences', () => {
  test('English: terminators, line breaks, decimals and abbreviations; short sentences dropped', () => {
    const text =
      'The draft is far too broad. It would capture vulnerability research!   Would it not? Yes.\n' +
      'See section 4.2 of the draft, e.g. the annex on licences, for details.\r\n' +
      '- Dr. Smith of the U.S. delegation agreed with that view\n\n' +
      'Controls should "target the vendors." They should not target researchers.'
    expect(splitSentences(text)).toEqual([
      'The draft is far too broad.',
      'It would capture vulnerability research!',
      'See section 4.2 of the draft, e.g. the annex on licences, for details.',
      'Dr. Smith of the U.S. delegation agreed with that view',
      'Controls should "target the vendors."',
      'They should not target researchers.',
    ])
  })

  test('French: spaced punctuation, accents and elisions kept as written', () => {
    const text =
      "La définition du logiciel d'intrusion est trop large. Les chercheurs en sécurité " +
      "seront pénalisés ! Qu'en pensez-vous ? Non."
    expect(splitSentences(text)).toEqual([
      "La définition du logiciel d'intrusion est trop large.",
      'Les chercheurs en sécurité seront pénalisés !',
      "Qu'en pensez-vous ?",
    ])
  })

  test('Japanese: split on 。！？ with no spaces, short sentences kept', () => {
    expect(
      splitSentences(
        'スパイウェアの輸出規制に賛成です。研究者は例外にすべきだ！本当に？\n「はい。」',
      ),
    ).toEqual([
      'スパイウェアの輸出規制に賛成です。',
      '研究者は例外にすべきだ！',
      '本当に？',
      '「はい。」',
    ])
  })

  test('nothing to split', () => {
    expect(splitSentences('')).toEqual([])
    expect(splitSentences(' \n ... !! \n')).toEqual([])
  })
})

// Ids out of order, so that sorting them is part of what is tested.
const IDS = [40, 12, 7, 33, 25, 3, 18, 50, 9]
const SPYWARE: SourceText[] = [
  'The licensing regime for intrusion software must protect vulnerability research. ' +
    'Researchers and the security community depend on it.',
  'We support controls on intrusion software, but the definition is too broad and would ' +
    'capture vulnerability research by accident.',
  'Export licences for Intrusion Software should be granted quickly to vendors that publish ' +
    'independent audits of their customers.',
  'Vulnerability Research is essential for defence and for the public; the draft must exempt ' +
    'it from the licensing requirement.',
  'La définition de la notion de intrusion software est trop large et la recherche de la ' +
    'sécurité en souffre.',
  'Intrusion software sold to governments has been used against journalists, and the licensing ' +
    'process should consider human rights.',
  'Without a safe harbour, vulnerability research and coordinated disclosure will move abroad.',
  'La recherche et la liberté de la presse sont menacées par les logiciels espions de la ' +
    'surveillance.',
  'The software industry and the research community and the government should talk more.',
].map((text, i) => ({ id: IDS[i] as number, text }))

// Lower case without accents, as the phrases are matched.
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

const idsContaining = (corpus: SourceText[], pattern: RegExp) =>
  corpus
    .filter((t) => pattern.test(fold(t.text)))
    .map((t) => t.id)
    .sort((a, b) => a - b)

describe('keyPhrases', () => {
  test('recurring bigrams rank in the top 5 with exactly the responses containing them', () => {
    const top = keyPhrases(SPYWARE, 5)
    expect(top).toHaveLength(5)
    const byPhrase = new Map(top.map((p) => [p.phrase, p]))
    expect(byPhrase.get('intrusion software')?.responseIds).toEqual(
      idsContaining(SPYWARE, /intrusion software/i),
    )
    expect(byPhrase.get('vulnerability research')?.responseIds).toEqual(
      idsContaining(SPYWARE, /vulnerability research/i),
    )
    expect(byPhrase.get('intrusion software')?.responseIds).toEqual([3, 7, 12, 25, 40])
    // Scores are sorted, highest first.
    const scores = top.map((p) => p.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  test('no stopword is a phrase or ends one, in any of the languages', () => {
    const stop = new Set(['the', 'and', 'for', 'of', 'de', 'la', 'le', 'les', 'et', 'der', 'und'])
    const german = 'Der Export und der Handel mit Überwachungssoftware und der Schutz der Presse.'
    const corpus = [...SPYWARE, { id: 60, text: german }, { id: 61, text: german }]
    const all = keyPhrases(corpus, 200)
    expect(all.map((p) => p.phrase)).toContain('Überwachungssoftware')
    expect(all.length).toBeGreaterThan(10)
    for (const { phrase } of all) {
      const words = phrase.toLowerCase().split(' ')
      expect(stop.has(words[0] as string), phrase).toBe(false)
      expect(stop.has(words.at(-1) as string), phrase).toBe(false)
    }
    // Each response id listed for a phrase really contains it, and none is missing.
    for (const { phrase, responseIds } of all) {
      const words = fold(phrase).replace(' ', '\\s+')
      const pattern = new RegExp(`(^|[^\\p{L}])${words}($|[^\\p{L}])`, 'u')
      expect(responseIds, phrase).toEqual(idsContaining(corpus, pattern))
    }
  })

  test('a word is dropped when a higher-scored bigram contains it', () => {
    const phrases = keyPhrases(SPYWARE, 200).map((p) => p.phrase)
    expect(phrases).toContain('intrusion software')
    expect(phrases).not.toContain('intrusion')
    expect(phrases).not.toContain('vulnerability')
    // "software" alone is also used outside the bigram, but not often enough to stand apart.
    expect(phrases.indexOf('intrusion software')).toBeLessThan(phrases.indexOf('licensing'))
  })

  test('a phrase only one response uses is not a theme, unless there is only one', () => {
    const phrases = keyPhrases(SPYWARE, 200).map((p) => p.phrase)
    expect(phrases).not.toContain('licensing regime')
    expect(phrases).not.toContain('journalists')
    const alone = keyPhrases([SPYWARE[0] as SourceText], 200).map((p) => p.phrase)
    expect(alone).toContain('licensing regime')
  })

  test('case and accents are folded; the most common spelling is shown', () => {
    const top = keyPhrases(
      texts(
        'La sécurité des chercheurs.',
        'Securite des chercheurs, encore.',
        'LA SÉCURITÉ, toujours la sécurité.',
      ),
      3,
    )
    expect(top[0]).toMatchObject({ phrase: 'sécurité', responseIds: [1, 2, 3] })
  })

  test('Japanese: kanji and katakana words, no hiragana particles', () => {
    const top = keyPhrases(
      texts(
        'スパイウェアの輸出規制に賛成です。',
        '輸出規制は研究者を守るべきです。',
        'スパイウェアの輸出規制は厳しすぎる。',
      ),
      5,
    )
    const phrases = top.map((p) => p.phrase)
    expect(phrases.slice(0, 2).sort()).toEqual(['スパイウェア', '輸出規制'])
    expect(top.find((p) => p.phrase === '輸出規制')?.responseIds).toEqual([1, 2, 3])
    for (const phrase of phrases) expect(phrase).not.toMatch(/^\p{sc=Hiragana}+$/u)
  })

  test('empty input and k = 0', () => {
    expect(keyPhrases([])).toEqual([])
    expect(keyPhrases(texts('', '!!! ...', 'the and of'))).toEqual([])
    expect(keyPhrases(SPYWARE, 0)).toEqual([])
  })
})

const REPEATED =
  'Export licences for spyware should require an independent human rights assessment.'
const VARIANT_A =
  'Spyware vendors must publish an annual transparency report on every export licence.'
const VARIANT_B =
  'Spyware vendors must publish a yearly transparency report on every export licence.'
const OFF_TOPIC = 'My neighbour has a cat that likes to sleep in the garden all afternoon.'
const VARIED = [
  'Journalists have been targeted with spyware sold under export licences.',
  'The export control list should name spyware vendors explicitly.',
  'Human rights groups need a say before any spyware licence is granted.',
  'Licences for surveillance software should be reviewed every year.',
  'Vendors of spyware should be liable for abuses by their customers.',
  'An independent assessment of human rights risks protects journalists abroad.',
  'Security researchers must not need an export licence to share their findings.',
  'The rules on spyware exports should be aligned with our allies.',
  'Licensing authorities should publish the number of spyware licences granted.',
  'Export controls alone will not stop spyware abuse without enforcement.',
  'Companies selling spyware to repressive governments should lose their licences.',
  'Transparency about export licences would build public trust.',
]

function representativeCorpus(): SourceText[] {
  const corpus: SourceText[] = []
  let id = 100
  const add = (text: string) => corpus.push({ id: id++, text })
  for (let i = 0; i < 10; i++) {
    // Case and punctuation vary; the sentence is the same.
    const repeated = i % 3 === 0 ? REPEATED.toUpperCase().replace('.', '!') : REPEATED
    add(`${VARIED[i] as string} ${repeated}`)
  }
  for (let i = 0; i < 3; i++) add(`${VARIANT_A} ${VARIED[(i + 4) % VARIED.length] as string}`)
  for (let i = 0; i < 3; i++) add(`${VARIANT_B} ${VARIED[(i + 9) % VARIED.length] as string}`)
  add(OFF_TOPIC)
  add(`${OFF_TOPIC} ${VARIED[11] as string}`)
  return corpus
}

describe('representativeSentences', () => {
  test('a sentence repeated across 10 responses ranks first, with all 10 ids', () => {
    const corpus = representativeCorpus()
    const top = representativeSentences(corpus)
    expect(top).toHaveLength(5)
    // Written in capitals in 4 of them: the most common spelling is the one shown.
    expect(top[0]?.sentence).toBe(REPEATED)
    expect(top[0]?.responseIds).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109])
    const scores = top.map((s) => s.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  test('near-duplicates are chosen once; off-topic sentences stay out of the top 3', () => {
    const top = representativeSentences(representativeCorpus(), 5).map((s) => s.sentence)
    // Each variant is in 3 responses, which puts both above every single sentence, so only the
    // near-duplicate rule keeps the second one out.
    expect(top.filter((s) => s === VARIANT_A || s === VARIANT_B)).toHaveLength(1)
    expect(top.slice(0, 3)).not.toContain(OFF_TOPIC)
    expect(top.slice(0, 2)).toEqual([REPEATED, VARIANT_A])
  })

  test('sentences are returned as written and every source is listed', () => {
    const top = representativeSentences(
      [
        { id: 5, text: 'Les chercheurs en sécurité doivent être exemptés. Rien à ajouter ici.' },
        { id: 2, text: 'LES CHERCHEURS EN SECURITE DOIVENT ETRE EXEMPTES !' },
        { id: 9, text: 'Les logiciels espions menacent la sécurité des chercheurs.' },
      ],
      1,
    )
    expect(top).toEqual([
      {
        sentence: 'Les chercheurs en sécurité doivent être exemptés.',
        score: expect.any(Number),
        responseIds: [2, 5],
      },
    ])
  })

  test('empty input', () => {
    expect(representativeSentences([])).toEqual([])
    expect(representativeSentences(texts('', 'Yes.', 'the and of it'))).toEqual([])
  })
})

describe('suggestedDraft', () => {
  const labels = {
    keyThemes: 'Key themes:',
    representative: 'Representative comments:',
    responses: (ids: number[]) =>
      ids.length > 2
        ? `responses ${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`
        : `responses ${ids.join(', ')}`,
  }

  test('themes as a list, then quotes with the responses they came from', () => {
    const draft = suggestedDraft(representativeCorpus(), labels)
    expect(draft).toMatch(/^Key themes:\n\n- \S/)
    expect(draft).toContain('\n\nRepresentative comments:\n\n> ')
    expect(draft).toContain(`> ${REPEATED}\n\n(responses 100, 101 and 8 more)\n`)
    expect(draft).toContain('- spyware\n')
  })

  test('respondents cannot inject Markdown', () => {
    const draft = suggestedDraft(
      texts('Spyware is *really* <b>dangerous</b> for [journalists](http://x).'),
      labels,
    )
    expect(draft).toContain('> Spyware is \\*really\\* \\<b\\>dangerous\\</b\\>')
    expect(draft).toContain('\\[journalists\\](http://x).')
  })

  test('empty input gives an empty draft', () => {
    expect(suggestedDraft([], labels)).toBe('')
    expect(suggestedDraft(texts(''), labels)).toBe('')
  })
})

test('5,000 responses of 150 words take well under 5 seconds', () => {
  const random = mulberry32(42)
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`)
  const corpus: SourceText[] = []
  for (let id = 0; id < 5000; id++) {
    let text = ''
    for (let w = 0; w < 150; w++) {
      // Skewed towards the first words, as real vocabularies are.
      text += vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string
      text += w % 15 === 14 ? '. ' : ' '
    }
    corpus.push({ id, text })
  }
  const started = performance.now()
  const draft = suggestedDraft(corpus, {
    keyThemes: 'Key themes:',
    representative: 'Representative comments:',
    responses: (ids) => `${ids.length} responses`,
  })
  expect(performance.now() - started).toBeLessThan(5000)
  expect(draft).toContain('Key themes:')
  expect(draft).toContain('Representative comments:')
})
