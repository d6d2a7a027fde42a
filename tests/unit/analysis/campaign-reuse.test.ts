import { describe, expect, test } from 'vitest'
import {
  MIN_SHARED_SHINGLES,
  REUSE_CONTAINMENT,
  TemplateIndex,
  estimateContainment,
  findCampaigns,
  reuseKind,
  templateDifferences,
  textContainment,
} from '#app/analysis/campaign-reuse.ts'
import { SAME_CAMPAIGN, pairwisePrecisionRecall } from '#app/analysis/campaign-clusters.ts'
import { minhashSketch, shingleHashes } from '#app/analysis/minhash.ts'
import { distinctText, editOf, prng } from '#tests/helpers/corpus.ts'
import { reuseCorpus, reuseMetrics } from '#tests/helpers/reuse-corpus.ts'

describe('campaigns that reuse a template, on a labelled corpus', () => {
  const { texts } = reuseCorpus()
  const found = findCampaigns(texts.map(({ id, text }) => ({ id, text })))
  const metrics = reuseMetrics(texts, found)

  test('the corpus is what it says: reused texts are below the copy threshold, and contain the template', () => {
    const { templates, texts: labelled } = reuseCorpus({ independent: 50 })
    const share = (label: string, f: (t: (typeof labelled)[number]) => number) => {
      const values = labelled.filter((t) => t.label === label).map(f)
      return values.reduce((a, b) => a + b, 0) / values.length
    }
    const vsSource = (t: (typeof labelled)[number]) =>
      textContainment(t.text, templates[t.source ?? 0]!)
    // Copies are near-identical; own text and partial copies are mostly below 0.5 on average.
    expect(share('copy', (t) => vsSource(t).jaccard)).toBeGreaterThan(0.7)
    expect(share('own-text', (t) => vsSource(t).jaccard)).toBeLessThan(0.5)
    expect(share('own-text', (t) => vsSource(t).ofTemplate)).toBeGreaterThan(0.85)
    expect(share('partial', (t) => vsSource(t).ofMember)).toBeGreaterThan(0.85)
    // Independent texts share stock sentences with every template, and little else.
    const independent = labelled.filter((t) => t.label === 'independent')
    const closest = Math.max(
      ...independent.flatMap((t) =>
        templates.map((template) => {
          const c = textContainment(t.text, template)
          return Math.max(c.ofMember, c.ofTemplate)
        }),
      ),
    )
    expect(closest).toBeGreaterThan(0.02)
    expect(closest).toBeLessThan(REUSE_CONTAINMENT / 2)
  })

  test('precision is 1 for every kind, and recall high for each kind of reuse', () => {
    console.info(
      'reuse corpus:',
      Object.entries(metrics)
        .map(([label, m]) =>
          typeof m === 'number'
            ? `${label} ${m}`
            : `${label} p=${m.precision.toFixed(3)} r=${m.recall.toFixed(3)}`,
        )
        .join(', '),
    )
    expect(metrics.strays).toBe(0)
    for (const label of ['copy', 'own-text', 'partial'] as const) {
      expect(metrics[label].precision).toBe(1)
    }
    expect(metrics.copy.recall).toBe(1)
    expect(metrics['own-text'].recall).toBeGreaterThanOrEqual(0.95)
    expect(metrics.partial.recall).toBeGreaterThanOrEqual(0.95)
    // Pairwise, against the known sources: nothing joined wrongly.
    const truth = new Map<number, number[]>()
    for (const t of texts) {
      if (t.source !== null) truth.set(t.source, [...(truth.get(t.source) ?? []), t.id])
    }
    const pairs = pairwisePrecisionRecall(
      found.map((c) => c.members.map((m) => m.id)),
      [...truth.values()],
    )
    expect(pairs.precision).toBe(1)
    expect(pairs.recall).toBeGreaterThanOrEqual(0.95)
  })

  test('copies are marked as copies, and texts joined by containment as the template with own text', () => {
    const labelOf = new Map(texts.map((t) => [t.id, t.label]))
    const members = found.flatMap((c) => c.members)
    expect(
      members.filter((m) => labelOf.get(m.id) === 'copy').every((m) => m.kind === 'copy'),
    ).toBe(true)
    const template = members.filter((m) => m.kind === 'template')
    expect(template.length).toBeGreaterThan(30)
    expect(template.every((m) => labelOf.get(m.id) !== 'copy')).toBe(true)
  })

  test('the same campaigns, whatever the order of the texts', () => {
    const reversed = findCampaigns(texts.map(({ id, text }) => ({ id, text })).reverse())
    const key = (campaigns: typeof found) =>
      campaigns
        .map((c) => c.members.map((m) => m.id).join(','))
        .sort()
        .join('|')
    expect(key(reversed)).toBe(key(found))
  })
})

