import { randomUUID } from 'node:crypto'
import type { Role } from '#db/schema.ts'
import { createSession } from '#app/auth/session.server.ts'
import { createAccount } from '#app/models/users.server.ts'
import { getDb } from '#app/utils/db.server.ts'

export const TEST_PASSWORD = 'a long enough test password'

/** A new account of `role` with a live session; `cookie` is what a browser would send. */
export async function signedInUser(role: Role) {
  const email = `${role}-${randomUUID()}@example.org`
  const id = await createAccount(getDb(), {
    email,
    displayName: `Test ${role}`,
    password: TEST_PASSWORD,
    role,
  })
  const setCookie = await createSession(getDb(), {
    userId: id,
    request: new Request('http://localhost/', {
      headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
    }),
  })
  return { id, email, cookie: setCookie.split(';')[0]! }
}

/** A GET or POST request as a browser on our own site would send it. */
export function pageRequest(
  path: string,
  { cookie, form }: { cookie?: string; form?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ Origin: 'http://localhost' })
  if (cookie) headers.set('Cookie', cookie)
  if (!form) return new Request(`http://localhost${path}`, { headers })
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  })
}

export const context = { clientAddress: '192.0.2.1' }
