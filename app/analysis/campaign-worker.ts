// The CPU work of a campaign rebuild, in a worker thread (app/jobs/campaign-thread.server.ts):
// signing a million texts, sorting 32 bands of a million keys and joining them takes over a
// minute, and on the server's own thread each band's sort alone held every request for 150 ms.
// The thread keeps the signatures packed (see PackedCampaigns) and answers one request at a
// time; the database stays on the server's thread.
import { endianness } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { PackedCampaigns, representative } from './campaign-clusters.ts'
import { reuseCandidates, reuseKind, shingleContainment } from './campaign-reuse.ts'
import {
  NUM_HASHES,
  REUSE_BANDS,
  minhashSketch,
  reuseBandKey,
  shingleHashes,
  signatureToBytes,
} from './minhash.ts'
import { yieldCpuToServer } from '../utils/thread-priority.server.ts'

export type CampaignRequest =
  | { op: 'sign'; ids: Int32Array; texts: string[] }
  | { op: 'band'; band: number; keep: number }
  | { op: 'clusters' }
  | { op: 'templates'; ids: Int32Array; texts: string[] }
  | { op: 'reuse'; ids: Int32Array; texts: string[]; templates: Int32Array }

export type CampaignReply =
  | { op: 'sign'; signatures: Uint8Array }
  | { op: 'band'; keys: Float64Array; starts: Int32Array; ids: Int32Array }
  | {
      op: 'clusters'
      representatives: Int32Array
      starts: Int32Array
      ids: Int32Array
      /** Each representative's REUSE_BANDS keys, in campaign order. */
      reuseKeys: Float64Array
      /** Texts that may reuse a campaign's text, and that campaign (its index). */
      candidates: Int32Array
      candidateCampaigns: Int32Array
      /** -1 for a text outside every campaign, or the campaign it represents, to join whole. */
      candidateFrom: Int32Array
    }
  | { op: 'templates' }
  /** For each text of a 'reuse' request: 0 if it does not join, 1 a copy, 2 the template with changes. */
  | { op: 'reuse'; kinds: Uint8Array }
  | { op: 'error'; message: string }

const LITTLE_ENDIAN = endianness() === 'LE'
const BYTES = NUM_HASHES * 4

let ids = new Int32Array(1024)
let values = new Uint32Array(ids.length * NUM_HASHES)
let sizes = new Int32Array(ids.length) // distinct shingles of each text
let n = 0
let packed: PackedCampaigns | null = null
// The shingles of the representatives that texts are compared with, by response id.
const templates = new Map<number, Uint32Array>()

function grow(needed: number) {
  if (needed <= ids.length) return
  const size = Math.max(needed, Math.ceil(ids.length * 1.25))
  const grownIds = new Int32Array(size)
  grownIds.set(ids.subarray(0, n))
  ids = grownIds
  const grownValues = new Uint32Array(size * NUM_HASHES)
  grownValues.set(values.subarray(0, n * NUM_HASHES))
  values = grownValues
  const grownSizes = new Int32Array(size)
  grownSizes.set(sizes.subarray(0, n))
  sizes = grownSizes
}

function sign(batchIds: Int32Array, texts: string[]): Uint8Array {
  grow(n + batchIds.length)
  const out = new Uint8Array(batchIds.length * BYTES)
  for (let i = 0; i < batchIds.length; i++) {
    const { signature, shingles } = minhashSketch(texts[i] ?? '')
    values.set(signature, n * NUM_HASHES)
    sizes[n] = shingles
    ids[n++] = batchIds[i]!
    out.set(
      LITTLE_ENDIAN
        ? new Uint8Array(signature.buffer, signature.byteOffset, BYTES)
        : signatureToBytes(signature),
      i * BYTES,
    )
  }
  return out
}

