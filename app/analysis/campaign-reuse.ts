// Responses that reuse a campaign's text without being copies of it: the template with a
// paragraph of the respondent's own, or only part of the template. Such a text shares about a
// third of its shingles with the template (below SAME_CAMPAIGN), yet most of its own text comes
// from it, or it holds most of the template. What tells them apart from independently written
// responses on the same subject is containment, not similarity: the share of one text's
// shingles that are also the other's.
//
// Pure: no I/O. The rebuild's worker (campaign-worker.ts) and the incremental update
// (app/models/campaigns.server.ts) apply the same rule, reuseKind, to the exact shingle sets.

import {
  PackedCampaigns,
  SAME_CAMPAIGN,
  representative as representativeOf,
} from './campaign-clusters.ts'
import {
  BANDS,
  NUM_HASHES,
  REUSE_BANDS,
  minhashSketch,
  normaliseForShingles,
  reuseBandKey,
  shingleHashes,
} from './minhash.ts'

/** How a member came into its campaign: a near-identical copy, or the template with changes. */
export type MemberKind = 'copy' | 'template'

/**
 * A text reuses a campaign's text when at least this share of its shingles are the campaign
 * text's, or at least this share of the campaign text's shingles are its own.
 *
 * Why 0.6: the template with a paragraph of its own as long as the template keeps 0.95 of the
 * template's shingles, a partial copy of 70% of the template has 0.9 of its own from it, while
 * independently written responses on the same subject, with the same stock phrases, share under
 * 0.15 either way (tests/helpers/reuse-corpus.ts). 0.6 is "most of it", with room for edits.
 */
export const REUSE_CONTAINMENT = 0.6

/**
 * Shingles the two texts must share, whatever the shares: a one-line response that happens to
 * be a sentence of a template ("I support this proposal.") is not a campaign letter. 20
 * shingles are about two sentences.
 */
export const MIN_SHARED_SHINGLES = 20

/**
 * The containment a pair's MinHash estimate must reach before its texts are compared: below
 * REUSE_CONTAINMENT by more than twice the estimate's noise at a Jaccard similarity of 1/3
 * (a standard deviation of 0.04 in the similarity, about 0.06 in the containment).
 */
export const CANDIDATE_CONTAINMENT = 0.45

/** Representatives a text's estimate is computed against at most: those sharing most bands. */
export const REUSE_CANDIDATES = 8

/** How two texts' shingle sets overlap. */
export interface Containment {
  /** Distinct shingles in both. */
  shared: number
  /** Share of the member's shingles that are the template's. */
  ofMember: number
  /** Share of the template's shingles that are the member's. */
  ofTemplate: number
  /** Jaccard similarity of the two sets. */
  jaccard: number
}

function overlap(shared: number, member: number, template: number): Containment {
  const union = member + template - shared
  return {
    shared,
    ofMember: member ? shared / member : 0,
    ofTemplate: template ? shared / template : 0,
    jaccard: union > 0 ? shared / union : 0,
  }
}

/** The overlap of two sorted sets of distinct shingle hashes (as shingleHashes returns them). */
export function shingleContainment(member: Uint32Array, template: Uint32Array): Containment {
  let shared = 0
  for (let i = 0, j = 0; i < member.length && j < template.length;) {
    const a = member[i] as number
    const b = template[j] as number
    if (a === b) {
      shared++
      i++
      j++
    } else if (a < b) i++
    else j++
  }
  return overlap(shared, member.length, template.length)
}

/** The overlap of two texts' 3-word shingles. */
export function textContainment(member: string, template: string): Containment {
  return shingleContainment(shingleHashes(member), shingleHashes(template))
}

/**
 * How a text belongs with a campaign's text, from their exact overlap: a copy at or above
 * SAME_CAMPAIGN, the template with its own text (or part of it) at REUSE_CONTAINMENT either way
 * with MIN_SHARED_SHINGLES in common, otherwise not at all.
 */
export function reuseKind(overlap: Containment): MemberKind | null {
  if (overlap.shared > 0 && overlap.jaccard >= SAME_CAMPAIGN) return 'copy'
  if (overlap.shared < MIN_SHARED_SHINGLES) return null
  return Math.max(overlap.ofMember, overlap.ofTemplate) >= REUSE_CONTAINMENT ? 'template' : null
}

