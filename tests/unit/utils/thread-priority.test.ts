import { existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { expect, test } from 'vitest'

/** A thread's nice value, field 19 of its /proc stat line (after the parenthesised name). */
const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])

test.skipIf(!existsSync('/proc/thread-self'))(
  'a background thread lowers its own priority and leaves the server thread’s as it was',
  async () => {
    const before = niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))
    const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
    const api = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href
    const module = pathToFileURL(path.resolve('app/utils/thread-priority.server.ts')).href
    const worker = new Worker(
      `const { parentPort } = await import('node:worker_threads')
       const { readFileSync } = await import('node:fs')
       const tsx = await import(${JSON.stringify(api)})
       const { yieldCpuToServer } = await tsx.tsImport(${JSON.stringify(module)}, ${JSON.stringify(module)})
       const read = () => readFileSync('/proc/thread-self/stat', 'utf8')
       const first = read()
       yieldCpuToServer()
       parentPort.postMessage([first, read()])`,
      { eval: true, type: 'module' } as never,
    )
    const [[first, after]] = (await once(worker, 'message')) as [[string, string]]
    await worker.terminate()
    expect(niceOf(first)).toBe(before)
    expect(niceOf(after)).toBe(Math.max(10, before))
    expect(niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(before)
  },
)
