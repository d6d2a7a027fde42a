import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import type { JobKind } from './jobs.server.ts'
import { reportHandlers } from './report-jobs.server.ts'
import { findThemesJob, mergeThemesJob, splitThemeJob, tagThemeJob } from './theme-jobs.server.ts'
import type { JobHandler } from './runner.server.ts'

/** What each kind of job does. */
export const jobHandlers: Record<JobKind, JobHandler> = {
  async 'campaigns.rebuild'({ db, job, progress }) {
    if (job.consultationId === null) throw new Error('a campaign rebuild needs a round')
    const campaigns = await rebuildCampaigns(db, {
      consultationId: job.consultationId,
      progress: (step) => progress(step),
    })
    return { campaigns }
  },
  ...reportHandlers,
  'themes.find': findThemesJob,
  'themes.tag': tagThemeJob,
  'themes.merge': mergeThemesJob,
  'themes.split': splitThemeJob,
}
