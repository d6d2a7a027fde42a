// The database cannot take a write just now (locked by another process past the busy timeout, the
// disk full, an I/O error): the request is answered 503 with Retry-After, and a form's text is
// given back, instead of a 500 or a crash.

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL)/

/** Seconds a client is asked to wait when the database is unavailable. */
export const UNAVAILABLE_RETRY_SECONDS = 30

/** Whether `error` says the database is unavailable for a while, rather than that a query is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && UNAVAILABLE.test(code)
}

/** Whether `error` is SQLite's "database is locked": another connection holds the write lock. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)
}

/** The answer for a request the database could not serve: JSON the error page reads. */
export function unavailableResponse(): Response {
  return new Response(JSON.stringify({ error: { status: 503, reason: 'unavailable' } }), {
    status: 503,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(UNAVAILABLE_RETRY_SECONDS),
    },
  })
}
