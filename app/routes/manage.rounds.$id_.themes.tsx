import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { themeDraft } from '#app/analysis/theme-draft.ts'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary } from '#app/components/forms.tsx'
import { ThemeList, type ThemeActionError } from '#app/components/theme-list.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import {
  ACTIVE_STATES,
  type JobKind,
  enqueueJob,
  latestSucceededJob,
  listRoundJobs,
  waitForJob,
} from '#app/jobs/jobs.server.ts'
import { scopePayload } from '#app/jobs/theme-jobs.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { TagNameTakenError, listTags } from '#app/models/tags.server.ts'
import type { ThemeScope } from '#app/models/theme-input.server.ts'
import {
  THEME_NAME_MAX,
  ThemeStateError,
  acceptTheme,
  checkMerge,
  checkSplit,
  listThemes,
  renameTheme,
  themeScope,
} from '#app/models/themes.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const optionalId = z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? null : v),
  z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
)
const themeId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const Query = z.object({ control: optionalId, tag: optionalId })
const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('find'), controlId: optionalId, tagId: optionalId }),
  z.object({ intent: z.literal('draft'), controlId: optionalId, tagId: optionalId }),
  z.object({ intent: z.literal('accept'), themeId }),
  z.object({ intent: z.literal('split'), themeId }),
  z.object({ intent: z.literal('merge'), themeId, otherId: themeId }),
  z.object({ intent: z.literal('rename'), themeId, name: z.string().max(10_000) }),
])
const Name = z
  .string()
  .trim()
  .min(1, 'themes.nameRequired')
  .max(THEME_NAME_MAX, 'themes.nameTooLong')
const FORM = lazyShape(() => formShape(Intent))

/** How long the request that asks for work on themes waits: a small round's answer at once. */
const ANSWER_BUDGET_MS = 1500

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

function pageUrl(scope: ThemeScope) {
  const query =
    scope.controlId !== null
      ? `?control=${scope.controlId}`
      : scope.tagId !== null
        ? `?tag=${scope.tagId}`
        : ''
  return `/manage/rounds/${scope.consultationId}/themes${query}`
}

