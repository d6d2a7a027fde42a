import { z } from 'zod'
import {
  MINORITY_SHARE,
  type ThemeOptions,
  type ThemeResult,
  type ThemeUnit,
  sampleOf,
} from '#app/analysis/themes.ts'
import type { ThemeLanguage } from '#app/analysis/theme-text.ts'
import type { Actor } from '#app/models/audit.server.ts'
import { type ThemeScope, themeUnits, unitTexts } from '#app/models/theme-input.server.ts'
import {
  acceptedThemes,
  clearUnfinished,
  mergeThemes,
  replaceTheme,
  saveThemes,
  splittableMembers,
  tagThemeMembers,
} from '#app/models/themes.server.ts'
import type { DB } from '#app/utils/db.server.ts'
import type { Job } from './jobs.server.ts'
import type { JobContext, JobHandler } from './runner.server.ts'
import { ThemeThread } from './theme-thread.server.ts'

/** Units whose texts are read and posted to the thread at a time. */
const BATCH = 500

const ScopePayload = z
  .object({
    controlId: z.number().int().positive().nullable().optional(),
    tagId: z.number().int().positive().nullable().optional(),
  })
  .nullable()
const ThemePayload = z.object({ themeId: z.number().int().positive() })
const MergePayload = ThemePayload.extend({ otherId: z.number().int().positive() })

function roundOf(job: Job): number {
  if (job.consultationId === null) throw new Error('themes need a round')
  return job.consultationId
}

/** What a themes job was asked for: a round's themes, or a control's, or a tag's. */
export function jobScope(job: Job): ThemeScope {
  const payload = ScopePayload.parse(job.payload)
  return {
    consultationId: roundOf(job),
    controlId: payload?.controlId ?? null,
    tagId: payload?.tagId ?? null,
  }
}

/** The payload a themes job is queued with for a scope (none for a whole round). */
export function scopePayload(scope: ThemeScope): Record<string, unknown> | null {
  if (scope.controlId !== null) return { controlId: scope.controlId }
  if (scope.tagId !== null) return { tagId: scope.tagId }
  return null
}

function actorOf(job: Job): Actor | null {
  return job.requestedBy === null ? null : { id: job.requestedBy, role: 'official' }
}

/**
 * Themes of some units in the theme thread: a sample's texts read and fitted, then every unit's
 * text read a batch at a time and assigned (app/analysis/themes.ts).
 */
async function themesOf(
  db: DB,
  units: ThemeUnit[],
  {
    controlId,
    options,
    progress,
  }: {
    controlId: number | null
    options: ThemeOptions
    progress: JobContext['progress']
  },
): Promise<ThemeResult> {
  const thread = new ThemeThread()
  try {
    const sample = sampleOf(units)
    await unitTexts(db, sample, { controlId })
    await progress({ phase: 'fitting', done: 0, total: units.length })
    await thread.fit(sample, options)
    for (const unit of sample) unit.text = ''
    // The next batch's texts are read while the thread assigns this one's.
    const read = (from: number) => {
      const batch = units.slice(from, from + BATCH)
      const reading = unitTexts(db, batch, { controlId }).then(() => batch)
      // Awaited below; if the job stops first (cancelled, or the thread failed), not unhandled.
      reading.catch(() => {})
      return reading
    }
    let next: Promise<ThemeUnit[]> | null = units.length > 0 ? read(0) : null
    for (let i = 0; next; i += BATCH) {
      const batch: ThemeUnit[] = await next
      next = i + BATCH < units.length ? read(i + BATCH) : null
      await thread.assign(batch)
      for (const unit of batch) unit.text = ''
      await progress({
        phase: 'assigning',
        done: Math.min(i + BATCH, units.length),
        total: units.length,
      })
    }
    await progress({ phase: 'labelling', done: units.length, total: units.length })
    return await thread.result()
  } finally {
    await thread.close()
  }
}

/**
 * A scope's themes: the accepted ones kept (responses placed in them first), new ones proposed
 * beside them, all saved with their members (app/models/themes.server.ts); new members of an
 * accepted theme get its tag. The job's result holds the run's totals.
 */
export const findThemesJob: JobHandler = async ({ db, job, progress }) => {
  const scope = jobScope(job)
  await progress({ phase: 'listing', done: 0, total: null })
  await clearUnfinished(db, scope, job.id)
  const units = await themeUnits(db, scope)
  const fixed = await acceptedThemes(db, scope)
  const result = await themesOf(db, units, {
    controlId: scope.controlId,
    options: { fixed },
    progress,
  })
  await progress({ phase: 'saving', done: 0, total: null })
  const untagged = await saveThemes(db, { scope, jobId: job.id, themes: result.themes })
  let tagged = 0
  for (const themeId of untagged) {
    tagged += await tagThemeMembers(db, {
      actor: actorOf(job),
      consultationId: scope.consultationId,
      themeId,
    })
  }
  return {
    themes: result.themes.length,
    responses: result.responses,
    units: result.units,
    unthemed: result.unthemed,
    languages: result.languages,
    tagged,
  }
}

/** An accepted theme's tag put on its members. */
export const tagThemeJob: JobHandler = async ({ db, job, progress }) => {
  const { themeId } = ThemePayload.parse(job.payload)
  const tagged = await tagThemeMembers(db, {
    actor: actorOf(job),
    consultationId: roundOf(job),
    themeId,
    progress: (done, total) => progress({ phase: 'tagging', done, total }),
  })
  return { tagged }
}

/** One theme merged into another. */
export const mergeThemesJob: JobHandler = async ({ db, job, progress }) => {
  const { themeId, otherId } = MergePayload.parse(job.payload)
  await progress({ phase: 'merging', done: 0, total: null })
  const kept = await mergeThemes(db, {
    actor: actorOf(job),
    consultationId: roundOf(job),
    intoId: themeId,
    fromId: otherId,
  })
  return { kept }
}

/** A proposed theme split in two: its members grouped again, in two groups exactly. */
export const splitThemeJob: JobHandler = async ({ db, job, progress }) => {
  const { themeId } = ThemePayload.parse(job.payload)
  const consultationId = roundOf(job)
  await progress({ phase: 'listing', done: 0, total: null })
  const { scope, memberIds, language, summary } = await splittableMembers(db, {
    consultationId,
    themeId,
  })
  await clearUnfinished(db, scope, job.id)
  const units = (await themeUnits(db, scope))
    .map((unit) => ({ ...unit, members: unit.members.filter((m) => memberIds.has(m.id)) }))
    .filter((unit) => unit.members.length > 0)
  const result = await themesOf(db, units, {
    controlId: scope.controlId,
    options: { groups: 2, fallbackLanguage: language as ThemeLanguage },
    progress,
  })
  // Shares of the scope, as the theme's were, not of the theme split.
  const parts = result.themes.map((part) => ({
    ...part,
    share: part.share * summary.share,
    unitShare: part.unitShare * summary.unitShare,
    minority: part.share * summary.share < MINORITY_SHARE,
  }))
  await progress({ phase: 'saving', done: 0, total: null })
  const ids = await replaceTheme(db, {
    actor: actorOf(job),
    consultationId,
    themeId,
    jobId: job.id,
    parts,
  })
  return { parts: ids.length }
}
