import { describe, expect, test } from 'vitest'
import { seedIfEmpty } from '#db/seed.ts'
import { verifyPassword } from '#app/auth/password.server.ts'
import { getDb } from '#app/utils/db.server.ts'

async function counts() {
  const db = getDb()
  const count = async (table: 'users' | 'consultations' | 'controls' | 'responses') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    users: await count('users'),
    consultations: await count('consultations'),
    controls: await count('controls'),
    responses: await count('responses'),
  }
}

describe('the demo seed', () => {
  test('fills an empty database once, and running it again changes nothing', async () => {
    const first = await seedIfEmpty(getDb())
    expect(first.length).toBeGreaterThan(0)
    const after = await counts()
    expect(after.users).toBe(3)
    expect(after.consultations).toBe(2)
    expect(after.controls).toBeGreaterThanOrEqual(3 + 2)
    expect(after.responses).toBeGreaterThanOrEqual(45)

    expect(await seedIfEmpty(getDb())).toEqual([])
    expect(await counts()).toEqual(after)
  })

  test('gives each role a demo account that signs in with the README password', async () => {
    const rows = await getDb()
      .selectFrom('users')
      .select(['email', 'role', 'password_hash'])
      .orderBy('email')
      .execute()
    expect(rows.map((r) => [r.email, r.role])).toEqual([
      ['admin@example.org', 'admin'],
      ['official@example.org', 'official'],
      ['participant@example.org', 'participant'],
    ])
    expect(await verifyPassword('official-demo-password', rows[1]!.password_hash)).toBe(true)
  })

  test('spreads responses over respondent types, countries and publication choices', async () => {
    const rows = await getDb()
      .selectFrom('responses')
      .select(['respondent_type', 'country', 'publication', 'status', 'contact_email'])
      .execute()
    expect(new Set(rows.map((r) => r.respondent_type)).size).toBeGreaterThanOrEqual(6)
    expect(new Set(rows.map((r) => r.country)).size).toBeGreaterThanOrEqual(10)
    expect(new Set(rows.map((r) => r.publication))).toEqual(
      new Set(['named', 'anonymous', 'not_published']),
    )
    for (const r of rows) {
      if (r.contact_email) expect(r.contact_email).toMatch(/@example\.(org|com|net)$/)
    }
  })
})
