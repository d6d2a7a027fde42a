import { scryptSync } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import {
  LastAdminError,
  changeRole,
  deleteAccount,
  listUsers,
  verifyCredentials,
} from '#app/models/users.server.ts'
import { action as accountAction } from '#app/routes/account.tsx'
import { action as adminAction } from '#app/routes/admin.users.tsx'
import { getSessionUser } from '#app/auth/session.server.ts'
import { needsRehash, verifyPassword } from '#app/auth/password.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { TEST_PASSWORD, context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

describe('deleting an account', () => {
  test('keeps the public record and removes the personal link', async () => {
    const db = getDb()
    const user = await signedInUser('participant')
    const round = await createConsultation(db, {
      slug: 'deletion-round',
      title: 'Round',
      publishedAt: new Date().toISOString(),
    })
    const response = await createResponse(db, {
      consultationId: round.id,
      userId: user.id,
      status: 'published',
      items: [{ controlId: null, position: 'support', body: 'Unique text kept after deletion' }],
    })

    const result = (await accountAction({
      request: pageRequest('/account', {
        cookie: user.cookie,
        form: { intent: 'delete', password: TEST_PASSWORD },
      }),
      params: {},
      context,
    })) as Response
    expect(result.status).toBe(302)
    expect(result.headers.get('Set-Cookie')).toMatch(/Max-Age=0/i)

    expect(
      await db.selectFrom('users').where('id', '=', user.id).select('id').executeTakeFirst(),
    ).toBeUndefined()
    expect(
      await db.selectFrom('sessions').where('user_id', '=', user.id).select('id').execute(),
    ).toEqual([])
    const kept = await db
      .selectFrom('responses')
      .where('id', '=', response.id)
      .select(['user_id', 'status'])
      .executeTakeFirstOrThrow()
    expect(kept).toEqual({ user_id: null, status: 'published' })
    const item = await db
      .selectFrom('response_items')
      .where('response_id', '=', response.id)
      .select('body')
      .executeTakeFirstOrThrow()
    expect(item.body).toBe('Unique text kept after deletion')
    const audit = await db
      .selectFrom('audit_log')
      .where('action', '=', 'user.deleted')
      .where('entity_id', '=', String(user.id))
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(audit.before).not.toContain('@')
  })

  test('needs the password', async () => {
    const user = await signedInUser('participant')
    expect(
      await deleteAccount(getDb(), { userId: user.id, password: 'not the password at all' }),
    ).toBe(false)
    expect(await getSessionUser(getDb(), pageRequest('/', { cookie: user.cookie }))).not.toBeNull()
  })
})

describe('changing a password', () => {
  test('needs the current one, and signs out every other device', async () => {
    const db = getDb()
    const user = await signedInUser('official')
    const { createSession } = await import('#app/auth/session.server.ts')
    const other = (await createSession(db, { userId: user.id, request: pageRequest('/') })).split(
      ';',
    )[0]!

    const refused = (await accountAction({
      request: pageRequest('/account', {
        cookie: user.cookie,
        form: {
          intent: 'password',
          currentPassword: 'wrong current password',
          newPassword: 'a brand new passphrase',
        },
      }),
      params: {},
      context,
    })) as unknown as { init: ResponseInit }
    expect(refused.init.status).toBe(400)

    const done = (await accountAction({
      request: pageRequest('/account', {
        cookie: user.cookie,
        form: {
          intent: 'password',
          currentPassword: TEST_PASSWORD,
          newPassword: 'a brand new passphrase',
        },
      }),
      params: {},
      context,
    })) as Response
    expect(done.status).toBe(302)
    const row = await db
      .selectFrom('users')
      .where('id', '=', user.id)
      .select('password_hash')
      .executeTakeFirstOrThrow()
    expect(await verifyPassword('a brand new passphrase', row.password_hash)).toBe(true)
    expect(await getSessionUser(db, pageRequest('/', { cookie: other }))).toBeNull()
    expect(await getSessionUser(db, pageRequest('/', { cookie: user.cookie }))).not.toBeNull()
  })
})

