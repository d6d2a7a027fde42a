import { createCookie } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import {
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  getSessionUser,
  listSessions,
  revokeOtherSessions,
} from '#app/auth/session.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { hashToken } from '#app/utils/tokens.server.ts'
import { pageRequest, signedInUser } from '#tests/helpers/auth.ts'

const requestWith = (cookie: string) => pageRequest('/account', { cookie })

describe('database sessions', () => {
  test('the cookie carries only a signed random token; the database keeps its hash', async () => {
    const { id, cookie } = await signedInUser('participant')
    const [name] = cookie.split('=') as [string]
    expect(name).toBe('__session')
    const token = (await createCookie('__session', { secrets: ['integration-test-secret'] }).parse(
      cookie,
    )) as string
    const row = await getDb()
      .selectFrom('sessions')
      .where('user_id', '=', id)
      .select('id')
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(hashToken(token))
    expect(row.id).not.toBe(token)
    expect((await getSessionUser(getDb(), requestWith(cookie)))?.id).toBe(id)
  })

  test('a tampered cookie is refused', async () => {
    const { cookie } = await signedInUser('participant')
    const [name, value] = cookie.split('=') as [string, string]
    const decoded = decodeURIComponent(value)
    const flipped = (decoded[5] === 'A' ? 'B' : 'A') as string
    const tampered = `${name}=${encodeURIComponent(decoded.slice(0, 5) + flipped + decoded.slice(6))}`
    expect(await getSessionUser(getDb(), requestWith(tampered))).toBeNull()
    // A token signed with another secret is refused too.
    const forged = await createCookie('__session', { secrets: ['attacker-secret'] }).serialize(
      'x'.repeat(43),
    )
    expect(await getSessionUser(getDb(), requestWith(forged.split(';')[0]!))).toBeNull()
  })

  test('an expired session is refused', async () => {
    const { cookie } = await signedInUser('participant')
    const later = new Date(Date.now() + SESSION_IDLE_MS + 1000)
    expect(await getSessionUser(getDb(), requestWith(cookie), later)).toBeNull()
  })

  test('use slides the expiry forward, but never past the absolute limit', async () => {
    const { id, cookie } = await signedInUser('participant')
    const db = getDb()
    const after = new Date(Date.now() + 2 * 3_600_000)
    expect(await getSessionUser(db, requestWith(cookie), after)).not.toBeNull()
    const row = await db
      .selectFrom('sessions')
      .where('user_id', '=', id)
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(Date.parse(row.expires_at)).toBe(after.getTime() + SESSION_IDLE_MS)

    const nearCap = new Date(Date.parse(row.created_at) + SESSION_MAX_MS - 3_600_000)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: row.created_at, expires_at: nearCap.toISOString() })
      .where('id', '=', row.id)
      .execute()
    await getSessionUser(db, requestWith(cookie), new Date(nearCap.getTime() - 1000))
    const capped = await db
      .selectFrom('sessions')
      .where('id', '=', row.id)
      .select('expires_at')
      .executeTakeFirstOrThrow()
    expect(Date.parse(capped.expires_at)).toBe(Date.parse(row.created_at) + SESSION_MAX_MS)
  })

  test('a disabled account loses its sessions at once', async () => {
    const { id, cookie } = await signedInUser('official')
    await getDb()
      .updateTable('users')
      .set({ disabled_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    expect(await getSessionUser(getDb(), requestWith(cookie))).toBeNull()
  })

  test('signing out of other devices keeps only the current session', async () => {
    const first = await signedInUser('participant')
    const db = getDb()
    const current = await getSessionUser(db, requestWith(first.cookie))
    // Two more sign-ins of the same account.
    const { createSession } = await import('#app/auth/session.server.ts')
    const second = (await createSession(db, { userId: first.id, request: pageRequest('/') })).split(
      ';',
    )[0]!
    await createSession(db, { userId: first.id, request: pageRequest('/') })
    expect(
      await listSessions(db, { userId: first.id, currentId: current!.sessionId }),
    ).toHaveLength(3)

    await revokeOtherSessions(db, { userId: first.id, keepId: current!.sessionId })
    const left = await listSessions(db, { userId: first.id, currentId: current!.sessionId })
    expect(left.map((s) => s.current)).toEqual([true])
    expect(await getSessionUser(db, requestWith(second))).toBeNull()
    expect(await getSessionUser(db, requestWith(first.cookie))).not.toBeNull()
  })

  test('rotating the secret keeps existing sessions valid', async () => {
    const { cookie } = await signedInUser('participant')
    const { getEnv } = await import('#app/utils/env.server.ts')
    // The old secret moves to second place: it no longer signs but still verifies.
    const rotated = createCookie('__session', {
      secrets: ['new-secret', 'integration-test-secret'],
    })
    const token = await rotated.parse(cookie)
    expect(typeof token).toBe('string')
    expect(getEnv().SESSION_SECRET).toBe('integration-test-secret')
  })
})
