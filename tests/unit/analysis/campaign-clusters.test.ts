import { describe, expect, test } from 'vitest'
import {
  CampaignIndex,
  PackedCampaigns,
  bucketNodes,
  SAME_CAMPAIGN,
  clusterPacked,
  clusterSignatures,
  pairwisePrecisionRecall,
  representative,
  type SignedText,
} from '#app/analysis/campaign-clusters.ts'
import { BANDS, NUM_HASHES, bandKeys, minhashSignature } from '#app/analysis/minhash.ts'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

function randomSignature(random: () => number): Uint32Array {
  return Uint32Array.from({ length: NUM_HASHES }, () => Math.floor(random() * 2 ** 32))
}

/** A copy of the signature with the given positions changed to values no other text has. */
function withChanged(signature: Uint32Array, positions: Iterable<number>): Uint32Array {
  const copy = signature.slice()
  for (const i of positions) copy[i] = (copy[i] as number) ^ 0x5bd1e995
  return copy
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

// Five form letters on the same subject, each written by a different (imagined) organiser.
const TEMPLATES: string[][] = [
  [
    'I am writing to respond to the consultation on the proposed export controls for cyber-surveillance items.',
    'Commercial spyware has been used to target journalists, lawyers and human rights defenders in at least forty countries.',
    'Companies that sell these tools cannot credibly claim that they do not know how their customers will use them.',
    'I therefore urge the authority to require an individual licence for every export of intrusion software, without exception.',
    'Licence decisions should be published in full, including the name of the end user and the value of the contract.',
    'Where there is a clear risk that an item could be used for internal repression, the licence must be refused.',
    'The catch-all clause should also cover items that are not listed but are designed for covert access to phones and computers.',
    'Finally, the authority should consult civil society every year when it reviews the list of controlled items.',
    'Human rights must come before the commercial interests of a small number of surveillance companies.',
  ],
  [
    'As a concerned citizen I want to share my views on how our country regulates the sale of surveillance technology abroad.',
    'Every year we learn of new cases in which the phones of activists were hacked with tools bought from European firms.',
    'The current rules are too weak, too slow and almost impossible for the public to follow.',
    'Please introduce a public register listing every licence granted for spyware, facial recognition systems and network monitoring equipment.',
    'The register should be updated each month and searchable by country of destination.',
    'Firms that break the rules ought to face heavy fines and lose the right to export for several years.',
    'Our embassies should also report back when they learn that exported tools were misused.',
    'Nobody should have to discover years later that their own government approved the sale.',
    'Transparency is the only way to rebuild trust in a system that has failed victims again and again.',
  ],
  [
    'On behalf of a small technology company, I welcome the opportunity to comment on the draft guidance.',
    'We support the goal of preventing misuse of digital tools, but the definitions in the draft are far too broad.',
    'Ordinary products such as penetration testing software and network security appliances could be caught by the new rules.',
    'This would harm legitimate research and the defensive security work that protects hospitals, banks and public services.',
    'We ask the authority to publish a clear list of exemptions for vulnerability disclosure and security research.',
    'Processing times for licence applications should not exceed thirty days, otherwise European firms will lose contracts to competitors elsewhere.',
    'Small firms do not have compliance departments and need guidance written in plain language.',
    'A single online portal for applications and a helpdesk staffed by technical experts would make compliance much easier.',
    'We are ready to work with officials to make the rules effective and proportionate.',
  ],
  [
    'I teach international law and I follow closely the debate on the trade in surveillance equipment.',
    'Due diligence obligations for exporters are welcome, yet they will only work if they are binding and enforceable.',
    'Exporters should be required to assess the human rights record of each buyer before any contract is signed.',
    'That assessment must be documented, kept for ten years and shared with the licensing authority on request.',
    'Remote maintenance and software updates for systems already sold abroad should count as exports in their own right.',
    'Otherwise a company can keep supporting a system long after the buyer has been shown to abuse it.',
    'The obligations should apply equally to brokers, resellers and subsidiaries located outside the country.',
    'Victims of unlawful surveillance need a way to bring complaints and to obtain compensation.',
    'I hope the final text will reflect these principles and set an example for other states.',
  ],
  [
    'I am deeply worried that spyware made by companies based here is still being sold to governments that jail their critics.',
    'No licence should ever be granted for the export of hacking tools to states under an arms embargo.',
    'The government must also stop offering export credit and trade promotion to surveillance firms.',
    'Parliament deserves a yearly report explaining which licences were approved, which were denied and why.',
    'Journalists and exiled dissidents have told us how their lives were turned upside down by this technology.',
    'Their testimony should be heard before any new licence is decided.',
    'Other democracies have already taken steps in this direction and we should join them without delay.',
    'A temporary moratorium on all spyware exports would be the responsible choice until strong safeguards exist.',
    'Please do not let profits outweigh the safety of people who speak out.',
  ],
]

const GREETINGS = [
  'Dear Sir or Madam,',
  'Dear consultation team,',
  'To whom it may concern,',
  'Hello,',
  'Dear officials,',
  'Good afternoon,',
]
const SIGN_OFFS = [
  'Yours faithfully,',
  'Kind regards,',
  'Best wishes,',
  'Sincerely,',
  'Thank you for your time,',
  'Regards,',
]
const FIRST_NAMES = ['Anna', 'Jonas', 'Fatima', 'Luca', 'Mei', 'Pieter', 'Sofia', 'Kwame', 'Ines']
const LAST_NAMES = ['Jensen', 'Rossi', 'Nowak', 'Haddad', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka']
const SYNONYMS: Record<string, string> = {
  urge: 'ask',
  companies: 'firms',
  firms: 'companies',
  tools: 'products',
  must: 'should',
  should: 'must',
  clear: 'obvious',
  every: 'each',
  each: 'every',
  weak: 'feeble',
  broad: 'wide',
  harm: 'damage',
  deeply: 'very',
  worried: 'concerned',
  public: 'open',
  heavy: 'large',
  small: 'little',
  welcome: 'appreciate',
  rules: 'regulations',
  people: 'individuals',
}
const JOBS = ['nurse', 'teacher', 'software developer', 'student', 'retired engineer', 'journalist']
const CITIES = ['Aarhus', 'Lyon', 'Gdansk', 'Porto', 'Leipzig', 'Utrecht', 'Tampere']
const PERSONAL = [
  (r: () => number) => `As a ${pick(r, JOBS)} living in ${pick(r, CITIES)} this matters to me.`,
  (r: () => number) => `My friend in ${pick(r, CITIES)} was hacked last year, so I care.`,
  (r: () => number) => `I signed this because a ${pick(r, JOBS)} I know was threatened.`,
  (r: () => number) => `Speaking as a ${pick(r, JOBS)}, I find the current situation unacceptable.`,
]

/** A lightly edited copy of a form letter, as a campaign's supporters send them. */
function campaignCopy(random: () => number, template: string[]): string {
  let sentences = [...template]
  if (random() < 0.3) sentences.splice(Math.floor(random() * sentences.length), 1)
  if (random() < 0.5) {
    sentences.splice(Math.floor(random() * sentences.length), 0, pick(random, PERSONAL)(random))
  }
  const swaps = Math.floor(random() * 4)
  for (let s = 0; s < swaps; s++) {
    const i = Math.floor(random() * sentences.length)
    const words = (sentences[i] as string).split(' ')
    const candidates = range(0, words.length).filter((w) => (words[w] as string) in SYNONYMS)
    if (candidates.length === 0) continue
    const w = pick(random, candidates)
    words[w] = SYNONYMS[words[w] as string] as string
    sentences[i] = words.join(' ')
  }
  sentences = [pick(random, GREETINGS), ...sentences, pick(random, SIGN_OFFS)]
  sentences.push(`${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`)
  return sentences.join('\n')
}

// Distinct responses: random sentences over a vocabulary of a few hundred words on the subject.
const WORDS = {
  det: ['the', 'a', 'this', 'that', 'every', 'some', 'any', 'our', 'their', 'each'],
  adj: (
    'new strict weak secret foreign national digital commercial public private military civil ' +
    'dangerous effective broad narrow clear vague modern powerful small large global local legal ' +
    'illegal fair unfair strong open closed hidden careful rapid slow expensive cheap urgent ' +
    'annual formal informal technical political ethical economic serious minor complex simple ' +
    'independent official european international regional democratic authoritarian sensitive ' +
    'covert transparent responsible reckless legitimate'
  ).split(' '),
  noun: (
    'licence export spyware software tool company government regulator agency court journalist ' +
    'activist researcher citizen minister parliament register report database contract buyer ' +
    'seller broker market industry sector product system network phone computer server camera ' +
    'border embargo sanction fine penalty rule law treaty policy guideline standard procedure ' +
    'risk threat harm abuse violation right freedom privacy security safety trust evidence ' +
    'investigation audit inspection review decision process application request deadline ' +
    'exemption loophole definition list item component technology algorithm platform vendor ' +
    'customer user victim witness lawyer judge official diplomat embassy ministry committee ' +
    'coalition organisation union budget cost profit price value'
  ).split(' '),
  verb: (
    'requires allows prevents blocks reviews approves rejects publishes hides ignores monitors ' +
    'controls limits expands weakens strengthens protects threatens supports opposes funds ' +
    'sells buys exports imports tracks collects shares stores deletes inspects audits questions ' +
    'delays accelerates clarifies complicates replaces defines excludes includes reports explains'
  ).split(' '),
  prep: ['in', 'for', 'with', 'without', 'against', 'under', 'before', 'after', 'across', 'beyond'],
  adverb: (
    'clearly rarely often quietly openly quickly slowly carefully probably certainly never ' +
    'always sometimes seldom barely largely mostly partly fully hardly'
  ).split(' '),
  link: ['and', 'but', 'because', 'while', 'although', 'so', 'unless', 'whereas'],
}

function nounPhrase(random: () => number): string {
  const adjectives = random() < 0.6 ? [pick(random, WORDS.adj)] : []
  return [pick(random, WORDS.det), ...adjectives, pick(random, WORDS.noun)].join(' ')
}

function clause(random: () => number): string {
  const parts = [nounPhrase(random)]
  if (random() < 0.4) parts.push(pick(random, WORDS.adverb))
  parts.push(pick(random, WORDS.verb), nounPhrase(random))
  if (random() < 0.5) parts.push(pick(random, WORDS.prep), nounPhrase(random))
  return parts.join(' ')
}

/** A response written independently: about 150 words of random sentences. */
function distinctText(random: () => number): string {
  const sentences: string[] = []
  let words = 0
  while (words < 150) {
    let sentence = clause(random)
    if (random() < 0.4) sentence += ` ${pick(random, WORDS.link)} ${clause(random)}`
    sentence = sentence[0]?.toUpperCase() + sentence.slice(1) + '.'
    sentences.push(sentence)
    words += sentence.split(' ').length
  }
  return sentences.join(' ')
}

interface Corpus {
  texts: SignedText[]
  bodies: Map<number, string>
  campaigns: number[][]
  distinct: number[]
}

function syntheticCorpus(seed: number): Corpus {
  const random = mulberry32(seed)
  const texts: SignedText[] = []
  const bodies = new Map<number, string>()
  const campaigns: number[][] = TEMPLATES.map(() => [])
  const distinct: number[] = []
  let id = 1
  const addText = (body: string) => {
    texts.push({ id, signature: minhashSignature(body) })
    bodies.set(id, body)
    return id++
  }
  for (let copy = 0; copy < 100; copy++) {
    TEMPLATES.forEach((template, t) => campaigns[t]?.push(addText(campaignCopy(random, template))))
  }
  for (let i = 0; i < 500; i++) distinct.push(addText(distinctText(random)))
  return { texts: shuffle(random, texts), bodies, campaigns, distinct }
}

const corpus = syntheticCorpus(20270115)

describe('clusterSignatures on a synthetic consultation', () => {
  const found = clusterSignatures(corpus.texts)

  test('finds the five campaigns with pairwise precision ≥ 0.99 and recall ≥ 0.98', () => {
    const { precision, recall } = pairwisePrecisionRecall(found, corpus.campaigns)
    expect(precision).toBeGreaterThanOrEqual(0.99)
    expect(recall).toBeGreaterThanOrEqual(0.98)
    // Each campaign is (nearly) one cluster, not a hundred small ones glued by luck.
    for (const cluster of found.slice(0, 5)) expect(cluster.length).toBeGreaterThanOrEqual(95)
  })

  test('leaves the independently written responses out of every cluster', () => {
    const clustered = new Set(found.flat())
    const distinctInClusters = corpus.distinct.filter((id) => clustered.has(id))
    expect(distinctInClusters.length).toBeLessThanOrEqual(5)
  })

  test('returns clusters of 2+ sorted ids, largest first', () => {
    for (const cluster of found) {
      expect(cluster.length).toBeGreaterThanOrEqual(2)
      expect(cluster).toEqual([...cluster].sort((a, b) => a - b))
    }
    for (let i = 1; i < found.length; i++) {
      const [previous, current] = [found[i - 1] as number[], found[i] as number[]]
      expect(
        previous.length > current.length ||
          (previous.length === current.length && (previous[0] as number) < (current[0] as number)),
      ).toBe(true)
    }
  })

  test('CampaignIndex, fed the texts one by one in another order, gives the same clusters', () => {
    const index = new CampaignIndex()
    for (const text of shuffle(mulberry32(7), corpus.texts)) {
      const joined = index.add(text)
      // Joined with someone exactly when the text is now in a cluster.
      expect(joined.length > 0).toBe(index.clusterOf(text.id) !== null)
    }
    expect(index.clusters()).toEqual(found)
    for (const cluster of found) {
      expect(index.clusterOf(cluster[0] as number)).toEqual(cluster)
      expect(index.clusterOf(cluster.at(-1) as number)).toEqual(cluster)
    }
    expect(index.clusterOf(-1)).toBeNull()
  })

  test('the representative of a campaign is one of its copies', () => {
    const bySignature = new Map(corpus.texts.map((text) => [text.id, text]))
    const campaign = found[0] as number[]
    const members = campaign.map((id) => bySignature.get(id) as SignedText)
    expect(campaign).toContain(representative(members))
  })
})

describe('SAME_CAMPAIGN threshold', () => {
  const base = randomSignature(mulberry32(1))
  // Changing the last positions keeps the first bands equal, so the pair is always a candidate.
  const sharing = (equal: number) => withChanged(base, range(equal, NUM_HASHES))

  test('is 0.5, in the range that separates copies from independent texts', () => {
    expect(SAME_CAMPAIGN).toBe(0.5)
  })

  test('joins a pair at or just above the threshold and not just below it', () => {
    const atThreshold = Math.round(SAME_CAMPAIGN * NUM_HASHES)
    const pair = (equal: number) => [
      { id: 1, signature: base },
      { id: 2, signature: sharing(equal) },
    ]
    expect(clusterSignatures(pair(atThreshold + 1))).toEqual([[1, 2]])
    expect(clusterSignatures(pair(atThreshold))).toEqual([[1, 2]])
    expect(clusterSignatures(pair(atThreshold - 1))).toEqual([])
    expect(clusterSignatures(pair(atThreshold - 10))).toEqual([])
  })

  test('a custom threshold moves the boundary', () => {
    const pair = (equal: number) => [
      { id: 1, signature: base },
      { id: 2, signature: sharing(equal) },
    ]
    expect(clusterSignatures(pair(103), 0.8)).toEqual([[1, 2]]) // 103 / 128 = 0.805
    expect(clusterSignatures(pair(102), 0.8)).toEqual([]) // 0.797
    expect(() => new CampaignIndex(1.5)).toThrow(RangeError)
  })

  test('only pairs sharing a band are compared: one change in every band hides a 0.75 pair', () => {
    const everyBand = withChanged(
      base,
      range(0, 32).map((band) => band * 4),
    )
    expect(
      clusterSignatures([
        { id: 1, signature: base },
        { id: 2, signature: everyBand },
      ]),
    ).toEqual([])
  })
})

describe('CampaignIndex', () => {
  const random = mulberry32(99)
  const a = randomSignature(random)
  const b = withChanged(a, range(96, 128)) // 0.75 with a
  const c = withChanged(b, range(0, 48)) // 0.625 with b, 0.375 with a, shares bands with both

  test('a text similar to two clusters joins them, and reports one id from each', () => {
    const index = new CampaignIndex()
    expect(index.add({ id: 10, signature: a })).toEqual([])
    expect(index.add({ id: 30, signature: c })).toEqual([])
    expect(index.clusterOf(10)).toBeNull()
    expect(index.add({ id: 20, signature: b })).toEqual([10, 30])
    expect(index.clusterOf(10)).toEqual([10, 20, 30])
    expect(index.clusters()).toEqual([[10, 20, 30]])
  })

  test('a text joins a cluster through any member of a shared bucket, not only the first', () => {
    const x = randomSignature(random)
    const y = withChanged(x, range(64, 96)) // 0.75 with x
    // Equal to both in bands 0-9, to y alone in 24 scattered positions: 0.52 with y, 0.33 with x,
    // and the only buckets it shares with y hold x first.
    const v = withChanged(y, [
      ...range(42, 64),
      ...range(96, 128),
      ...range(64, 96).filter((i) => i % 4 === 0),
    ])
    const index = new CampaignIndex()
    index.add({ id: 1, signature: x })
    expect(index.add({ id: 2, signature: y })).toEqual([1])
    expect(index.add({ id: 3, signature: v })).toEqual([2])
    expect(index.clusterOf(1)).toEqual([1, 2, 3])
  })

  test('the clusters do not depend on the order of adding', () => {
    const texts = [
      { id: 10, signature: a },
      { id: 20, signature: b },
      { id: 30, signature: c },
    ]
    for (const order of [
      [0, 1, 2],
      [0, 2, 1],
      [2, 0, 1],
      [1, 2, 0],
    ]) {
      expect(clusterSignatures(order.map((i) => texts[i] as SignedText))).toEqual([[10, 20, 30]])
    }
  })

  test('identical copies join one cluster, cheaply even by the thousand', () => {
    const index = new CampaignIndex()
    const start = performance.now()
    for (let id = 1; id <= 5000; id++) index.add({ id, signature: a })
    // A near copy must still find the thousands of identical ones.
    expect(index.add({ id: 5001, signature: b })).toHaveLength(1)
    expect(performance.now() - start).toBeLessThan(2000)
    expect(index.clusters()).toEqual([range(1, 5002)])
  })

  test('thousands of near copies, each a little different, cost little per add', () => {
    const copies = mulberry32(11)
    const index = new CampaignIndex()
    const start = performance.now()
    for (let id = 1; id <= 10_000; id++) {
      index.add({
        id,
        signature: withChanged(
          a,
          range(0, 6).map(() => Math.floor(copies() * 128)),
        ),
      })
    }
    expect(performance.now() - start).toBeLessThan(4000)
    expect(index.clusters()).toHaveLength(1)
  })

  test('blank texts are not a campaign', () => {
    const blank = new Uint32Array(NUM_HASHES).fill(0xffffffff)
    const index = new CampaignIndex()
    expect(index.add({ id: 1, signature: blank })).toEqual([])
    expect(index.add({ id: 2, signature: blank })).toEqual([])
    expect(index.clusters()).toEqual([])
  })

  test('refuses the same id twice and signatures of the wrong length', () => {
    const index = new CampaignIndex()
    index.add({ id: 1, signature: a })
    expect(() => index.add({ id: 1, signature: b })).toThrow()
    expect(() => index.add({ id: 2, signature: new Uint32Array(64) })).toThrow(RangeError)
  })
})

/** Signatures one after another in one array, as a rebuild holds them. */
function pack(signatures: Uint32Array[]): Uint32Array {
  const values = new Uint32Array(signatures.length * NUM_HASHES)
  signatures.forEach((signature, i) => values.set(signature, i * NUM_HASHES))
  return values
}

describe('PackedCampaigns', () => {
  const random = mulberry32(5)
  const a = randomSignature(random)
  const b = withChanged(a, range(96, 128)) // 0.75 with a
  const blank = new Uint32Array(NUM_HASHES).fill(0xffffffff)

  test('finds the same clusters as CampaignIndex on the synthetic consultation', () => {
    const texts = corpus.texts
    const clusters = clusterPacked(pack(texts.map((t) => t.signature)), texts.length).map((nodes) =>
      nodes.map((node) => (texts[node] as SignedText).id).sort((x, y) => x - y),
    )
    clusters.sort((x, y) => y.length - x.length || (x[0] as number) - (y[0] as number))
    expect(clusters).toEqual(clusterSignatures(texts))
    expect(clusters.length).toBeGreaterThanOrEqual(5)
  })

  test('joins exact copies without putting them in buckets, and leaves blank texts alone', () => {
    const packed = new PackedCampaigns(pack([a, blank, a, blank, b, a]), 6)
    const firstBand = packed.joinBand(0, 4)
    // a, b share band 0 (its rows are unchanged): one bucket of the two distinct texts.
    expect(Array.from(firstBand.keys)).toEqual([bandKeys(a)[0]])
    expect(Array.from(bucketNodes(firstBand, 0))).toEqual([0, 4])
    for (let band = 1; band < BANDS; band++) packed.joinBand(band, 4)
    expect(packed.clusters()).toEqual([[0, 2, 4, 5]])
  })

  test("a band's buckets come in key order, each with its first `keep` texts", () => {
    const signatures = [a, b, withChanged(a, range(100, 128)), withChanged(a, range(110, 128))]
    const packed = new PackedCampaigns(pack(signatures), 4)
    const last = packed.joinBand(BANDS - 1, 2)
    expect(Array.from(last.keys)).toEqual(
      [...new Set(signatures.map((s) => bandKeys(s)[BANDS - 1]))].sort(
        (x, y) => (x as number) - (y as number),
      ),
    )
    // b, c and d changed the last band's rows alike: one bucket of three, of which two are kept.
    const kept = new Map(
      Array.from(last.keys, (key, i) => [key, Array.from(bucketNodes(last, i))] as const),
    )
    expect(kept).toEqual(
      new Map([
        [bandKeys(a)[BANDS - 1], [0]],
        [bandKeys(b)[BANDS - 1], [1, 2]],
      ]),
    )
    const first = packed.joinBand(0, 2)
    expect(first.keys).toHaveLength(1)
    expect(Array.from(bucketNodes(first, 0))).toEqual([0, 1])
  })

  test('compares within the bucket window as CampaignIndex does', () => {
    // 10,000 near copies, each with a few values of its own: one campaign, found quickly.
    const copies = mulberry32(11)
    const signatures = Array.from({ length: 10_000 }, () =>
      withChanged(
        a,
        range(0, 6).map(() => Math.floor(copies() * 128)),
      ),
    )
    const start = performance.now()
    const clusters = clusterPacked(pack(signatures), signatures.length)
    expect(performance.now() - start).toBeLessThan(4000)
    expect(clusters).toHaveLength(1)
    expect(clusters[0]).toHaveLength(10_000)
  })

  test('refuses too few values, a bad threshold and a band out of range', () => {
    expect(() => new PackedCampaigns(new Uint32Array(NUM_HASHES), 2)).toThrow(RangeError)
    expect(() => new PackedCampaigns(pack([a]), 1, 1.5)).toThrow(RangeError)
    expect(() => new PackedCampaigns(pack([a]), 1).joinBand(BANDS, 1)).toThrow(RangeError)
  })
})

describe('pairwisePrecisionRecall', () => {
  test('counts pairs put together rightly, out of those found and those known', () => {
    // Found pairs: 1-2, 1-3, 2-3, 4-5. Known pairs: 1-2, 3-4, 3-5, 4-5. Both: 1-2, 4-5.
    expect(
      pairwisePrecisionRecall(
        [
          [1, 2, 3],
          [4, 5],
        ],
        [
          [1, 2],
          [3, 4, 5],
        ],
      ),
    ).toEqual({ precision: 0.5, recall: 0.5 })
  })

  test('a perfect answer, a lumped answer and an empty one', () => {
    const truth = [
      [1, 2],
      [3, 4],
    ]
    expect(pairwisePrecisionRecall(truth, truth)).toEqual({ precision: 1, recall: 1 })
    expect(pairwisePrecisionRecall([[1, 2, 3, 4]], truth)).toEqual({
      precision: 2 / 6,
      recall: 1,
    })
    expect(pairwisePrecisionRecall([], truth)).toEqual({ precision: 1, recall: 0 })
  })

  test('ids outside the known clusters count against precision', () => {
    expect(pairwisePrecisionRecall([[1, 2, 9]], [[1, 2]])).toEqual({ precision: 1 / 3, recall: 1 })
  })
})

describe('representative', () => {
  const center = randomSignature(mulberry32(5))

  test('is the member closest on average to the others', () => {
    const members = [
      { id: 3, signature: withChanged(center, range(0, 40)) },
      { id: 8, signature: center },
      { id: 1, signature: withChanged(center, range(40, 80)) },
      { id: 5, signature: withChanged(center, range(80, 120)) },
    ]
    expect(representative(members)).toBe(8)
  })

  test('breaks ties by the smallest id, and a lone member represents itself', () => {
    expect(
      representative([
        { id: 4, signature: center },
        { id: 2, signature: center },
      ]),
    ).toBe(2)
    expect(representative([{ id: 6, signature: center }])).toBe(6)
    expect(() => representative([])).toThrow(RangeError)
  })
})