/**
 * The overlap of two texts estimated from their Jaccard similarity and sizes: the shared
 * shingles are J (|A| + |T|) / (1 + J).
 */
export function estimateContainment(
  jaccard: number,
  member: number,
  template: number,
): Containment {
  return overlap((jaccard * (member + template)) / (1 + jaccard), member, template)
}

/** Whether an estimate is worth checking on the texts (see CANDIDATE_CONTAINMENT). */
export function mayReuse(estimate: Containment): boolean {
  return (
    estimate.shared >= MIN_SHARED_SHINGLES * 0.75 &&
    Math.max(estimate.ofMember, estimate.ofTemplate) >= CANDIDATE_CONTAINMENT
  )
}

function equalPositions(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number) {
  let equal = 0
  for (let i = 0; i < NUM_HASHES; i++) if (a[aOffset + i] === b[bOffset + i]) equal++
  return equal
}

/**
 * Campaign representatives by their reuse bands (REUSE_BANDS of REUSE_ROWS), to find the one a
 * text may reuse: those sharing most bands with it are estimated, and the best estimate that
 * mayReuse is the candidate. A few thousand representatives at a million responses: a map of
 * keys is small.
 */
export class TemplateIndex {
  readonly #buckets = new Map<number, number[]>()
  readonly #signatures: Uint32Array[] = []
  readonly #sizes: number[] = []

  /** Adds a representative; its position (from 0, in order of adding) is what best() returns. */
  add(signature: Uint32Array, shingles: number): number {
    const position = this.#signatures.length
    this.#signatures.push(signature)
    this.#sizes.push(shingles)
    if (shingles === 0) return position
    for (let band = 0; band < REUSE_BANDS; band++) {
      const key = reuseBandKey(signature, 0, band)
      const bucket = this.#buckets.get(key)
      if (bucket) bucket.push(position)
      else this.#buckets.set(key, [position])
    }
    return position
  }

