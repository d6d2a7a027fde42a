import { createHmac } from 'node:crypto'
import { getSessionSecrets } from '#app/utils/env.server.ts'

const DAY = 86_400_000

/**
 * A keyed hash of something we must recognise but must not keep (a client
 * address, an email typed at sign-in). The key is derived from the session
 * secret and the UTC day, so yesterday's hashes cannot be linked to today's
 * and a copy of the database reveals nothing by brute force without the secret.
 */
export function keyedHash(subject: string, now = Date.now()): string {
  const day = Math.floor(now / DAY)
  const key = createHmac('sha256', getSessionSecrets()[0]!).update(`keyed-hash:${day}`).digest()
  return createHmac('sha256', key).update(subject).digest('base64url')
}
