import { readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { createConsultation } from '#db/factories.ts'
import { type Access, routeAccess } from '#app/auth/route-access.ts'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'

type Persona = 'anonymous' | 'participant' | 'official' | 'admin'
type Outcome = 'allowed' | 'sign-in' | 'sent-on' | 'forbidden'
const personas: Persona[] = ['anonymous', 'participant', 'official', 'admin']

/** What each kind of visitor must get from a route with this access rule. */
function expected(access: Access, persona: Persona): Outcome {
  const rank = { anonymous: -1, participant: 0, official: 1, admin: 2 }[persona]
  switch (access) {
    case 'public':
      return 'allowed'
    case 'anonymous':
      return persona === 'anonymous' ? 'allowed' : 'sent-on'
    case 'user':
      return persona === 'anonymous' ? 'sign-in' : 'allowed'
    case 'official':
    case 'admin':
      if (persona === 'anonymous') return 'sign-in'
      return rank >= (access === 'official' ? 1 : 2) ? 'allowed' : 'forbidden'
  }
}

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  let result: unknown
  try {
    result = await run()
  } catch (thrown) {
    result = thrown
  }
  if (result instanceof Response) {
    const location = result.headers.get('Location') ?? ''
    if (result.status === 403) return 'forbidden'
    if (result.status >= 300 && result.status < 400 && location.startsWith('/signin'))
      return 'sign-in'
    if (result.status >= 300 && result.status < 400 && location.startsWith('/account'))
      return 'sent-on'
    return 'allowed'
  }
  if (result instanceof Error) throw result
  return 'allowed'
}

const routeFiles = readdirSync(path.resolve('app/routes')).filter((f) => /\.tsx?$/.test(f))
const routeId = (file: string) => `routes/${file.replace(/\.tsx?$/, '')}`
// Every route gets every parameter it could need, pointing at real rows.
const params: Record<string, string> = { slug: 'access-matrix-round', '*': 'no/such/page' }

describe('the route access matrix', () => {
  const cookies: Partial<Record<Persona, string>> = {}

  beforeAll(async () => {
    const round = await createConsultation(getDb(), {
      slug: 'access-matrix-round',
      title: 'Access matrix round',
      publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      controls: [{ reference: 'R1', title: 'Control' }],
    })
    params.id = String(round.id)
    params.controlId = String(round.controlIds[0])
    params.documentId = '1'
    for (const role of ['participant', 'official', 'admin'] as const) {
      cookies[role] = (await signedInUser(role)).cookie
    }
  })

  test('every route module has a rule, and every rule a route', () => {
    expect(routeFiles.map(routeId).sort()).toEqual(Object.keys(routeAccess).sort())
  })

  for (const file of routeFiles) {
    const id = routeId(file) as keyof typeof routeAccess
    const access: Access = routeAccess[id]
    test(`${id} (${access}) answers each kind of visitor as its rule says`, async () => {
      const mod = (await import(`../../../app/routes/${file}`)) as {
        loader?: (args: unknown) => unknown
        action?: (args: unknown) => unknown
      }
      for (const persona of personas) {
        const cookie = cookies[persona]
        const url = `/${file}`
        if (mod.loader) {
          const outcome = await outcomeOf(() =>
            mod.loader!({
              request: pageRequest(url, { cookie }),
              params,
              context,
            }),
          )
          expect(`${persona} GET: ${outcome}`).toBe(`${persona} GET: ${expected(access, persona)}`)
        }
        // An empty form must meet the same guard before any validation.
        if (mod.action && id !== 'routes/signout') {
          const outcome = await outcomeOf(() =>
            mod.action!({
              request: pageRequest(url, { cookie, form: {} }),
              params,
              context,
            }),
          )
          expect(`${persona} POST: ${outcome}`).toBe(
            `${persona} POST: ${expected(access, persona)}`,
          )
        }
      }
    })
  }
})
