import type { ServerBuild } from '@remix-run/node'
import { isDatabaseUnavailable, unavailableResponse } from '#app/utils/database-errors.server.ts'

type Handler = (args: never) => unknown

const guarded = new WeakMap<ServerBuild, ServerBuild>()

/**
 * The build with every route's loader and action guarded in one place: when the database cannot
 * serve (locked past its busy timeout, the disk full, an I/O error), the request gets a 503 with
 * Retry-After that says so, instead of a 500. Forms that must give their text back (the response
 * form) catch the same errors themselves first.
 */
export function withDatabaseGuard(build: ServerBuild): ServerBuild {
  const known = guarded.get(build)
  if (known) return known
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue
    const module = { ...route.module }
    if (module.loader) module.loader = guard(module.loader) as typeof module.loader
    if (module.action) module.action = guard(module.action) as typeof module.action
    module.headers = withRetryAfter(module.headers)
    routes[id] = { ...route, module }
  }
  const result = { ...build, routes }
  guarded.set(build, result)
  return result
}

type HeadersFunction = NonNullable<ServerBuild['routes'][string]>['module']['headers']

/**
 * A page's headers, with the Retry-After of a 503 or 429 its loader, action or error gave. For a
 * page (not a data request) Remix takes headers only from a route's `headers` export, so without
 * this a browser or crawler told to come back later would not be told when.
 */
function withRetryAfter(own: HeadersFunction): HeadersFunction {
  return (args) => {
    const headers = new Headers(typeof own === 'function' ? own(args) : (own ?? args.parentHeaders))
    for (const source of [args.errorHeaders, args.actionHeaders, args.loaderHeaders]) {
      const wait = source?.get('Retry-After')
      if (wait) {
        headers.set('Retry-After', wait)
        break
      }
    }
    return headers
  }
}

function guard<F extends Handler>(handler: F): F {
  return (async (args: never) => {
    try {
      return await handler(args)
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error
      console.warn('The database could not serve a request (answered 503):', error)
      throw unavailableResponse()
    }
  }) as F
}
