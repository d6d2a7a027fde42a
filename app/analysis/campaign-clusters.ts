// Groups consultation responses into mass campaigns from their MinHash signatures.
//
// The clusters are the connected components of a graph: two texts are linked when their
// signatures share an LSH band key (see minhash.ts) and their estimated Jaccard similarity is at
// least the threshold. Components do not depend on the order texts arrive in, so CampaignIndex and
// clusterSignatures agree, and a campaign does not split or merge depending on which copy came
// first. One exception keeps adds cheap: a new text is compared with at most BUCKET_SAMPLE members
// of each bucket. Without that bound, a large campaign whose copies are all just below the
// threshold makes every add compare with every earlier copy (20,000 such texts took 8 minutes;
// bounded, 8 seconds). Copies of a campaign match whichever members they meet, so only a
// borderline text that matches nothing but an old member of a bucket of more than BUCKET_SAMPLE
// texts can be clustered differently depending on the order.
//
// Texts with no words (all-0xffffffff signatures) are never part of a campaign: a hundred blank
// responses are not a form letter.

import { BANDS, NUM_HASHES, bandKey, bandKeys } from './minhash.ts'

/**
 * Two texts belong to the same campaign when their estimated Jaccard similarity is at least this.
 *
 * Why 0.5: a form letter with its greeting, sign-off, a few words and a sentence changed still
 * shares most of its 3-word shingles with other copies (synthetic corpus in the tests: mean 0.75,
 * 99% of pairs above 0.55), while independently written responses on the same subject share
 * almost none even with the same stock phrases ("export controls", "human rights": under 0.06).
 * 0.5 sits between them with room for the estimate's noise (standard deviation 0.044 at 0.5 with
 * 128 hashes) and means "at least half of the two texts together is common wording": someone who
 * doubles a template with paragraphs of their own no longer counts as sending the form letter. It
 * is also just above the LSH S-curve's midpoint (0.42), so a pair at the threshold is a candidate
 * 87% of the time directly and nearly always through other copies; a lower threshold would miss
 * more pairs in LSH and let campaigns sharing a paragraph chain into one cluster.
 */
export const SAME_CAMPAIGN = 0.5

// How many members of a bucket a new text is compared with: the first, often the organisers' own
// submission, and the 8 most recent ones. Copies of a campaign meet dozens of its members across
// the 32 bands, so a small window loses none of them (precision and recall 1 on the
// benchmark's million); it was 33, and texts that share many phrases without being copies (the
// benchmark's Japanese responses, built from ten stock phrases) spent most of a rebuild in
// comparisons that failed.
const BUCKET_SAMPLE = 9

export interface SignedText {
  id: number
  signature: Uint32Array
}

/**
 * Groups texts into campaigns: LSH buckets find candidate pairs, pairs at or above SAME_CAMPAIGN
 * are joined with union-find. Returns clusters of 2+ ids (each sorted ascending), sorted by size
 * descending then smallest id; singletons are not returned.
 */
export function clusterSignatures(texts: SignedText[], threshold = SAME_CAMPAIGN): number[][] {
  const index = new CampaignIndex(threshold)
  for (const text of texts) index.add(text)
  return index.clusters()
}

/**
 * An incremental index: add texts one by one (each add costs O(BANDS + candidates)), ask which
 * cluster a text is in. Gives the same clusters as clusterSignatures for the same texts, in any
 * order of adding (up to the bucket bound explained at the top).
 */
export class CampaignIndex {
  readonly #needed: number // equal positions needed to reach the threshold
  readonly #ids: number[] = []
  readonly #signatures: Uint32Array[] = []
  readonly #nodeOfId = new Map<number, number>()
  readonly #parent: number[] = []
  readonly #members: number[][] = [] // for each root, the nodes of its component
  readonly #buckets = new Map<number, number[]>() // band key → nodes, in order of adding
  // Hash of the whole signature → nodes with distinct signatures. An exact copy joins its twin
  // and stays out of the buckets, since every link it could have its twin has too: thousands of
  // identical submissions then cost one lookup each and leave the buckets small.
  readonly #distinct = new Map<number, number[]>()

