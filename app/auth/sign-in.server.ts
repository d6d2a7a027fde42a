import { Authenticator } from 'remix-auth'
import { FormStrategy } from 'remix-auth-form'
import { type UserSummary, normaliseEmail, verifyCredentials } from '#app/models/users.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import { type RateLimit, clearRateLimit, hitRateLimit, peekRateLimit } from './rate-limit.server.ts'

const WINDOW = 15 * 60_000
/** Failed sign-ins one email address may have in 15 minutes (existing or not). */
export const ACCOUNT_LIMIT: RateLimit = { scope: 'signin-account', limit: 5, windowMs: WINDOW }
/** Failed sign-ins one client may have in 15 minutes, over every address it tries. */
export const CLIENT_LIMIT: RateLimit = { scope: 'signin-client', limit: 20, windowMs: WINDOW }

export class InvalidCredentialsError extends Error {
  constructor() {
    super('invalid credentials')
  }
}

export class ThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('too many attempts')
  }
}

/**
 * A remix-auth authenticator for this request: the form strategy checks the
 * throttle first, then the password. The throttle counts per email address
 * whether or not it is registered, so its message reveals nothing either.
 */
export function signInAuthenticator(
  db: DB,
  { clientAddress }: { clientAddress: string },
): Authenticator<UserSummary> {
  const authenticator = new Authenticator<UserSummary>()
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const email = normaliseEmail(String(form.get('email') ?? ''))
      const password = String(form.get('password') ?? '')
      const now = Date.now()
      const [account, client] = await Promise.all([
        peekRateLimit(db, ACCOUNT_LIMIT, email, now),
        peekRateLimit(db, CLIENT_LIMIT, clientAddress, now),
      ])
      if (!account.allowed || !client.allowed) {
        throw new ThrottledError(Math.max(account.resetAt, client.resetAt) - now)
      }
      const user = await verifyCredentials(db, { email, password })
      if (!user) {
        await hitRateLimit(db, ACCOUNT_LIMIT, email, now)
        await hitRateLimit(db, CLIENT_LIMIT, clientAddress, now)
        throw new InvalidCredentialsError()
      }
      await clearRateLimit(db, ACCOUNT_LIMIT, email, now)
      return user
    }),
    'password',
  )
  return authenticator
}
