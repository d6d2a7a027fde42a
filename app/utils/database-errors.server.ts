// The database cannot take a write just now (locked by another process past the busy timeout, the
// disk full, an I/O error): the request is answered 503 with Retry-After, and a form's text is
// given back, instead of a 500 or a crash.

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL)/
// PostgreSQL's SQLSTATEs for the same: connection exceptions (08), lock and serialization
// conflicts (40001, 40P01, 55P03), insufficient resources (53: disk full, too many connections),
// the server shutting down or starting (57P01-57P03), and the client's own: refused, reset, or
// no connection free in the pool in time.
const PG_UNAVAILABLE = /^(08...|40001|40P01|55P03|53...|57P0[123])$/
const NODE_UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/
const POOL_TIMEOUT = /timeout exceeded when trying to connect|Connection terminated/i

/** Seconds a client is asked to wait when the database is unavailable. */
export const UNAVAILABLE_RETRY_SECONDS = 30

/** Whether `error` says the database is unavailable for a while, rather than that a query is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') {
    return UNAVAILABLE.test(code) || PG_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.test(code)
  }
  return error instanceof Error && POOL_TIMEOUT.test(error.message)
}

/**
 * Whether `error` says another connection was in the way and the same work may simply be tried
 * again: SQLite's "database is locked", PostgreSQL's deadlock or serialization failure.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^(SQLITE_(BUSY|LOCKED)|40001|40P01|55P03)/.test(code)
}

/** Whether `error` is a unique constraint refusing a second row with the same key (either engine). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
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