/** The scope's themes with the totals of the run that found them. */
async function scopeThemes(scope: ThemeScope) {
  const db = getDb()
  const job = await latestSucceededJob(db, {
    kind: 'themes.find',
    consultationId: scope.consultationId,
    payload: scopePayload(scope),
  })
  const totals = z
    .object({
      responses: z.number(),
      units: z.number(),
      unthemed: z.number(),
      languages: z.array(z.tuple([z.string(), z.number()])),
    })
    .safeParse(job?.result)
  if (!job || !totals.success) return null
  return { at: job.finishedAt, ...totals.data, themes: await listThemes(db, scope) }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const db = getDb()
  const { round, controls } = await getManagedRound(db, { id, now: new Date().toISOString() })
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  const tags = await listTags(db, { consultationId: id })
  const controlId = query.success ? query.data.control : null
  const tagId = query.success && controlId === null ? query.data.tag : null
  const control = controls.find((c) => c.id === controlId)
  const tag = tags.find((g) => g.id === tagId)
  if ((controlId !== null && !control) || (tagId !== null && !tag)) {
    throw new Response('Not found', { status: 404 })
  }
  const scope: ThemeScope = { consultationId: id, controlId, tagId }
  const t = await translatorFor(request)
  const payload = JSON.stringify(scopePayload(scope))
  const running = (await listRoundJobs(db, { consultationId: id, limit: 20 })).find(
    (job) =>
      job.kind.startsWith('themes.') &&
      ACTIVE_STATES.includes(job.state) &&
      (job.kind !== 'themes.find' || JSON.stringify(job.payload) === payload),
  )
  const scopeName = control
    ? `${control.reference}: ${control.title}`
    : tag
      ? t('analysis.tagScope', { name: tag.name })
      : null
  return {
    round: { id: round.id, title: round.title },
    scope: { controlId, tagId, name: scopeName },
    scopes: [
      ...controls.map((c) => ({ href: `?control=${c.id}`, name: `${c.reference}: ${c.title}` })),
      ...tags
        .filter((g) => g.count > 0)
        .map((g) => ({ href: `?tag=${g.id}`, name: t('analysis.tagScope', { name: g.name }) })),
    ],
    themes: await scopeThemes(scope),
    runningJobId: running?.id ?? null,
    title: `${t('themes.title')} – ${scopeName ?? round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const refusal = (error: ThemeActionError['error'], themeId: number) =>
  data({ themeError: { error, themeId } satisfies ThemeActionError }, { status: 409 })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return data({ error: 'themes.invalid' as const }, { status: 400 })
  const db = getDb()
  const { controls } = await getManagedRound(db, { id, now: new Date().toISOString() })
  const input = parsed.data
  /** Queues a job, and answers with the themes page if it is done within the budget. */
  const run = async (kind: JobKind, scope: ThemeScope, payload: Record<string, unknown> | null) => {
    const { job } = await enqueueJob(db, { kind, consultationId: id, actor: user, payload })
    const settled = await waitForJob(db, { id: job.id, budgetMs: ANSWER_BUDGET_MS })
    return redirect(settled?.state === 'succeeded' ? pageUrl(scope) : `/manage/jobs/${job.id}`)
  }
  if (input.intent === 'find' || input.intent === 'draft') {
    const scope: ThemeScope = { consultationId: id, controlId: input.controlId, tagId: null }
    if (input.controlId === null) scope.tagId = input.tagId
    if (scope.controlId !== null && !controls.some((c) => c.id === scope.controlId)) {
      return data({ error: 'themes.invalid' as const }, { status: 400 })
    }
    if (
      scope.tagId !== null &&
      !(await listTags(db, { consultationId: id })).some((g) => g.id === scope.tagId)
    ) {
      return data({ error: 'themes.invalid' as const }, { status: 400 })
    }
    if (input.intent === 'find') return run('themes.find', scope, scopePayload(scope))
    return draftFor(request, scope)
  }
  const scope = await themeScope(db, { consultationId: id, themeId: input.themeId })
  try {
    if (input.intent === 'accept') {
      const { tagId } = await acceptTheme(db, {
        actor: user,
        consultationId: id,
        themeId: input.themeId,
      })
      return run('themes.tag', scope, { themeId: input.themeId, tagId })
    }
    if (input.intent === 'rename') {
      const name = Name.safeParse(input.name)
      if (!name.success) {
        return data(
          {
            themeError: {
              error: name.error.issues[0]!.message as ThemeActionError['error'],
              themeId: input.themeId,
              name: [...input.name].slice(0, THEME_NAME_MAX * 4).join(''),
            } satisfies ThemeActionError,
          },
          { status: 400 },
        )
      }
      await renameTheme(db, {
        actor: user,
        consultationId: id,
        themeId: input.themeId,
        name: name.data,
      })
      return redirect(pageUrl(scope))
    }
    if (input.intent === 'merge') {
      await checkMerge(db, { consultationId: id, intoId: input.themeId, fromId: input.otherId })
      return run('themes.merge', scope, { themeId: input.themeId, otherId: input.otherId })
    }
    await checkSplit(db, { consultationId: id, themeId: input.themeId })
    return run('themes.split', scope, { themeId: input.themeId })
  } catch (error) {
    if (error instanceof TagNameTakenError) {
      const refused = refusal('themes.nameTaken', input.themeId)
      if (input.intent === 'rename') {
        const themeError: ThemeActionError = {
          error: 'themes.nameTaken',
          themeId: input.themeId,
          name: input.name,
        }
        return data({ themeError }, { status: 409 })
      }
      return refused
    }
    if (error instanceof ThemeStateError) {
      return refusal(
        error.reason === 'accepted'
          ? 'themes.splitAccepted'
          : error.reason === 'bothAccepted'
            ? 'themes.mergeBothAccepted'
            : 'themes.mergeOther',
        input.themeId,
      )
    }
    throw error
  }
}

async function draftFor(request: Request, scope: ThemeScope) {
  const themes = await scopeThemes(scope)
  if (!themes || themes.themes.length === 0) {
    return data({ error: 'themes.noneToDraft' as const }, { status: 409 })
  }
  const t = await translatorFor(request)
  const position = (p: string | null) =>
    p ? t(`positions.${p as 'support'}`, { defaultValue: p }) : t('themes.noPosition')
  const draft = themeDraft(
    themes,
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
  const { round, scope, scopes, themes, runningJobId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const draft = actionData && 'draft' in actionData ? actionData.draft : null
  const error = actionData && 'error' in actionData ? actionData.error : null
  const themeError = actionData && 'themeError' in actionData ? actionData.themeError : null
  return (
    <>
      {error ? <ErrorSummary errors={[{ fieldId: null, message: t(error) }]} /> : null}
      {themeError ? (
        <ErrorSummary
          errors={[
            {
              fieldId:
                'name' in themeError
                  ? `theme-${themeError.themeId}-name`
                  : `theme-${themeError.themeId}-heading`,
              message: t(themeError.error),
            },
          ]}
        />
      ) : null}
      <p>
        <Link to={`/manage/rounds/${round.id}/analysis`}>{t('analysis.title')}</Link>
      </p>
      <h1>{t('themes.title')}</h1>
      <p className="lead">{scope.name ?? round.title}</p>
      <p>{t('themes.intro')}</p>
      <nav aria-labelledby="theme-scopes-heading">
        <h2 id="theme-scopes-heading" className="label">
          {t('themes.scopes')}
        </h2>
        <ul className="link-list">
          <li>
            <Link
              to={`/manage/rounds/${round.id}/themes`}
              aria-current={scope.name === null ? 'page' : undefined}
            >
              {t('themes.wholeRound')}
            </Link>
          </li>
          {scopes.map((s) => (
            <li key={s.href}>
              <Link
                to={`/manage/rounds/${round.id}/themes${s.href}`}
                aria-current={s.name === scope.name ? 'page' : undefined}
              >
                {s.name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {runningJobId !== null ? (
        <p className="notice">
          <Link to={`/manage/jobs/${runningJobId}`}>{t('themes.running')}</Link>
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="controlId" value={scope.controlId ?? ''} />
        <input type="hidden" name="tagId" value={scope.tagId ?? ''} />
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
              responses: themes.responses,
              units: themes.units,
              unthemed: themes.unthemed,
            })}
          </p>
          <ThemeList themes={themes.themes} error={themeError} />
          <Form method="post">
            <input type="hidden" name="controlId" value={scope.controlId ?? ''} />
            <input type="hidden" name="tagId" value={scope.tagId ?? ''} />
            <button type="submit" name="intent" value="draft" className="button button--secondary">
              {t('themes.draft')}
            </button>
          </Form>
          {draft ? (
            <Form method="post" action={`/manage/rounds/${round.id}/analysis`}>
              <p className="notice notice--warning">{t('themes.draftIntro')}</p>
              <input type="hidden" name="controlId" value={scope.controlId ?? ''} />
              <input type="hidden" name="tagId" value={scope.tagId ?? ''} />
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
                {scope.name ? t('themes.saveScopeDraft') : t('themes.saveDraft')}
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
