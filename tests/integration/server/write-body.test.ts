import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import { writeBody } from '#app/server/http.server.ts'

const CHUNK = 64 * 1024
const CHUNKS = 800 // 50 MB in all

/** A body that makes its chunks only when asked for them, and counts how many it made. */
function countingBody() {
  const counter = { made: 0 }
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.made === CHUNKS) return controller.close()
        counter.made++
        controller.enqueue(new Uint8Array(CHUNK).fill(97))
      },
    },
    { highWaterMark: 0 },
  )
  return { body, counter }
}

test('a streamed body is made only as fast as the client reads it', async () => {
  const { body, counter } = countingBody()
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    void writeBody(body, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    const received = await new Promise<number>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        // The client stops reading for a while: the server must stop making the body.
        res.pause()
        setTimeout(() => {
          // Socket and stream buffers hold a few megabytes; without backpressure the whole
          // 50 MB would have been made by now.
          expect(counter.made * CHUNK).toBeLessThan(16 * 1024 * 1024)
          let bytes = 0
          res.on('data', (chunk: Buffer) => (bytes += chunk.length))
          res.on('end', () => resolve(bytes))
          res.resume()
        }, 500)
      })
      req.on('error', reject)
      req.end()
    })
    expect(received).toBe(CHUNK * CHUNKS)
    expect(counter.made).toBe(CHUNKS)
  } finally {
    server.close()
  }
})

test('a client that goes away stops the body being made', async () => {
  const { body, counter } = countingBody()
  let finished: Promise<void> | undefined
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    finished = writeBody(body, res).catch(() => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    await new Promise<void>((resolve) => {
      const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        res.pause()
        setTimeout(() => {
          req.destroy()
          resolve()
        }, 200)
      })
      req.on('error', () => {})
      req.end()
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await finished
    expect(counter.made).toBeLessThan(CHUNKS / 2)
  } finally {
    server.close()
  }
})