  /** An empty index joining texts at or above `threshold` (estimated Jaccard similarity). */
  constructor(threshold = SAME_CAMPAIGN) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new RangeError(`threshold must be between 0 and 1: ${threshold}`)
    }
    // The smallest count of equal positions whose estimate, computed as estimateJaccard does,
    // reaches the threshold: comparing integers avoids rounding disagreements at the boundary.
    let needed = 0
    while (needed / NUM_HASHES < threshold) needed++
    this.#needed = needed
  }

  /** Adds a text; returns the ids it was joined with, one per cluster joined (empty if none). */
  add(text: SignedText): number[] {
    const { id, signature } = text
    if (signature.length !== NUM_HASHES) {
      throw new RangeError(`a signature has ${NUM_HASHES} values, not ${signature.length}`)
    }
    if (this.#nodeOfId.has(id)) throw new Error(`text ${id} was already added`)
    const node = this.#ids.length
    this.#ids.push(id)
    this.#signatures.push(signature)
    this.#nodeOfId.set(id, node)
    this.#parent.push(node)
    this.#members.push([node])
    if (signature.every((value) => value === 0xffffffff)) return []

    const hash = hashSignature(signature)
    const twins = this.#distinct.get(hash)
    const twin = twins?.find((other) => sameValues(signature, this.#signatures[other]))
    if (twin !== undefined) {
      this.#union(node, twin)
      return [this.#ids[twin] as number]
    }
    if (twins) twins.push(node)
    else this.#distinct.set(hash, [node])

    const joined: number[] = []
    const compared = new Set<number>() // a text sharing several bands is compared once
    const tryJoin = (other: number) => {
      if (this.#find(other) === this.#find(node) || compared.has(other)) return
      compared.add(other)
      if (this.#similar(signature, this.#signatures[other] as Uint32Array)) {
        this.#union(node, other)
        joined.push(this.#ids[other] as number)
      }
    }
    const buckets: number[][] = []
    for (const key of bandKeys(signature)) {
      let bucket = this.#buckets.get(key)
      if (!bucket) {
        bucket = []
        this.#buckets.set(key, bucket)
      }
      if (bucket.length > 0) tryJoin(bucket[0] as number)
      for (let i = bucket.length - 1; i >= Math.max(1, bucket.length - BUCKET_SAMPLE + 1); i--) {
        tryJoin(bucket[i] as number)
      }
      buckets.push(bucket)
    }
    for (const bucket of buckets) bucket.push(node)
    return joined.sort((a, b) => a - b)
  }

  /** The cluster (sorted ids, 2+) the id belongs to, or null if it stands alone or is unknown. */
  clusterOf(id: number): number[] | null {
    const node = this.#nodeOfId.get(id)
    if (node === undefined) return null
    const members = this.#members[this.#find(node)] as number[]
    return members.length < 2 ? null : this.#sortedIds(members)
  }

  /** All clusters of 2+, as clusterSignatures returns them. */
  clusters(): number[][] {
    const clusters: number[][] = []
    for (let node = 0; node < this.#parent.length; node++) {
      const members = this.#members[node] as number[]
      if (this.#parent[node] === node && members.length >= 2) {
        clusters.push(this.#sortedIds(members))
      }
    }
    return clusters.sort((a, b) => b.length - a.length || (a[0] as number) - (b[0] as number))
  }

  #sortedIds(nodes: number[]): number[] {
    return nodes.map((node) => this.#ids[node] as number).sort((a, b) => a - b)
  }

  #similar(a: Uint32Array, b: Uint32Array): boolean {
    let equal = 0
    for (let i = 0; i < NUM_HASHES; i++) {
      if (a[i] === b[i]) equal++
      else if (NUM_HASHES - 1 - i + equal < this.#needed) return false
    }
    return equal >= this.#needed
  }

  #find(node: number): number {
    let root = node
    while (this.#parent[root] !== root) root = this.#parent[root] as number
    while (node !== root) {
      const next = this.#parent[node] as number
      this.#parent[node] = root
      node = next
    }
    return root
  }

  // Union by size, so that moving the smaller member list keeps the total work O(n log n).
  #union(a: number, b: number): void {
    let rootA = this.#find(a)
    let rootB = this.#find(b)
    if (rootA === rootB) return
    let membersA = this.#members[rootA] as number[]
    let membersB = this.#members[rootB] as number[]
    if (membersA.length < membersB.length) {
      ;[rootA, rootB] = [rootB, rootA]
      ;[membersA, membersB] = [membersB, membersA]
    }
    this.#parent[rootB] = rootA
    for (const member of membersB) membersA.push(member)
    this.#members[rootB] = []
  }
}

/**
 * A band's buckets, flat: bucket i has key keys[i] and its kept texts are
 * nodes[starts[i]] to nodes[starts[i + 1] - 1].
 */
export interface BandBuckets {
  keys: Float64Array
  starts: Int32Array
  nodes: Int32Array
}

/** The kept texts of a band's bucket i. */
export function bucketNodes(buckets: BandBuckets, i: number): Int32Array {
  return buckets.nodes.subarray(buckets.starts[i], buckets.starts[i + 1])
}

/**
 * The clusters of many texts at once, for rebuilding a round's campaigns: the same components as
 * adding the texts to a CampaignIndex in order, in a fraction of the memory. The signatures sit
 * one after another in one array (n * NUM_HASHES values, text i at i * NUM_HASHES); instead of a
 * map of band keys, each band's keys are sorted, so that a bucket is a run of equal keys. The
 * extra memory is about 40 bytes per text, against over a kilobyte for a CampaignIndex.
 *
 * Texts are known by their index; call joinBand for every band (in any order), then clusters().
 */
export class PackedCampaigns {
  readonly #values: Uint32Array
  readonly #n: number
  readonly #needed: number
  readonly #parent: Int32Array
  readonly #size: Int32Array
  // The texts that take part in the buckets: not blank, and not an exact copy of an earlier one
  // (which is joined to its twin at once, as CampaignIndex does).
  readonly #bucketed: Int32Array

  constructor(values: Uint32Array, n: number, threshold = SAME_CAMPAIGN) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new RangeError(`threshold must be between 0 and 1: ${threshold}`)
    }
    if (!Number.isInteger(n) || n < 0 || values.length < n * NUM_HASHES) {
      throw new RangeError(`${n} signatures need ${n * NUM_HASHES} values, not ${values.length}`)
    }
    this.#values = values
    this.#n = n
    let needed = 0
    while (needed / NUM_HASHES < threshold) needed++
    this.#needed = needed
    this.#parent = Int32Array.from({ length: n }, (_, i) => i)
    this.#size = new Int32Array(n).fill(1)

    const hashes = new Uint32Array(n)
    for (let node = 0; node < n; node++) hashes[node] = this.#hashOf(node)
    const bucketed: number[] = []
    forEachRun(hashes, sortedByKey(hashes, n), (run, from, to) => {
      // Usually one signature per hash; several when different texts' hashes collide.
      const leaders: number[] = []
      for (let i = from; i < to; i++) {
        const node = run[i] as number
        if (this.#blank(node)) continue
        const twin = leaders.find((leader) => this.#same(node, leader))
        if (twin === undefined) leaders.push(node)
        else this.#union(node, twin)
      }
      for (const leader of leaders) bucketed.push(leader)
    })
    this.#bucketed = Int32Array.from(bucketed).sort()
  }

  /**
   * Compares the texts that share a key in this band, each with the first text of the bucket
   * and the BUCKET_SAMPLE - 1 before it, as CampaignIndex.add does; joins the similar ones.
   * Returns the band's buckets: each key with its first `keep` texts, in index order.
   */
  joinBand(band: number, keep: number): BandBuckets {
    if (!Number.isInteger(band) || band < 0 || band >= BANDS) {
      throw new RangeError(`a band is an integer from 0 to ${BANDS - 1}: ${band}`)
    }
    const nodes = this.#bucketed
    const keys = new Uint32Array(nodes.length)
    const base = band * 0x100000000
    for (let i = 0; i < nodes.length; i++) {
      keys[i] = bandKey(this.#values, (nodes[i] as number) * NUM_HASHES, band) - base
    }
    // Flat arrays, not an object per bucket: a band of a million texts has nearly a million
    // buckets, and as many small arrays needed more than a 128 MB heap.
    const bucketKeys = new Float64Array(keep > 0 ? nodes.length : 0)
    const starts = new Int32Array(bucketKeys.length + 1)
    const kept = new Int32Array(keep > 0 ? nodes.length : 0)
    let count = 0
    let members = 0
    const order = sortedByKey(keys, nodes.length)
    // Runs of equal keys are the buckets; written as plain loops, since this runs 32 million
    // times at a million texts.
    for (let from = 0, to = 1; from < order.length; from = to, to = from + 1) {
      const key = keys[order[from]!]!
      while (to < order.length && keys[order[to]!] === key) to++
      if (keep > 0) {
        bucketKeys[count++] = base + key
        for (let i = from; i < Math.min(to, from + keep); i++) kept[members++] = nodes[order[i]!]!
        starts[count] = members
      }
      if (to - from < 2) continue
      const first = nodes[order[from]!]!
      // While every text so far in the bucket is in one cluster, a text already in it has
      // nothing to compare: the usual case in a campaign's buckets, thousands of texts long.
      let oneCluster = true
      for (let j = from + 1; j < to; j++) {
        const node = nodes[order[j]!]!
        let root = this.#find(node)
        if (root === this.#find(first)) {
          if (oneCluster) continue
        } else if (this.#similar(node, first)) {
          this.#union(node, first)
          root = this.#find(node)
        }
        for (let i = j - 1; i >= Math.max(from + 1, j - BUCKET_SAMPLE + 1); i--) {
          const other = nodes[order[i]!]!
          if (this.#find(other) === root) continue
          if (this.#similar(node, other)) {
            this.#union(node, other)
            root = this.#find(node)
          }
        }
        if (root !== this.#find(first)) oneCluster = false
      }
    }
    return {
      keys: bucketKeys.subarray(0, count),
      starts: starts.subarray(0, count + 1),
      nodes: kept.subarray(0, members),
    }
  }

  /** Clusters of 2+ texts, as lists of indices (ascending), in order of their first index. */
  clusters(): number[][] {
    const byRoot = new Map<number, number[]>()
    for (let node = 0; node < this.#n; node++) {
      const root = this.#find(node)
      if (this.#size[root]! < 2) continue
      const members = byRoot.get(root)
      if (members) members.push(node)
      else byRoot.set(root, [node])
    }
    return [...byRoot.values()]
  }

  #similar(a: number, b: number): boolean {
    const values = this.#values
    const offsetA = a * NUM_HASHES
    const offsetB = b * NUM_HASHES
    let equal = 0
    for (let i = 0; i < NUM_HASHES; i++) {
      if (values[offsetA + i] === values[offsetB + i]) equal++
      else if (NUM_HASHES - 1 - i + equal < this.#needed) return false
    }
    return equal >= this.#needed
  }

  #hashOf(node: number): number {
    let h = 0x811c9dc5
    for (let i = node * NUM_HASHES; i < (node + 1) * NUM_HASHES; i++) {
      h = Math.imul(h ^ (this.#values[i] as number), 0x01000193)
      h ^= h >>> 15
    }
    return h >>> 0
  }

  #blank(node: number): boolean {
    for (let i = node * NUM_HASHES; i < (node + 1) * NUM_HASHES; i++) {
      if (this.#values[i] !== 0xffffffff) return false
    }
    return true
  }

  #same(a: number, b: number): boolean {
    for (let i = 0; i < NUM_HASHES; i++) {
      if (this.#values[a * NUM_HASHES + i] !== this.#values[b * NUM_HASHES + i]) return false
    }
    return true
  }

  #find(node: number): number {
    const parent = this.#parent
    let root = node
    while (parent[root] !== root) root = parent[root] as number
    while (node !== root) {
      const next = parent[node] as number
      parent[node] = root
      node = next
    }
    return root
  }

  #union(a: number, b: number): void {
    let rootA = this.#find(a)
    let rootB = this.#find(b)
    if (rootA === rootB) return
    if (this.#size[rootA]! < this.#size[rootB]!) [rootA, rootB] = [rootB, rootA]
    this.#parent[rootB] = rootA
    this.#size[rootA]! += this.#size[rootB]!
  }
}

// Positions 0..n-1 ordered by (key, position): a packed float sort when the position fits in the
// 21 bits a double has beside a 32-bit key, a comparison sort beyond two million texts.
function sortedByKey(keys: Uint32Array, n: number): Uint32Array {
  if (n <= 1 << 21) {
    const packed = new Float64Array(n)
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * 2097152 + i
    packed.sort()
    const order = new Uint32Array(n)
    for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % 2097152
    return order
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  return order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b)
}

// Calls visit(order, from, to) for each run order[from..to) of positions with equal keys.
function forEachRun(
  keys: Uint32Array,
  order: Uint32Array,
  visit: (order: Uint32Array, from: number, to: number) => void,
): void {
  let from = 0
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || keys[order[i] as number] !== keys[order[from] as number]) {
      visit(order, from, i)
      from = i
    }
  }
}

/** clusterSignatures over packed signatures: all bands joined, clusters as lists of indices. */
export function clusterPacked(
  values: Uint32Array,
  n: number,
  threshold = SAME_CAMPAIGN,
): number[][] {
  const packed = new PackedCampaigns(values, n, threshold)
  for (let band = 0; band < BANDS; band++) packed.joinBand(band, 0)
  return packed.clusters()
}

/** Precision and recall of found clusters against known ones, over pairs of ids. */
export function pairwisePrecisionRecall(
  found: number[][],
  truth: number[][],
): { precision: number; recall: number } {
  const truthOf = new Map<number, number>()
  truth.forEach((cluster, label) => {
    for (const id of cluster) {
      if (truthOf.has(id)) throw new Error(`id ${id} is in two known clusters`)
      truthOf.set(id, label)
    }
  })
  const pairs = (n: number) => (n * (n - 1)) / 2
  // Pairs both found and known: within each found cluster, the pairs of ids sharing a known one.
  let together = 0
  let foundPairs = 0
  const seen = new Set<number>()
  for (const cluster of found) {
    const perLabel = new Map<number, number>()
    for (const id of cluster) {
      if (seen.has(id)) throw new Error(`id ${id} is in two found clusters`)
      seen.add(id)
      const label = truthOf.get(id)
      if (label !== undefined) perLabel.set(label, (perLabel.get(label) ?? 0) + 1)
    }
    for (const count of perLabel.values()) together += pairs(count)
    foundPairs += pairs(cluster.length)
  }
  const truthPairs = truth.reduce((sum, cluster) => sum + pairs(cluster.length), 0)
  // With nothing claimed (or nothing to find), nothing was got wrong (or missed).
  return {
    precision: foundPairs === 0 ? 1 : together / foundPairs,
    recall: truthPairs === 0 ? 1 : together / truthPairs,
  }
}

/** The id of the member most similar on average to the others (ties: smallest id). */
export function representative(members: SignedText[]): number {
  if (members.length === 0) throw new RangeError('a cluster without members has no representative')
  // A member's summed similarity to the others is, position by position, the number of others
  // holding the same value there; counting values per position makes this O(n) instead of O(n²).
  const counts = Array.from({ length: NUM_HASHES }, () => new Map<number, number>())
  for (const { signature } of members) {
    counts.forEach((count, i) => {
      const value = signature[i] as number
      count.set(value, (count.get(value) ?? 0) + 1)
    })
  }
  let best = members[0] as SignedText
  let bestScore = -1
  for (const member of members) {
    let score = 0
    counts.forEach((count, i) => {
      score += count.get(member.signature[i] as number) as number
    })
    if (score > bestScore || (score === bestScore && member.id < best.id)) {
      best = member
      bestScore = score
    }
  }
  return best.id
}

function hashSignature(signature: Uint32Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < signature.length; i++) {
    h = Math.imul(h ^ (signature[i] as number), 0x01000193)
    h ^= h >>> 15
  }
  return h >>> 0
}

function sameValues(a: Uint32Array, b: Uint32Array | undefined): boolean {
  if (!b || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
