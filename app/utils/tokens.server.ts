import { createHash, randomBytes } from 'node:crypto'

// Crockford's base 32: no I, L, O or U, so a number read over the phone or
// copied by hand cannot be mistaken.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A receipt number such as `CMT-7K3M-9QXP`: 40 random bits, human-readable. */
export function createTrackingNumber(): string {
  const bytes = randomBytes(8)
  let out = ''
  for (let i = 0; i < 8; i++) out += ALPHABET[bytes[i]! & 31]
  return `CMT-${out.slice(0, 4)}-${out.slice(4)}`
}

/** A 256-bit secret for a private link or a session cookie. */
export function createSecretToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a secret token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
