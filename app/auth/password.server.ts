import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt from node:crypto: memory-hard, salted, no native add-on to build.
// N=2^13, r=8, p=10 is one of OWASP's equivalent minimums for scrypt (the same work as
// N=2^17, r=8, p=1): 8 MiB a hash, ~150 ms here. Memory is the scarce thing on the modest
// server we aim for, and the libuv pool runs four hashes at once (see README, decisions).
// Parameters are stored with each hash; an older hash is replaced at the next sign-in.
const N = 2 ** 13
const R = 8
const P = 10
const KEY_LENGTH = 32
const MAX_MEMORY = 128 * N * R * 2

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: Math.max(MAX_MEMORY, 128 * n * r * 2) },
      (error, key) => (error ? reject(error) : resolve(key)),
    )
  })
}

/** A self-describing salted hash: `scrypt$N$r$p$salt$key` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

/** Whether `password` matches `stored`, compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    Number(n),
    Number(r),
    Number(p),
  )
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Whether `stored` was made with other parameters than today's, and should be made again. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$')
  return scheme !== 'scrypt' || Number(n) !== N || Number(r) !== R || Number(p) !== P
}
