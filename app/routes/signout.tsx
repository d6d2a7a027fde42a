import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { destroySession } from '#app/auth/session.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// Signing out changes state, so only a POST does it; a GET just goes home.
export function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await destroySession(getDb(), request)
  return redirect('/?notice=signed-out', { headers: { 'Set-Cookie': cookie } })
}
