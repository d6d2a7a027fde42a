// A labelled corpus of reused texts with known sources at known containment, for measuring
// campaign detection by kind of reuse: copies of templates with light edits, the template with
// a paragraph of the respondent's own, part of the template (30% to 80% of its sentences), and
// independently written texts on the same subject that share the templates' stock sentences.
import { distinctText, editOf, prng } from '#tests/helpers/corpus.ts'

/** How a text of the corpus was made. */
export type ReuseLabel = 'copy' | 'own-text' | 'partial' | 'independent'

export interface LabelledText {
  id: number
  text: string
  label: ReuseLabel
  /** The template it was made from (null for an independent text). */
  source: number | null
}

// Sentences that anyone writing on the subject might use, in templates and independent texts.
const STOCK = [
  'We support stronger export controls on surveillance technology.',
  'Human rights due diligence must come before any licence is granted.',
  'Thank you for the opportunity to respond to this consultation.',
  'Journalists and human rights defenders are the first targets of spyware.',
  'Companies need clear guidance and predictable licensing times.',
  'The definition of cyber-surveillance items should be precise.',
]

function stock(random: () => number, count: number): string {
  const picked = new Set<number>()
  while (picked.size < count) picked.add(Math.floor(random() * STOCK.length))
  return [...picked].map((i) => STOCK[i]!).join(' ')
}

function greeting(random: () => number) {
  return ['Dear officials,', 'Hello,', 'To the export control authority,'][
    Math.floor(random() * 3)
  ]!
}

/** About `share` of the template's sentences, in order, with a greeting and a signature. */
function partOf(template: string, share: number, random: () => number): string {
  const sentences = template.split(/(?<=\.)\s+/)
  const keep = Math.max(2, Math.round(sentences.length * share))
  const start = Math.floor(random() * (sentences.length - keep + 1))
  // A run of sentences, one of them sometimes left out in the middle: what people keep.
  const kept = sentences.slice(start, start + keep)
  if (random() < 0.3 && kept.length > 4)
    kept.splice(1 + Math.floor(random() * (kept.length - 2)), 1)
  return `${greeting(random)} ${kept.join(' ')} Regards, ${Math.floor(random() * 100000)}.`
}

/** The template, lightly edited, and a paragraph (or more) of the respondent's own. */
function withOwnText(template: string, random: () => number): string {
  const words = Math.round(150 * (0.6 + random() * 1.4)) // 0.6 to 2 times the template
  const own = distinctText(random, words)
  const edited = editOf(template, random)
  return random() < 0.5 ? `${edited}\n\n${own}` : `${greeting(random)} ${own}\n\n${edited}`
}

/**
 * The corpus: `templates` templates of about 170 words, each with `copies` copies, `ownText`
 * texts adding their own paragraph and `partial` partial copies, and `independent` texts written
 * on the same subject, in a shuffled order. Deterministic for a seed.
 */
export function reuseCorpus({
  seed = 17,
  templates = 10,
  copies = 20,
  ownText = 10,
  partial = 10,
  independent = 300,
}: {
  seed?: number
  templates?: number
  copies?: number
  ownText?: number
  partial?: number
  independent?: number
} = {}): { texts: LabelledText[]; templates: string[] } {
  const random = prng(seed)
  const letters = Array.from(
    { length: templates },
    () => `${stock(random, 2)} ${distinctText(random, 150)}`,
  )
  const made: Omit<LabelledText, 'id'>[] = []
  letters.forEach((letter, source) => {
    for (let i = 0; i < copies; i++)
      made.push({ text: editOf(letter, random), label: 'copy', source })
    for (let i = 0; i < ownText; i++)
      made.push({ text: withOwnText(letter, random), label: 'own-text', source })
    for (let i = 0; i < partial; i++)
      made.push({
        text: partOf(letter, 0.3 + random() * 0.5, random),
        label: 'partial',
        source,
      })
  })
  for (let i = 0; i < independent; i++)
    made.push({
      text: `${greeting(random)} ${stock(random, 3)} ${distinctText(random, 60 + Math.floor(random() * 200))}`,
      label: 'independent',
      source: null,
    })
  const order = made.map((_, i) => i).sort(() => random() - 0.5)
  return {
    texts: order.map((i, k) => ({ id: k + 1, ...made[i]! })),
    templates: letters,
  }
}

/** Precision and recall of found campaigns, by label: whether each text is with its source. */
export function reuseMetrics(
  texts: LabelledText[],
  campaigns: { members: { id: number }[] }[],
): Record<ReuseLabel, { precision: number; recall: number }> & { strays: number } {
  const byId = new Map(texts.map((t) => [t.id, t]))
  // A campaign's source: that of most of its members.
  const sourceOf = campaigns.map((c) => {
    const counts = new Map<number | null, number>()
    for (const m of c.members) {
      const source = byId.get(m.id)!.source
      counts.set(source, (counts.get(source) ?? 0) + 1)
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
  })
  // A source's campaign is the largest of those it is the source of: a text in a smaller one is
  // with other texts of its source, but not in its campaign.
  const main = new Map<number | null, number>()
  campaigns.forEach((c, i) => {
    const best = main.get(sourceOf[i]!)
    if (best === undefined || campaigns[best]!.members.length < c.members.length)
      main.set(sourceOf[i]!, i)
  })
  const placed = new Map<number, number | null>()
  campaigns.forEach((c, i) =>
    c.members.forEach((m) => placed.set(m.id, main.get(sourceOf[i]!) === i ? sourceOf[i]! : -1)),
  )
  const labels: ReuseLabel[] = ['copy', 'own-text', 'partial', 'independent']
  const out = { strays: 0 } as Record<ReuseLabel, { precision: number; recall: number }> & {
    strays: number
  }
  for (const label of labels) {
    const ofLabel = texts.filter((t) => t.label === label)
    const inSome = ofLabel.filter((t) => placed.has(t.id))
    const right = inSome.filter((t) => t.source !== null && placed.get(t.id) === t.source)
    out[label] = {
      precision: inSome.length ? right.length / inSome.length : 1,
      recall: label === 'independent' ? 1 : right.length / ofLabel.length,
    }
    if (label === 'independent') out.strays = inSome.length
  }
  return out
}
