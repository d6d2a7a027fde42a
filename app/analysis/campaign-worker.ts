// The CPU work of a campaign rebuild, in a worker thread (app/jobs/campaign-thread.server.ts):
// signing a million texts, sorting 32 bands of a million keys and joining them takes over a
// minute, and on the server's own thread each band's sort alone held every request for 150 ms.
// The thread keeps the signatures packed (see PackedCampaigns) and answers one request at a
// time; the database stays on the server's thread.
import { endianness } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { PackedCampaigns, representative } from './campaign-clusters.ts'
import { NUM_HASHES, minhashSignature, signatureToBytes } from './minhash.ts'
import { yieldCpuToServer } from '../utils/thread-priority.server.ts'

export type CampaignRequest =
  | { op: 'sign'; ids: Int32Array; texts: string[] }
  | { op: 'band'; band: number; keep: number }
  | { op: 'clusters' }

export type CampaignReply =
  | { op: 'sign'; signatures: Uint8Array }
  | { op: 'band'; keys: Float64Array; starts: Int32Array; ids: Int32Array }
  | { op: 'clusters'; representatives: Int32Array; starts: Int32Array; ids: Int32Array }
  | { op: 'error'; message: string }

const LITTLE_ENDIAN = endianness() === 'LE'
const BYTES = NUM_HASHES * 4

let ids = new Int32Array(1024)
let values = new Uint32Array(ids.length * NUM_HASHES)
let n = 0
let packed: PackedCampaigns | null = null

function grow(needed: number) {
  if (needed <= ids.length) return
  const size = Math.max(needed, Math.ceil(ids.length * 1.25))
  const grownIds = new Int32Array(size)
  grownIds.set(ids.subarray(0, n))
  ids = grownIds
  const grownValues = new Uint32Array(size * NUM_HASHES)
  grownValues.set(values.subarray(0, n * NUM_HASHES))
  values = grownValues
}

function sign(batchIds: Int32Array, texts: string[]): Uint8Array {
  grow(n + batchIds.length)
  const out = new Uint8Array(batchIds.length * BYTES)
  for (let i = 0; i < batchIds.length; i++) {
    const signature = minhashSignature(texts[i] ?? '')
    values.set(signature, n * NUM_HASHES)
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
  return {
    reply: { op: 'clusters', representatives, starts, ids: memberIds },
    transfer: [representatives.buffer, starts.buffer, memberIds.buffer],
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
