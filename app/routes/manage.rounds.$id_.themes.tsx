import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { themeDraft } from '#app/analysis/theme-draft.ts'
import type { StoredThemes } from '#app/analysis/themes.ts'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary } from '#app/components/forms.tsx'
import { ThemeList } from '#app/components/theme-list.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import {
  ACTIVE_STATES,
  enqueueJob,
  latestSucceededJob,
  listRoundJobs,
  waitForJob,
} from '#app/jobs/jobs.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const Intent = z.object({ intent: z.enum(['find', 'draft']) })
const FORM = lazyShape(() => formShape(Intent))

/** How long the request that asks for themes waits: a small round's answer at once. */
const ANSWER_BUDGET_MS = 1500

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

async function latestThemes(id: number) {
  const job = await latestSucceededJob(getDb(), { kind: 'themes.find', consultationId: id })
  return job?.result ? { result: job.result as unknown as StoredThemes, at: job.finishedAt } : null
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const db = getDb()
  const { round } = await getManagedRound(db, { id, now: new Date().toISOString() })
  const t = await translatorFor(request)
  const running = (await listRoundJobs(db, { consultationId: id, limit: 20 })).find(
    (job) => job.kind === 'themes.find' && ACTIVE_STATES.includes(job.state),
  )
  return {
    round: { id: round.id, title: round.title },
    themes: await latestThemes(id),
    runningJobId: running?.id ?? null,
    title: `${t('themes.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return data({ error: 'themes.invalid' as const }, { status: 400 })
  const db = getDb()
  await getManagedRound(db, { id, now: new Date().toISOString() })
  if (parsed.data.intent === 'find') {
    const { job } = await enqueueJob(db, { kind: 'themes.find', consultationId: id, actor: user })
    const settled = await waitForJob(db, { id: job.id, budgetMs: ANSWER_BUDGET_MS })
    if (settled?.state === 'succeeded') return redirect(`/manage/rounds/${id}/themes`)
    return redirect(`/manage/jobs/${job.id}`)
  }
  const themes = await latestThemes(id)
  if (!themes) return data({ error: 'themes.noneToDraft' as const }, { status: 409 })
  const t = await translatorFor(request)
  const position = (p: string | null) =>
    p ? t(`positions.${p as 'support'}`, { defaultValue: p }) : t('themes.noPosition')
  const draft = themeDraft(
    themes.result,
    {
      themesHeading: t('themes.heading'),
      minorityHeading: t('themes.minorityHeading'),
      said: (responses, percent, phrases) => t('themes.said', { responses, percent, phrases }),
      campaignsOnce: (units) => t('themes.campaignsOnce', { units }),
      positions: (counts) => counts.map(([p, n]) => `${position(p || null)} ${n}`).join(', '),
      smallTheme: (responses, percent, phrases) =>
        t('themes.smallTheme', { responses, percent, phrases }),
      dissent: (phrases, responses, positions) =>
        t('themes.dissent', { phrases, responses, positions }),
      source: (id, p) =>
        p
          ? t('themes.sourceWithPosition', { id, position: position(p) })
          : t('themes.source', { id }),
      noMinority: t('themes.noMinority'),
    },
    await i18next.getLocale(request),
  )
  return { draft }
}

export default function Themes() {
  const { round, themes, runningJobId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const draft = actionData && 'draft' in actionData ? actionData.draft : null
  const error = actionData && 'error' in actionData ? actionData.error : null
  return (
    <>
      {error ? <ErrorSummary errors={[{ fieldId: null, message: t(error) }]} /> : null}
      <p>
        <Link to={`/manage/rounds/${round.id}/analysis`}>{t('analysis.title')}</Link>
      </p>
      <h1>{t('themes.title')}</h1>
      <p>{t('themes.intro')}</p>
      {runningJobId !== null ? (
        <p className="notice">
          <Link to={`/manage/jobs/${runningJobId}`}>{t('themes.running')}</Link>
        </p>
      ) : null}
      <Form method="post">
        <button type="submit" name="intent" value="find" className="button">
          {themes ? t('themes.findAgain') : t('themes.find')}
        </button>
      </Form>
      {themes ? (
        <>
          <p>
            {themes.at ? (
              <>
                {t('themes.foundOn')} <DateTime iso={themes.at} />.{' '}
              </>
            ) : null}
            {t('themes.foundAt', {
              responses: themes.result.responses,
              units: themes.result.units,
              unthemed: themes.result.unthemed,
            })}
          </p>
          <ThemeList themes={themes.result.themes} />
          <Form method="post">
            <button type="submit" name="intent" value="draft" className="button button--secondary">
              {t('themes.draft')}
            </button>
          </Form>
          {draft ? (
            <Form method="post" action={`/manage/rounds/${round.id}/analysis`}>
              <p className="notice notice--warning">{t('themes.draftIntro')}</p>
              <input type="hidden" name="controlId" value="" />
              <input type="hidden" name="tagId" value="" />
              <div className="form-group">
                <label className="label" htmlFor="theme-draft">
                  {t('themes.draftLabel')}
                </label>
                <textarea
                  className="textarea"
                  id="theme-draft"
                  name="body"
                  rows={16}
                  defaultValue={draft}
                />
              </div>
              <button type="submit" name="intent" value="save" className="button">
                {t('themes.saveDraft')}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <p>{t('themes.none')}</p>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