describe('the containment rule', () => {
  const random = prng(5)
  const template = distinctText(random, 150)

  test('the template with a long paragraph of its own is not a copy, but reuses the template', () => {
    const member = `${editOf(template, random)}\n\n${distinctText(random, 300)}`
    const overlap = textContainment(member, template)
    expect(overlap.jaccard).toBeLessThan(SAME_CAMPAIGN)
    expect(overlap.ofTemplate).toBeGreaterThan(0.9)
    expect(reuseKind(overlap)).toBe('template')
    expect(reuseKind(textContainment(editOf(template, random), template))).toBe('copy')
  })

  test('a short text that is one sentence of the template, or a text on the same subject, is not', () => {
    const sentence = template.split(/(?<=\.)\s+/)[2]!
    const overlap = textContainment(sentence, template)
    expect(overlap.ofMember).toBe(1)
    expect(overlap.shared).toBeLessThan(MIN_SHARED_SHINGLES)
    expect(reuseKind(overlap)).toBeNull()
    expect(reuseKind(textContainment(distinctText(random, 150), template))).toBeNull()
    expect(reuseKind(textContainment('', template))).toBeNull()
  })

  test('the estimate from Jaccard similarity and sizes matches the exact containment', () => {
    const member = `${template}\n\n${distinctText(random, 200)}`
    const a = minhashSketch(member)
    const b = minhashSketch(template)
    expect(a.shingles).toBe(shingleHashes(member).length)
    const exact = textContainment(member, template)
    const estimate = estimateContainment(exact.jaccard, a.shingles, b.shingles)
    expect(estimate.shared).toBeCloseTo(exact.shared, 6)
    expect(estimate.ofTemplate).toBeCloseTo(exact.ofTemplate, 6)
  })

  test('a template index finds the representative a reusing text may reuse, and none for others', () => {
    const index = new TemplateIndex()
    const others = Array.from({ length: 20 }, () => distinctText(random, 150))
    for (const text of others) {
      const { signature, shingles } = minhashSketch(text)
      index.add(signature, shingles)
    }
    const { signature, shingles } = minhashSketch(template)
    const position = index.add(signature, shingles)
    const reuse = minhashSketch(`${distinctText(random, 250)}\n\n${template}`)
    expect(index.best(reuse.signature, 0, reuse.shingles)).toBe(position)
    const unrelated = minhashSketch(distinctText(random, 200))
    expect(index.best(unrelated.signature, 0, unrelated.shingles)).toBe(-1)
  })
})

describe('what a member adds to the template and leaves out', () => {
  test('its own sentences, and the template’s it does not have, case and punctuation aside', () => {
    const template = 'Stop the spyware trade. Publish every licence. Cover brokers too.'
    const member = 'Dear officials, stop the spyware trade! Publish every licence. I am a nurse.'
    expect(templateDifferences(member, template)).toEqual({
      additions: ['Dear officials, stop the spyware trade!', 'I am a nurse.'],
      omissions: ['Stop the spyware trade.', 'Cover brokers too.'],
    })
    expect(templateDifferences(template, template)).toEqual({ additions: [], omissions: [] })
  })
})
