import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DateTime } from './date-time.tsx'
import { type JobView, jobKindKey, jobPercent } from './job-progress.tsx'

/** A round's latest background jobs, each with its progress and a link to its page. */
export function RoundJobs({ jobs }: { jobs: JobView[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="jobs" className="panel">
      <h2 id="jobs">{t('jobs.heading')}</h2>
      <p>{t('jobs.intro')}</p>
      {jobs.length === 0 ? (
        <p>{t('jobs.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">{t('jobs.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.columnWork')}</th>
                <th scope="col">{t('jobs.columnState')}</th>
                <th scope="col">{t('jobs.columnProgress')}</th>
                <th scope="col">{t('jobs.columnQueued')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => {
                const percent = jobPercent(job)
                const kind = t(`jobs.kinds.${jobKindKey(job.kind)}`)
                return (
                  <tr key={job.id}>
                    <td>
                      <Link to={`/manage/jobs/${job.id}`}>{kind}</Link>
                    </td>
                    <td>{t(`jobs.states.${job.state}`)}</td>
                    <td>
                      <progress
                        max={100}
                        value={percent}
                        aria-label={`${t('jobs.progressLabel')}: ${kind}`}
                      >
                        {t('jobs.percent', { percent })}
                      </progress>{' '}
                      {t('jobs.percent', { percent })}
                    </td>
                    <td>
                      <DateTime iso={job.createdAt} />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
