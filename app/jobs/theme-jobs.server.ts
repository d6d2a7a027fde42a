import { type StoredThemes, sampleOf } from '#app/analysis/themes.ts'
import { themeUnits, unitTexts } from '#app/models/theme-input.server.ts'
import { ThemeThread } from './theme-thread.server.ts'
import type { JobHandler } from './runner.server.ts'

/** Units whose texts are read and posted to the thread at a time. */
const BATCH = 500

/**
 * A round's themes (app/analysis/themes.ts): its units listed, the sample's texts read and
 * fitted in the theme thread, then every unit's text read a batch at a time and assigned. The
 * result is the job's: the themes with their sizes, splits, labels and quotes (member lists
 * stay out of it: a theme of a million responses would not fit).
 */
export const findThemesJob: JobHandler = async ({ db, job, progress }) => {
  if (job.consultationId === null) throw new Error('themes need a round')
  const consultationId = job.consultationId
  await progress({ phase: 'listing', done: 0, total: null })
  const units = await themeUnits(db, { consultationId })
  const thread = new ThemeThread()
  try {
    const sample = sampleOf(units)
    await unitTexts(db, sample)
    await progress({ phase: 'fitting', done: 0, total: units.length })
    await thread.fit(sample)
    for (const unit of sample) unit.text = ''
    for (let i = 0; i < units.length; i += BATCH) {
      const batch = units.slice(i, i + BATCH)
      await unitTexts(db, batch)
      await thread.assign(batch)
      for (const unit of batch) unit.text = ''
      await progress({
        phase: 'assigning',
        done: Math.min(i + BATCH, units.length),
        total: units.length,
      })
    }
    await progress({ phase: 'labelling', done: units.length, total: units.length })
    const result = await thread.result()
    const stored: StoredThemes = {
      ...result,
      themes: result.themes.map(({ memberIds: _members, centre: _centre, ...theme }) => theme),
    }
    return stored
  } finally {
    await thread.close()
  }
}
