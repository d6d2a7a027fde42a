import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type AppLoadContext,
  type ServerBuild,
  createReadableStreamFromReadable,
  createRequestHandler,
} from '@remix-run/node'
import sirv from 'sirv'
import { crossSiteRefusal, isSameOriginRequest } from '#app/auth/csrf.server.ts'
import { baseSecurityHeaders } from '#app/utils/security-headers.server.ts'
import { withPageCache } from './page-cache.server.ts'
import { withDatabaseGuard } from './unavailable.server.ts'

export interface HandlerOptions {
  build: () => ServerBuild
  mode: 'production' | 'development'
  publicDir: string
  trustProxy: boolean
  logRequests: boolean
  /** The public origin, when a proxy makes the Host header differ from it. */
  publicUrl?: string
  /** A request declaring a larger body is refused (413) before any of it is read. */
  maxBodyBytes: number
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * A plain node:http handler for the Remix build: static files through sirv
 * (fingerprinted assets cached for a year), everything else through Remix.
 * No framework in between: each layer costs throughput (see README, benchmark).
 */
export function createPortalHandler(options: HandlerOptions): NodeHandler {
  const dev = options.mode === 'development'
  const assets = sirv(options.publicDir, {
    dev,
    etag: true,
    setHeaders(res, pathname) {
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/build/') && !dev
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=3600',
      )
      for (const [name, value] of Object.entries(baseSecurityHeaders)) res.setHeader(name, value)
    },
  })
  let currentBuild = options.build()
  let remix = createRequestHandler(withDatabaseGuard(currentBuild), options.mode)

  const handleWithRemix = async (req: IncomingMessage, res: ServerResponse) => {
    const build = options.build()
    if (build !== currentBuild) {
      currentBuild = build
      remix = createRequestHandler(withDatabaseGuard(build), options.mode)
    }
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const context: AppLoadContext = { clientAddress: clientAddress(req, options.trustProxy) }
    try {
      const request = toRequest(req, controller.signal, options.trustProxy)
      // Every state-changing request must come from one of our own pages.
      const response = !isSameOriginRequest(request, options.publicUrl)
        ? crossSiteRefusal()
        : dev
          ? await remix(request, context)
          : await withPageCache(request, (r) => remix(r, context))
      await writeResponse(res, response)
    } catch (error) {
      console.error(error)
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...baseSecurityHeaders })
      }
      res.end('Internal Server Error')
    }
  }

  return (req, res) => {
    // A client that goes away mid-request is not an error of the server's: never let its
    // stream errors reach the process.
    req.on('error', ignore)
    res.on('error', ignore)
    const started = options.logRequests ? performance.now() : 0
    if (options.logRequests) {
      res.on('finish', () => {
        const ms = (performance.now() - started).toFixed(1)
        // Private-link keys never reach a log.
        const url = (req.url ?? '').replace(/([?&]key=)[^&]*/g, '$1…')
        console.log(`${req.method} ${url} ${res.statusCode} ${ms} ms`)
      })
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      assets(req, res, () => void handleWithRemix(req, res))
    } else if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      refuseBody(res, options.maxBodyBytes)
    } else {
      void handleWithRemix(req, res)
    }
  }
}

function ignore() {}

/**
 * The answer to a body larger than any form takes, sent before reading it; the connection then
 * closes, so the body is never read.
 */
function refuseBody(res: ServerResponse, max: number) {
  const mb = Math.floor(max / (1024 * 1024))
  res.writeHead(413, {
    'Content-Type': 'text/plain; charset=utf-8',
    Connection: 'close',
    ...baseSecurityHeaders,
  })
  res.end(`Request too large: this portal takes at most ${mb} MB in one request.\n`)
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) return first
  }
  return req.socket.remoteAddress ?? 'unknown'
}

function toRequest(req: IncomingMessage, signal: AbortSignal, trustProxy: boolean): Request {
  const forwardedProto = trustProxy ? req.headers['x-forwarded-proto'] : undefined
  const protocol =
    typeof forwardedProto === 'string'
      ? forwardedProto.split(',')[0]!.trim()
      : 'encrypted' in req.socket
        ? 'https'
        : 'http'
  const host = req.headers.host ?? 'localhost'
  const url = new URL(req.url ?? '/', `${protocol}://${host}`)
  const headers = new Headers()
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!)
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = createReadableStreamFromReadable(req)
    init.duplex = 'half'
  }
  return new Request(url, init)
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  for (const [name, value] of Object.entries(baseSecurityHeaders)) {
    headers[name.toLowerCase()] ??= value
  }
  if (response.statusText) res.writeHead(response.status, response.statusText, headers)
  else res.writeHead(response.status, headers)
  if (response.body && res.req.method !== 'HEAD') {
    await writeBody(response.body, res)
  } else {
    res.end()
  }
}

/**
 * Copies the body to the socket as fast as the client reads it. Remix's
 * writeReadableStreamToWritable ignores write()'s answer, so a large export sent to a slower
 * client piled up in memory (1.9 GB for the CSV of a million responses); here the body is read
 * again only once the socket has drained, and not at all once the client has gone.
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: ServerResponse) {
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (res.destroyed) {
        await reader.cancel()
        return
      }
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const settle = () => {
            res.off('drain', settle)
            res.off('close', settle)
            resolve()
          }
          res.on('drain', settle)
          res.on('close', settle)
        })
      }
    }
    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  }
}
