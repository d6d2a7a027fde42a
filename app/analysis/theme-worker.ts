// Themes found in a worker thread (app/jobs/theme-thread.server.ts): fitting a language's
// clusters and reading every response's terms takes seconds at 100,000 responses (about 7 s
// on two cores) and would hold the server's thread as long. The thread keeps the model; the
// server reads the responses from the database and posts them in batches.
import { parentPort } from 'node:worker_threads'
import { type ThemeOptions, type ThemeResult, type ThemeUnit, ThemeModel } from './themes.ts'
import { yieldCpuToServer } from '../utils/thread-priority.server.ts'

export type ThemeRequest =
  | { op: 'fit'; sample: { text: string }[]; options: ThemeOptions }
  | { op: 'assign'; units: ThemeUnit[] }
  | { op: 'result' }

export type ThemeReply =
  | { op: 'fit' }
  | { op: 'assign'; assigned: number }
  | { op: 'result'; result: ThemeResult }
  | { op: 'error'; message: string }

let model: ThemeModel | null = null

function handle(request: ThemeRequest): ThemeReply {
  if (request.op === 'fit') {
    model = new ThemeModel(request.sample, request.options)
    return { op: 'fit' }
  }
  if (!model) throw new Error('no themes fitted yet')
  if (request.op === 'assign') {
    for (const unit of request.units) model.assign(unit)
    return { op: 'assign', assigned: request.units.length }
  }
  const result = model.result()
  model = null
  return { op: 'result', result }
}

// The server's own thread comes first: it answers the requests meanwhile.
yieldCpuToServer()
parentPort?.on('message', (request: ThemeRequest) => {
  let reply: ThemeReply
  try {
    reply = handle(request)
  } catch (error) {
    reply = { op: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  parentPort!.postMessage(reply)
})
