import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { getJobOutput, outputResponse } from '#app/jobs/job-outputs.server.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { getDb } from '#app/utils/db.server.ts'

const Params = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })

/**
 * The file a report or export job made, for officials. Every download is audit-logged: a full
 * export holds contact details and confidential text, and who took a copy must be known.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'official')
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const db = getDb()
  const output = await getJobOutput(db, { jobId: parsed.data.id })
  if (!output) throw new Response('Not found', { status: 404 })
  await recordAudit(db, {
    actor: user,
    action: 'export.downloaded',
    entityType: 'consultation',
    entityId: output.consultationId,
    after: { job: output.jobId, kind: output.kind, filename: output.filename, ...output.payload },
  })
  return outputResponse(db, output)
}
