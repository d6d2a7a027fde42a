import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { i18next } from '#app/i18next.server.ts'
import { fallbackLanguage, isSupportedLanguage } from '#app/i18n.ts'
import { downloadBudget, outputResponse } from '#app/jobs/job-outputs.server.ts'
import { type DownloadRequest, requestDownload } from '#app/jobs/report-jobs.server.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { getRoundSlug } from '#app/models/consultations.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getTimeZone } from '#app/utils/time-zone.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const Form = z.object({
  format: z.enum(['pdf', 'docx', 'csv', 'json']),
  full: z.literal('yes').optional(),
})

// Downloads are made by posting the form; a plain visit goes to the analysis page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  return redirect(`/manage/rounds/${params.id}/analysis`)
}

/**
 * A download of the report or of the responses, made by a job: the file itself when the job is
 * done within the request's budget (a small round), else the job's page, which offers the file
 * once it is ready. Exports with personal or confidential data are audit-logged.
 */
const FORM = lazyShape(() => formShape(Form))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const parsedParams = Params.safeParse(params)
  if (!parsedParams.success) throw new Response('Not found', { status: 404 })
  const id = parsedParams.data.id
  const parsed = Form.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return redirect(`/manage/rounds/${id}/analysis`)
  const db = getDb()
  const round = await getRoundSlug(db, { id })
  if (!round) throw new Response('Not found', { status: 404 })
  const { format } = parsed.data
  const full = parsed.data.full === 'yes' && (format === 'csv' || format === 'json')
  await recordAudit(db, {
    actor: user,
    action: full ? 'export.full' : 'export.default',
    entityType: 'consultation',
    entityId: id,
    after: { format },
  })
  const locale = await i18next.getLocale(request)
  const download: DownloadRequest =
    format === 'pdf' || format === 'docx'
      ? {
          kind: 'report.make',
          payload: {
            format,
            locale: isSupportedLanguage(locale) ? locale : fallbackLanguage,
            timeZone: getTimeZone(request),
          },
        }
      : { kind: 'responses.export', payload: { format, full } }
  const outcome = await requestDownload(db, {
    consultationId: id,
    actor: user,
    download,
    budgetMs: downloadBudget(request),
  })
  if ('jobId' in outcome) return redirect(`/manage/jobs/${outcome.jobId}`)
  return outputResponse(db, outcome.output)
}
