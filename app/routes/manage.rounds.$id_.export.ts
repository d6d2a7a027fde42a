import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { getRoundSlug } from '#app/models/consultations.server.ts'
import { exportCsv, exportJson } from '#app/reports/exports.server.ts'
import { renderReportDocx } from '#app/reports/report-docx.server.ts'
import { buildReportModel } from '#app/reports/report-model.server.ts'
import { renderReportPdf } from '#app/reports/report-pdf.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getTimeZone } from '#app/utils/time-zone.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const Form = z.object({
  format: z.enum(['pdf', 'docx', 'csv', 'json']),
  full: z.literal('yes').optional(),
})

const TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

// Downloads are made by posting the form; a plain visit goes to the analysis page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  return redirect(`/manage/rounds/${params.id}/analysis`)
}

/** A download of the report or of the responses; exports with personal or confidential data are audit-logged. */
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
  const filename = `${round.slug}-${format === 'pdf' || format === 'docx' ? 'report' : full ? 'responses-full' : 'responses'}.${format}`
  const headers = {
    'Content-Type': TYPES[format],
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
  }
  if (format === 'csv')
    return new Response(exportCsv(db, { consultationId: id, full }), { headers })
  if (format === 'json')
    return new Response(exportJson(db, { consultationId: id, full }), { headers })
  const model = await buildReportModel(db, {
    consultationId: id,
    t: await translatorFor(request),
    locale: await i18next.getLocale(request),
    timeZone: getTimeZone(request),
  })
  const body = format === 'pdf' ? await renderReportPdf(model) : await renderReportDocx(model)
  return new Response(new Uint8Array(body), { headers })
}