  /** The representative the text (signature at `offset` in `values`) may reuse, or -1. */
  best(values: Uint32Array, offset: number, shingles: number): number {
    if (shingles === 0 || this.#signatures.length === 0) return -1
    const hits = new Map<number, number>()
    for (let band = 0; band < REUSE_BANDS; band++) {
      const bucket = this.#buckets.get(reuseBandKey(values, offset, band))
      if (!bucket) continue
      for (const position of bucket) hits.set(position, (hits.get(position) ?? 0) + 1)
    }
    if (!hits.size) return -1
    const ranked = [...hits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, REUSE_CANDIDATES)
    let best = -1
    let bestScore = 0
    for (const [position] of ranked) {
      const jaccard = equalPositions(values, offset, this.#signatures[position]!, 0) / NUM_HASHES
      const estimate = estimateContainment(jaccard, shingles, this.#sizes[position]!)
      const score = Math.max(estimate.ofMember, estimate.ofTemplate)
      if (mayReuse(estimate) && score > bestScore) {
        best = position
        bestScore = score
      }
    }
    return best
  }
}

/**
 * What may reuse a campaign's text, after the copies are grouped: each text outside every
 * campaign, and each campaign's representative (for the whole campaign to join a larger one:
 * 500 copies of the template with the same paragraph added are the template with own text
 * too), with the campaign (index into `clusters`) whose representative it is to be compared
 * with. Campaigns are taken largest first, and one that may join another is no template for
 * the smaller ones, so that nothing chains. `values` holds the signatures packed, `sizes` their
 * distinct shingles; `clusters` the campaigns' texts, `representatives` the text of each.
 */
export function reuseCandidates(
  values: Uint32Array,
  sizes: ArrayLike<number>,
  clusters: ArrayLike<number>[],
  representatives: ArrayLike<number>,
): { nodes: number[]; campaigns: number[]; from: number[] } {
  const index = new TemplateIndex()
  const campaignAt: number[] = [] // the campaign of each of the index's positions
  const nodes: number[] = []
  const campaigns: number[] = []
  const from: number[] = [] // the campaign that would join (its representative is the node), or -1
  const order = clusters
    .map((nodes, c) => ({ c, size: nodes.length, first: nodes[0] as number }))
    .sort((a, b) => b.size - a.size || a.first - b.first)
  for (const { c } of order) {
    const node = representatives[c] as number
    const signature = values.subarray(node * NUM_HASHES, (node + 1) * NUM_HASHES)
    const best = index.best(values, node * NUM_HASHES, sizes[node] as number)
    if (best >= 0) {
      nodes.push(node)
      campaigns.push(campaignAt[best]!)
      from.push(c)
    } else {
      index.add(signature, sizes[node] as number)
      campaignAt.push(c)
    }
  }
  const inCampaign = new Uint8Array(sizes.length)
  for (const members of clusters)
    for (let i = 0; i < members.length; i++) inCampaign[members[i]!] = 1
  for (let node = 0; node < sizes.length; node++) {
    if (inCampaign[node]) continue
    const best = index.best(values, node * NUM_HASHES, sizes[node] as number)
    if (best < 0) continue
    nodes.push(node)
    campaigns.push(campaignAt[best]!)
    from.push(-1)
  }
  return { nodes, campaigns, from }
}

/** A campaign found in memory: its representative and members (ascending), each with its kind. */
export interface FoundCampaign {
  representative: number
  members: { id: number; kind: MemberKind }[]
}

/**
 * A rebuild's whole rule, in memory, for texts given with their ids: copies grouped by
 * PackedCampaigns (every band), a representative chosen among each campaign's first 200, then
 * every text outside a campaign compared with the representative it may reuse, and joined when
 * reuseKind says so. What campaign-worker.ts and rebuildCampaigns do in steps, with the texts
 * read again from the database for the last one; the labelled-corpus tests measure this.
 */
export function findCampaigns(texts: { id: number; text: string }[]): FoundCampaign[] {
  const n = texts.length
  const values = new Uint32Array(n * NUM_HASHES)
  const sizes = new Int32Array(n)
  texts.forEach(({ text }, i) => {
    const { signature, shingles } = minhashSketch(text)
    values.set(signature, i * NUM_HASHES)
    sizes[i] = shingles
  })
  const packed = new PackedCampaigns(values, n)
  for (let band = 0; band < BANDS; band++) packed.joinBand(band, 0)
  const clusters = packed.clusters()
  const representatives = clusters.map((nodes) =>
    representativeOf(
      nodes.slice(0, 200).map((node) => ({
        id: node,
        signature: values.subarray(node * NUM_HASHES, (node + 1) * NUM_HASHES),
      })),
    ),
  )
  const found: FoundCampaign[] = clusters.map((nodes, c) => ({
    representative: texts[representatives[c]!]!.id,
    members: nodes.map((node) => ({ id: texts[node]!.id, kind: 'copy' as MemberKind })),
  }))
  const candidates = reuseCandidates(values, sizes.subarray(0, n), clusters, representatives)
  const merged = new Set<number>()
  candidates.nodes.forEach((node, i) => {
    const c = candidates.campaigns[i]!
    const kind = reuseKind(textContainment(texts[node]!.text, texts[representatives[c]!]!.text))
    if (!kind) return
    const joining = candidates.from[i]!
    if (joining < 0) {
      found[c]!.members.push({ id: texts[node]!.id, kind })
      return
    }
    for (const member of found[joining]!.members) found[c]!.members.push({ ...member, kind })
    merged.add(joining)
  })
  const kept = found.filter((_, c) => !merged.has(c))
  for (const campaign of kept) campaign.members.sort((a, b) => a.id - b.id)
  return kept
}

/** A text's sentences (and lines), as a reader would tell them apart. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * What a member adds to its campaign's text (its sentences that the text does not have) and what
 * it leaves out (the text's sentences it does not have). Sentences are compared as the shingles
 * are (case, accents and punctuation aside), each listed once, in the order of its text.
 */
export function templateDifferences(
  member: string,
  template: string,
): { additions: string[]; omissions: string[] } {
  const keyed = (text: string) => {
    const seen = new Set<string>()
    const out: { key: string; sentence: string }[] = []
    for (const sentence of sentencesOf(text)) {
      const key = normaliseForShingles(sentence)
      if (key === '' || seen.has(key)) continue
      seen.add(key)
      out.push({ key, sentence })
    }
    return { keys: seen, sentences: out }
  }
  const own = keyed(member)
  const base = keyed(template)
  return {
    additions: own.sentences.filter((s) => !base.keys.has(s.key)).map((s) => s.sentence),
    omissions: base.sentences.filter((s) => !own.keys.has(s.key)).map((s) => s.sentence),
  }
}
