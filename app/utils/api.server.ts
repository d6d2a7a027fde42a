import type { AppLoadContext } from '@remix-run/node'
import { hitSharedRateLimit } from '#app/auth/rate-limit.server.ts'
import { getDb } from './db.server.ts'
import { getEnv } from './env.server.ts'

// The public read-only API: open to any site (CORS), the same privacy rules
// as the public pages, and a rate limit per client (keyed hash, no address kept) that every
// server counts together.

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
  // Readable by other origins' scripts (the default policy is same-origin).
  'Cross-Origin-Resource-Policy': 'cross-origin',
}

const apiRate = () => ({ scope: 'api-client', limit: getEnv().API_RATE_LIMIT, windowMs: 60_000 })

/** A JSON answer with the API's headers. */
export function apiJson(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=60',
      ...CORS,
      ...init.headers,
    },
  })
}

/** A JSON error: `{ "error": { "status", "message" } }`. */
export function apiError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return apiJson(
    { error: { status, message } },
    { status, headers: { 'Cache-Control': 'no-store', ...headers } },
  )
}

/** Counts the request against the client's rate limit; throws a 429 answer past it. */
export async function apiGuard(context: AppLoadContext): Promise<void> {
  const rule = apiRate()
  const state = await hitSharedRateLimit(getDb(), rule, context.clientAddress)
  if (!state.allowed) {
    const wait = Math.max(1, Math.ceil((state.resetAt - Date.now()) / 1000))
    throw apiError(
      429,
      `Rate limit of ${rule.limit} requests a minute reached: retry in ${wait} s.`,
      { 'Retry-After': String(wait) },
    )
  }
}

/** The answer to a CORS preflight (OPTIONS): the API takes reads only. */
export function apiPreflight(request: Request): Response {
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
  return apiError(405, 'This API is read-only: use GET.', { Allow: 'GET, HEAD, OPTIONS' })
}

/** The API's own address, for links it returns. */
export function apiBase(request: Request): string {
  return new URL(request.url).origin
}
