import { z } from 'zod'
import { getOptionalUser } from '#app/auth/guards.server.ts'
import { getResponseForRespondent } from '#app/models/responses.server.ts'
import { getDb } from './db.server.ts'

const Params = z.object({ trackingNumber: z.string().regex(/^CMT-[0-9A-Z]{4}-[0-9A-Z]{4}$/) })

/** The response for its author, or a 404 that says nothing about whether it exists. */
export async function loadOwnResponse(request: Request, params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const key = new URL(request.url).searchParams.get('key')
  const user = await getOptionalUser(request)
  const view = await getResponseForRespondent(getDb(), {
    trackingNumber: parsed.data.trackingNumber,
    key,
    userId: user?.id ?? null,
  })
  if (!view) throw new Response('Not found', { status: 404 })
  return { view, key }
}