function handle(request: CampaignRequest): { reply: CampaignReply; transfer: ArrayBuffer[] } {
  if (request.op === 'sign') {
    const signatures = sign(request.ids, request.texts)
    return { reply: { op: 'sign', signatures }, transfer: [signatures.buffer as ArrayBuffer] }
  }
  if (request.op === 'templates') {
    request.texts.forEach((text, i) => templates.set(request.ids[i]!, shingleHashes(text)))
    return { reply: { op: 'templates' }, transfer: [] }
  }
  if (request.op === 'reuse') {
    const kinds = new Uint8Array(request.ids.length)
    request.texts.forEach((text, i) => {
      const template = templates.get(request.templates[i]!)
      if (!template) return
      const kind = reuseKind(shingleContainment(shingleHashes(text), template))
      kinds[i] = kind === 'copy' ? 1 : kind === 'template' ? 2 : 0
    })
    return { reply: { op: 'reuse', kinds }, transfer: [kinds.buffer] }
  }
  packed ??= new PackedCampaigns(values, n)
  if (request.op === 'band') {
    const { keys, starts, nodes } = packed.joinBand(request.band, request.keep)
    const memberIds = Int32Array.from(nodes, (node) => ids[node]!)
    const reply = {
      op: 'band' as const,
      keys: keys.slice(),
      starts: starts.slice(),
      ids: memberIds,
    }
    return { reply, transfer: [reply.keys.buffer, reply.starts.buffer, memberIds.buffer] }
  }
  const clusters = packed.clusters()
  const starts = new Int32Array(clusters.length + 1)
  let total = 0
  clusters.forEach((nodes, i) => {
    total += nodes.length
    starts[i + 1] = total
  })
  const memberIds = new Int32Array(total)
  const representatives = new Int32Array(clusters.length)
  clusters.forEach((nodes, i) => {
    nodes.forEach((node, k) => (memberIds[starts[i]! + k] = ids[node]!))
    // Chosen among the first 200 members: comparing every pair of a 60,000-member campaign
    // would cost more than the whole rebuild.
    representatives[i] = representative(
      nodes.slice(0, 200).map((node) => ({
        id: ids[node]!,
        signature: values.subarray(node * NUM_HASHES, (node + 1) * NUM_HASHES),
      })),
    )
  })
  // The texts outside every campaign that may reuse one (campaign-reuse.ts),
  // found from the representatives' reuse bands; the server reads their texts to check them.
  const nodeOf = new Map<number, number>()
  clusters.forEach((nodes) => nodes.slice(0, 200).forEach((node) => nodeOf.set(ids[node]!, node)))
  const repNodes = Array.from(representatives, (id) => nodeOf.get(id)!)
  const found = reuseCandidates(values, sizes.subarray(0, n), clusters, repNodes)
  const candidates = Int32Array.from(found.nodes, (node) => ids[node]!)
  const candidateCampaigns = Int32Array.from(found.campaigns)
  const candidateFrom = Int32Array.from(found.from)
  const reuseKeys = new Float64Array(repNodes.length * REUSE_BANDS)
  repNodes.forEach((node, c) => {
    for (let band = 0; band < REUSE_BANDS; band++)
      reuseKeys[c * REUSE_BANDS + band] = reuseBandKey(values, node * NUM_HASHES, band)
  })
  return {
    reply: {
      op: 'clusters',
      representatives,
      starts,
      ids: memberIds,
      reuseKeys,
      candidates,
      candidateCampaigns,
      candidateFrom,
    },
    transfer: [
      representatives.buffer,
      starts.buffer,
      memberIds.buffer,
      reuseKeys.buffer,
      candidates.buffer,
      candidateCampaigns.buffer,
      candidateFrom.buffer,
    ],
  }
}

// The server's own thread comes first: it answers the requests meanwhile.
yieldCpuToServer()
parentPort?.on('message', (request: CampaignRequest) => {
  try {
    const { reply, transfer } = handle(request)
    parentPort!.postMessage(reply, transfer)
  } catch (error) {
    parentPort!.postMessage({
      op: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies CampaignReply)
  }
})
