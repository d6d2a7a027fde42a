import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import {
  type JobFile,
  JobDownload,
  JobProgress,
  jobKindKey,
} from '#app/components/job-progress.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { getJobOutput } from '#app/jobs/job-outputs.server.ts'
import { type JobKind, getJob, jobView, requestCancel } from '#app/jobs/jobs.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
const Intent = z.object({ intent: z.literal('cancel') })
const FORM = lazyShape(() => formShape(Intent))
/** The kinds whose page offers the file they made. */
const MAKES_FILE: readonly JobKind[] = ['report.make', 'responses.export', 'publicReport.make']

function jobId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const job = await getJob(getDb(), { id: jobId(params) })
  if (!job) throw new Response('Not found', { status: 404 })
  const t = await translatorFor(request)
  const view = jobView(job)
  const offersFile = job.state === 'succeeded' && MAKES_FILE.includes(job.kind)
  const output = offersFile ? await getJobOutput(getDb(), { jobId: job.id }) : undefined
  const file: JobFile | null = output
    ? {
        href: `/manage/jobs/${job.id}/download`,
        filename: output.filename,
        sizeBytes: output.sizeBytes,
        full: output.payload.full === true,
      }
    : null
  // Refreshing by itself only when the reader asked for it (WCAG 2.2.1), and only while it runs.
  const autoRefresh =
    new URL(request.url).searchParams.get('refresh') === '5' &&
    (job.state === 'queued' || job.state === 'running')
  return data(
    {
      job: view,
      file,
      offersFile,
      autoRefresh,
      roundId: job.consultationId,
      title: t(`jobs.kinds.${jobKindKey(job.kind)}`),
    },
    { headers: autoRefresh ? { Refresh: '5' } : {} },
  )
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const refresh = loaderHeaders.get('Refresh')
  return { 'Cache-Control': 'no-store', ...(refresh ? { Refresh: refresh } : {}) }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = jobId(params)
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  if (!(await getJob(getDb(), { id }))) throw new Response('Not found', { status: 404 })
  await requestCancel(getDb(), { id, actor: user })
  return redirect(`/manage/jobs/${id}`)
}

export default function JobPage() {
  const { job, file, offersFile, autoRefresh, roundId, title } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      {roundId !== null ? (
        <p>
          <Link to={`/manage/rounds/${roundId}#jobs`}>{t('jobs.back')}</Link>
        </p>
      ) : null}
      <h1>{title}</h1>
      <JobProgress job={job} autoRefresh={autoRefresh} />
      {offersFile ? <JobDownload kind={job.kind} file={file} /> : null}
      {job.state === 'succeeded' && job.kind === 'campaigns.rebuild' && roundId !== null ? (
        <p>
          <Link to={`/manage/rounds/${roundId}/campaigns`}>{t('jobs.seeCampaigns')}</Link>
        </p>
      ) : null}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
