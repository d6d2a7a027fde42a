import { sql } from 'kysely'
import { getDb } from '#app/utils/db.server.ts'

// For load balancers and uptime checks: the process answers and the database reads.
export async function loader() {
  await sql`select 1`.execute(getDb())
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
}
