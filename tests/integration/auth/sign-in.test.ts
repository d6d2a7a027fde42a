import { afterEach, describe, expect, test, vi } from 'vitest'
import { action as signInAction, loader as signInLoader } from '#app/routes/signin.tsx'
import { action as signUpAction } from '#app/routes/signup.tsx'
import { getSessionUser } from '#app/auth/session.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { TEST_PASSWORD, context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

type Reply = { status?: string; error?: Record<string, string[] | null> }

async function post(form: Record<string, string>, clientAddress = context.clientAddress) {
  const result = await signInAction({
    request: pageRequest('/signin', { form }),
    params: {},
    context: { clientAddress },
  })
  return result as unknown as Response | { data: Reply; init: ResponseInit | null }
}

function statusOf(result: Awaited<ReturnType<typeof post>>): number {
  if (result instanceof Response) return result.status
  return result.init?.status ?? 200
}

function formErrors(result: Awaited<ReturnType<typeof post>>): string[] {
  if (result instanceof Response) return []
  return result.data.error?.[''] ?? []
}

afterEach(() => {
  vi.useRealTimers()
})

describe('signing in', () => {
  test('the right password starts a session and goes to the safe redirect', async () => {
    const { email } = await signedInUser('participant')
    const result = await post({
      email: email.toUpperCase(),
      password: TEST_PASSWORD,
      redirectTo: '/privacy',
    })
    expect(result).toBeInstanceOf(Response)
    const response = result as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/privacy')
    const cookie = response.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const user = await getSessionUser(getDb(), pageRequest('/', { cookie: cookie.split(';')[0] }))
    expect(user?.email).toBe(email)
  })

  test('redirectTo cannot send anyone off the site', async () => {
    const { email } = await signedInUser('participant')
    for (const evil of ['https://evil.example', '//evil.example', '/\\evil.example']) {
      const response = (await post({
        email,
        password: TEST_PASSWORD,
        redirectTo: evil,
      })) as Response
      expect(response.headers.get('Location')).toBe('/account')
    }
    const page = (await signInLoader({
      request: pageRequest('/signin?redirectTo=https%3A%2F%2Fevil.example'),
      params: {},
      context,
    })) as { redirectTo: string }
    expect(page.redirectTo).toBe('/account')
  })

  test('a wrong password and an unknown email get the same answer', async () => {
    const { email } = await signedInUser('participant')
    const wrong = await post({ email, password: 'not the right password' }, '198.51.100.1')
    const unknown = await post(
      { email: 'nobody-here@example.org', password: 'not the right password' },
      '198.51.100.1',
    )
    expect(statusOf(wrong)).toBe(401)
    expect(statusOf(unknown)).toBe(401)
    expect(formErrors(wrong)).toEqual(['signin.invalid'])
    expect(formErrors(unknown)).toEqual(formErrors(wrong))
  })

  test('after five failures an account is throttled, even with the right password, and says for how long', async () => {
    // Windows are whole quarter-hours: the clock stands still so the test cannot straddle one.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const { email } = await signedInUser('participant')
    for (let i = 0; i < 5; i++) {
      expect(
        statusOf(await post({ email, password: `wrong password ${i}` }, `203.0.113.${i}`)),
      ).toBe(401)
    }
    const blocked = await post({ email, password: TEST_PASSWORD }, '203.0.113.99')
    expect(statusOf(blocked)).toBe(429)
    expect(formErrors(blocked)[0]).toMatch(/^signin\.throttled\|\d+$/)
    // An address nobody registered is throttled the same way: no enumeration.
    for (let i = 0; i < 5; i++)
      await post({ email: 'ghost@example.org', password: `wrong ${i}` }, `203.0.113.${i}`)
    expect(
      statusOf(
        await post({ email: 'ghost@example.org', password: 'x'.repeat(12) }, '203.0.113.98'),
      ),
    ).toBe(429)
  })

  test('one client trying many accounts is throttled too', async () => {
    // Windows are whole quarter-hours: the clock stands still so the test cannot straddle one.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    for (let i = 0; i < 20; i++) {
      await post({ email: `victim${i}@example.org`, password: 'guess guess guess' }, '192.0.2.77')
    }
    const { email } = await signedInUser('participant')
    expect(statusOf(await post({ email, password: TEST_PASSWORD }, '192.0.2.77'))).toBe(429)
    expect(statusOf(await post({ email, password: TEST_PASSWORD }, '192.0.2.78'))).toBe(302)
  })

  test('no raw address or email is stored by the throttle', async () => {
    const rows = await getDb().selectFrom('rate_limits').selectAll().execute()
    expect(rows.length).toBeGreaterThan(0)
    const dump = JSON.stringify(rows)
    expect(dump).not.toMatch(/192\.0\.2|203\.0\.113|198\.51\.100|example\.org/)
  })

  test('invalid input is answered field by field, password not echoed', async () => {
    const result = await post({ email: 'not-an-email', password: '' })
    expect(statusOf(result)).toBe(400)
    const reply = (result as { data: Reply & { initialValue?: Record<string, unknown> } }).data
    expect(reply.error?.email).toEqual(['validation.emailInvalid'])
    expect(reply.error?.password).toEqual(['validation.passwordRequired'])
    expect(reply.initialValue?.email).toBe('not-an-email')
    expect(reply.initialValue?.password).toBeUndefined()
  })
})

describe('signing up', () => {
  test('creates a participant, signs them in, and refuses a taken address', async () => {
    const form = {
      displayName: 'Nadia Rahman',
      email: 'Nadia@Example.org ',
      password: 'four random words here',
    }
    const response = (await signUpAction({
      request: pageRequest('/signup', { form }),
      params: {},
      context,
    })) as Response
    expect(response.status).toBe(302)
    const user = await getDb()
      .selectFrom('users')
      .where('email', '=', 'nadia@example.org')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(user.role).toBe('participant')
    expect(user.password_hash).toMatch(/^scrypt\$/)

    const again = (await signUpAction({
      request: pageRequest('/signup', { form }),
      params: {},
      context,
    })) as unknown as {
      data: Reply
      init: ResponseInit
    }
    expect(again.init.status).toBe(409)
    expect(again.data.error?.email).toEqual(['validation.emailTaken'])
  })

  test('refuses short and common passwords with a message for each', async () => {
    const cases: [string, string][] = [
      ['short pass', 'validation.passwordShort'],
      ['password1234', 'validation.passwordCommon'],
    ]
    for (const [password, message] of cases) {
      const form = {
        displayName: 'A',
        email: `p-${password.length}@example.org`,
        password: password!,
      }
      const result = (await signUpAction({
        request: pageRequest('/signup', { form }),
        params: {},
        context,
      })) as unknown as {
        data: Reply
        init: ResponseInit
      }
      expect(result.init.status).toBe(400)
      expect(result.data.error?.password).toEqual([message])
    }
  })
})
