import { checkHealth } from '#app/models/health.server.ts'
import { getDb } from '#app/utils/db.server.ts'

// For load balancers and uptime checks: 200 when the process serves, the database reads and its
// migrations are those of this code; 503 (with the reason) when they are not.
export async function loader() {
  const health = await checkHealth(getDb())
  return Response.json(
    {
      status: health.ok ? 'ok' : 'migrations-not-current',
      database: health.database,
      migrations: health.migrations,
    },
    { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  )
}
