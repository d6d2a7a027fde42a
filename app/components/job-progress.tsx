import { Form, Link, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { formatBytes } from '#app/utils/display-names.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { DateTime } from './date-time.tsx'

/** A job as a page shows it (see app/jobs/jobs.server.ts). */
export interface JobView {
  id: number
  kind: string
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
  phase: string | null
  done: number
  total: number | null
  result: Record<string, unknown> | null
  error: string | null
  attempts: number
  cancelRequested: boolean
  createdAt: string
  seconds: number | null
}

/** The locale key of a job's kind ('campaigns.rebuild' → 'campaignsRebuild'). */
export function jobKindKey(kind: string) {
  return kind.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()) as
    | 'campaignsRebuild'
    | 'reportMake'
    | 'responsesExport'
    | 'publicReportMake'
    | 'themesFind'
    | 'themesTag'
    | 'themesMerge'
    | 'themesSplit'
}

/** The file a finished job made, as its page offers it (see app/jobs/job-outputs.server.ts). */
export interface JobFile {
  href: string
  filename: string
  sizeBytes: number
  /** Contact details and confidential text: every download is audit-logged. */
  full: boolean
}

/**
 * The download link of a report or export job: what the file is, its format and size in the
 * link's own name (a screen reader's list of links says it all), then its file name.
 */
export function JobDownload({ kind, file }: { kind: string; file: JobFile | null }) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  if (!file) return <p>{t('jobs.download.gone')}</p>
  const key = jobKindKey(kind)
  const label =
    key === 'responsesExport'
      ? file.full
        ? 'responsesExportFull'
        : 'responsesExport'
      : key === 'publicReportMake'
        ? 'publicReportMake'
        : 'reportMake'
  const format = (file.filename.split('.').pop() ?? '').toUpperCase()
  return (
    <div>
      <p>
        <a href={file.href} download={file.filename}>
          {t(`jobs.download.${label}`, { format, size: formatBytes(file.sizeBytes, locale) })}
        </a>
      </p>
      <p>{t('jobs.download.filename', { filename: file.filename })}</p>
      {key === 'publicReportMake' ? null : <p>{t('jobs.download.kept')}</p>}
      {file.full ? <p>{t('jobs.download.audited')}</p> : null}
    </div>
  )
}

/** How far a job has got, in whole per cent. */
export function jobPercent(job: Pick<JobView, 'done' | 'total' | 'state'>): number {
  if (job.state === 'succeeded') return 100
  if (!job.total) return 0
  return Math.min(100, Math.floor((job.done / job.total) * 100))
}

const active = (job: JobView) => job.state === 'queued' || job.state === 'running'

/**
 * A job's progress: a bar with its value in words, what it is doing, how long it has taken and
 * a Cancel button. With JavaScript the page asks again every second while the job runs; a
 * screen reader hears the phase and each tenth done, not every step. Without JavaScript, a link
 * refreshes it (or, chosen by the reader, the page refreshes itself every 5 seconds).
 */
export function JobProgress({ job, autoRefresh }: { job: JobView; autoRefresh: boolean }) {
  const { t } = useTranslation()
  const revalidator = useRevalidator()
  const running = active(job)
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 1000)
    return () => clearInterval(timer)
  }, [running, revalidator])
  const percent = jobPercent(job)
  const phase = job.phase
    ? t(`jobs.phases.${jobKindKey(job.phase) as 'signing'}`, { defaultValue: job.phase })
    : t(`jobs.states.${job.state}`)
  const campaigns = typeof job.result?.campaigns === 'number' ? job.result.campaigns : null
  return (
    <section aria-labelledby={`job-${job.id}-heading`} className="job">
      <h2 id={`job-${job.id}-heading`}>{t(`jobs.kinds.${jobKindKey(job.kind)}`)}</h2>
      <p>
        <strong className={`tag tag--job-${job.state}`}>{t(`jobs.states.${job.state}`)}</strong>{' '}
        <DateTime iso={job.createdAt} />
      </p>
      <label htmlFor={`job-${job.id}-progress`}>{t('jobs.progressLabel')}</label>
      <progress id={`job-${job.id}-progress`} max={100} value={percent}>
        {t('jobs.percent', { percent })}
      </progress>
      <p className="job__figures">
        {t('jobs.percent', { percent })}
        {job.total ? ` · ${t('jobs.steps', { done: job.done, total: job.total })}` : null}
      </p>
      <p role="status" aria-live="polite" aria-atomic="true">
        {running
          ? t('jobs.announce', { phase, percent: Math.floor(percent / 10) * 10 })
          : job.state === 'succeeded'
            ? t('jobs.states.succeeded')
            : null}
      </p>
      {running ? <p>{phase}</p> : null}
      {job.seconds !== null ? (
        <p>
          {running
            ? t('jobs.elapsed', { count: job.seconds })
            : t('jobs.took', { count: job.seconds })}
        </p>
      ) : null}
      {job.attempts > 1 ? <p>{t('jobs.attempt', { count: job.attempts })}</p> : null}
      {running && job.cancelRequested ? <p>{t('jobs.cancelling')}</p> : null}
      {running ? <p>{t('jobs.meanwhile')}</p> : null}
      {job.state === 'cancelled' ? <p>{t('jobs.cancelled')}</p> : null}
      {job.state === 'failed' ? <p>{t('jobs.failed', { error: job.error ?? '' })}</p> : null}
      {job.state === 'succeeded' && campaigns !== null ? (
        <p>{t('jobs.campaignsFound', { count: campaigns })}</p>
      ) : null}
      {running ? (
        <div className="button-group">
          {job.cancelRequested ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="button button--secondary">
                {t('jobs.cancel')}
              </button>
            </Form>
          )}
          <Link to={autoRefresh ? '?refresh=5' : '.'} reloadDocument>
            {t('jobs.refresh')}
          </Link>
          {autoRefresh ? (
            <Link to="." reloadDocument>
              {t('jobs.stopAutoRefresh')}
            </Link>
          ) : (
            <Link to="?refresh=5" reloadDocument>
              {t('jobs.autoRefresh')}
            </Link>
          )}
        </div>
      ) : null}
    </section>
  )
}