describe('administering users', () => {
  test('an admin creates an official account in the browser, audit-logged', async () => {
    const admin = await signedInUser('admin')
    const result = (await adminAction({
      request: pageRequest('/admin/users', {
        cookie: admin.cookie,
        form: {
          intent: 'create',
          displayName: 'New Official',
          email: 'new.official@example.org',
          password: 'initial pass phrase',
          role: 'official',
        },
      }),
      params: {},
      context,
    })) as Response
    expect(result.status).toBe(302)
    const users = await listUsers(getDb())
    const created = users.find((u) => u.email === 'new.official@example.org')
    expect(created?.role).toBe('official')
    const entry = await getDb()
      .selectFrom('audit_log')
      .where('action', '=', 'user.created')
      .where('entity_id', '=', String(created!.id))
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(entry.actor_id).toBe(admin.id)
    expect(JSON.parse(entry.after!)).toEqual({ role: 'official' })
  })

  test('a role change is audited and signs the person out everywhere', async () => {
    const admin = await signedInUser('admin')
    const person = await signedInUser('participant')
    const result = (await adminAction({
      request: pageRequest('/admin/users', {
        cookie: admin.cookie,
        form: { intent: 'role', userId: String(person.id), role: 'official' },
      }),
      params: {},
      context,
    })) as Response
    expect(result.status).toBe(302)
    expect(await getSessionUser(getDb(), pageRequest('/', { cookie: person.cookie }))).toBeNull()
    const entry = await getDb()
      .selectFrom('audit_log')
      .where('action', '=', 'user.role_changed')
      .where('entity_id', '=', String(person.id))
      .selectAll()
      .executeTakeFirstOrThrow()
    expect([JSON.parse(entry.before!), JSON.parse(entry.after!), entry.actor_id]).toEqual([
      { role: 'participant' },
      { role: 'official' },
      admin.id,
    ])
  })

  test('the last admin can neither be demoted nor delete the account', async () => {
    const db = getDb()
    const admins = await db.selectFrom('users').where('role', '=', 'admin').select('id').execute()
    for (const { id } of admins)
      await db.updateTable('users').set({ role: 'official' }).where('id', '=', id).execute()
    const last = await signedInUser('admin')
    await expect(
      changeRole(db, {
        actor: { id: last.id, role: 'admin' },
        userId: last.id,
        role: 'participant',
      }),
    ).rejects.toBeInstanceOf(LastAdminError)
    await expect(
      deleteAccount(db, { userId: last.id, password: TEST_PASSWORD }),
    ).rejects.toBeInstanceOf(LastAdminError)
  })
})

describe('password hashes', () => {
  test('a hash with older parameters is made again at the next successful sign-in only', async () => {
    const db = getDb()
    const user = await signedInUser('participant')
    // As the portal stored hashes before: N=2^14, r=8, p=1.
    const salt = Buffer.from('older salt 16 b!')
    const key = scryptSync(TEST_PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 })
    const older = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`
    await db.updateTable('users').set({ password_hash: older }).where('id', '=', user.id).execute()
    const stored = () =>
      db
        .selectFrom('users')
        .where('id', '=', user.id)
        .select('password_hash')
        .executeTakeFirstOrThrow()
        .then((r) => r.password_hash)

    expect(await verifyCredentials(db, { email: user.email, password: 'not the password' })).toBe(
      null,
    )
    expect(await stored()).toBe(older)
    expect((await verifyCredentials(db, { email: user.email, password: TEST_PASSWORD }))?.id).toBe(
      user.id,
    )
    const renewed = await stored()
    expect(renewed).not.toBe(older)
    expect(needsRehash(renewed)).toBe(false)
    expect(await verifyPassword(TEST_PASSWORD, renewed)).toBe(true)
  })
})
