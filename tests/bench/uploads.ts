// The benchmark's upload phase: many responses at once, each with every file at its largest
// (10 files of just under 10 MB by default), streamed from one buffer so the client holds little.
// Those past the server's memory budget are answered 503 and sent again, sooner than their
// Retry-After asks (a patient client waits 10 s; the phase would only take longer).
import { randomUUID } from 'node:crypto'
import http from 'node:http'

export interface UploadPhase {
  stored: number
  /** 503 answers (told to retry), over all attempts. */
  busy: number
  failed: number
  seconds: number
  /** Bytes of files stored, in MB. */
  megabytes: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends one response with `files` files of `fileBytes` each; resolves with its status. */
function sendOnce({
  port,
  origin,
  path,
  fields,
  files,
  file,
}: {
  port: number
  origin: string
  path: string
  fields: Record<string, string>
  files: number
  file: Buffer
}): Promise<number> {
  const boundary = `----benchUpload${randomUUID()}`
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join(''),
  )
  const fileHead = (i: number) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="annex-${i}.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    )
  const crlf = Buffer.from('\r\n')
  const tail = Buffer.from(`--${boundary}--\r\n`)
  const length =
    head.byteLength +
    Array.from({ length: files }, (_, i) => fileHead(i).byteLength + file.byteLength + 2).reduce(
      (a, b) => a + b,
      0,
    ) +
    tail.byteLength
  return new Promise<number>((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          // The public Host, as a proxy in front of several servers forwards it.
          Host: new URL(origin).host,
          Origin: origin,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': length,
        },
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      },
    )
    request.on('error', () => resolve(0))
    const write = async () => {
      const pieces: Buffer[] = [head]
      for (let i = 0; i < files; i++) pieces.push(fileHead(i), file, crlf)
      pieces.push(tail)
      for (const piece of pieces) {
        if (!request.write(piece)) await new Promise((r) => request.once('drain', r))
      }
      request.end()
    }
    void write()
  })
}

/**
 * `clients` maximum-size responses at once, each sent again on 503 until stored; with several
 * ports, the clients are dealt among the servers in turn and each keeps to its own.
 */
export async function runUploadPhase({
  ports,
  origin,
  path,
  fields,
  clients,
  files,
  fileBytes,
}: {
  ports: number[]
  origin: string
  path: string
  /** Every field but the submission key. */
  fields: Record<string, string>
  clients: number
  files: number
  fileBytes: number
}): Promise<UploadPhase> {
  const file = Buffer.alloc(fileBytes, 0x20)
  file.write('%PDF-1.4\n')
  let stored = 0
  let busy = 0
  let failed = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const port = ports[client % ports.length]!
      const key = randomUUID()
      for (let attempt = 0; attempt < 500; attempt++) {
        const status = await sendOnce({
          port,
          origin,
          path,
          fields: { submissionKey: key, ...fields },
          files,
          file,
        })
        if (status === 302) {
          stored++
          return
        }
        if (status !== 503) {
          failed++
          return
        }
        busy++
        await sleep(500 + Math.random() * 500)
      }
      failed++
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { stored, busy, failed, seconds, megabytes: (stored * files * fileBytes) / 1e6 }
}
