import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import {
  TagNameTakenError,
  TagNestingError,
  createTag,
  deleteTag,
  listTags,
  mergeTags,
  updateTag,
} from '#app/models/tags.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const optionalId = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.coerce.number().int().positive().nullable(),
)
const TagFields = {
  name: z.string().trim().min(1, 'validation.tagNameRequired').max(80, 'validation.tooLong'),
  description: z.string().trim().max(500, 'validation.tooLong').default(''),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'validation.colourInvalid')
    .default('#1d70b8'),
  parentId: optionalId,
  shortcut: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.coerce.number().int().min(1).max(9).nullable(),
  ),
}
const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), ...TagFields }),
  z.object({
    intent: z.literal('update'),
    tagId: z.coerce.number().int().positive(),
    ...TagFields,
  }),
  z.object({
    intent: z.literal('merge'),
    fromId: z.coerce.number().int().positive(),
    intoId: z.coerce.number().int().positive(),
  }),
  z.object({
    intent: z.literal('delete'),
    tagId: z.coerce.number().int().positive(),
    confirm: z.literal('on', { error: 'validation.confirmDelete' }),
  }),
])

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const { round } = await getManagedRound(getDb(), { id, now: new Date().toISOString() })
  const t = await translatorFor(request)
  return {
    round: { id: round.id, title: round.title },
    tags: await listTags(getDb(), { consultationId: id }),
    notice: new URL(request.url).searchParams.get('done'),
    title: `${t('tags.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(Intent))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const form = Object.fromEntries((await readForm(request, FORM())).formData)
  const parsed = Intent.safeParse(form)
  if (!parsed.success) {
    return data({ errors: parsed.error.issues.map((i) => i.message), form }, { status: 400 })
  }
  const db = getDb()
  const input = parsed.data
  try {
    if (input.intent === 'create') await createTag(db, { actor: user, consultationId: id, input })
    if (input.intent === 'update')
      await updateTag(db, { actor: user, consultationId: id, tagId: input.tagId, input })
    if (input.intent === 'merge')
      await mergeTags(db, {
        actor: user,
        consultationId: id,
        fromId: input.fromId,
        intoId: input.intoId,
      })
    if (input.intent === 'delete')
      await deleteTag(db, { actor: user, consultationId: id, tagId: input.tagId })
  } catch (error) {
    if (error instanceof TagNameTakenError)
      return data({ errors: ['validation.tagNameTaken'], form }, { status: 409 })
    if (error instanceof TagNestingError)
      return data({ errors: ['validation.tagNesting'], form }, { status: 409 })
    throw error
  }
  return redirect(`/manage/rounds/${id}/tags?done=${input.intent}`)
}

const COLOURS = [
  '#1d70b8',
  '#00703c',
  '#b10e1e',
  '#6f3c00',
  '#4c2c92',
  '#0b0c0c',
  '#d53880',
  '#28a197',
]

export default function Tags() {
  const { round, tags, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const typed = (actionData?.form ?? {}) as Record<string, string>
  const parents = tags.filter((tag) => tag.parentId === null)
  const fields = (prefix: string, values: Partial<Record<string, string>>, selfId?: number) => (
    <>
      <div className="form-group">
        <label className="label" htmlFor={`${prefix}-name`}>
          {t('tags.name')}
        </label>
        <input
          className="input input--medium"
          id={`${prefix}-name`}
          name="name"
          defaultValue={values.name ?? ''}
          required
        />
      </div>
      <div className="form-group">
        <label className="label" htmlFor={`${prefix}-description`}>
          {t('tags.description')}
        </label>
        <input
          className="input"
          id={`${prefix}-description`}
          name="description"
          defaultValue={values.description ?? ''}
        />
      </div>
      <div className="form-group">
        <label className="label" htmlFor={`${prefix}-colour`}>
          {t('tags.colour')}
        </label>
        <select
          className="select"
          id={`${prefix}-colour`}
          name="colour"
          defaultValue={values.colour ?? COLOURS[0]}
        >
          {COLOURS.map((c, i) => (
            <option key={c} value={c}>
              {t(`tags.colours.${i}` as 'tags.colours.0')}
            </option>
          ))}
        </select>
      </div>
      <div className="form-group">
        <label className="label" htmlFor={`${prefix}-parent`}>
          {t('tags.parent')}
        </label>
        <select
          className="select"
          id={`${prefix}-parent`}
          name="parentId"
          defaultValue={values.parentId ?? ''}
        >
          <option value="">{t('tags.topLevel')}</option>
          {parents
            .filter((p) => p.id !== selfId)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      </div>
      <div className="form-group">
        <label className="label" htmlFor={`${prefix}-shortcut`}>
          {t('tags.shortcut')}
        </label>
        <select
          className="select"
          id={`${prefix}-shortcut`}
          name="shortcut"
          defaultValue={values.shortcut ?? ''}
        >
          <option value="">{t('tags.noShortcut')}</option>
          {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
    </>
  )
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}/responses`}>
          {t('review.backToQueue', { title: round.title })}
        </Link>
      </p>
      {notice ? <Notice>{t(`tags.done.${notice as 'create'}`)}</Notice> : null}
      {actionData?.errors ? (
        <ErrorSummary
          errors={actionData.errors.map((e) => ({
            fieldId: null,
            message: t(e as 'validation.tooLong'),
          }))}
        />
      ) : null}
      <h1>{t('tags.title')}</h1>
      <p>{t('tags.intro')}</p>
      {tags.length === 0 ? <p>{t('tags.none')}</p> : null}
      {tags.map((tag) => (
        <details key={tag.id} className={`tag-row${tag.parentId ? ' tag-row--child' : ''}`}>
          <summary>
            <span className="tag-chip" data-colour={tag.colour}>
              {tag.name}
            </span>{' '}
            {t('tags.count', { count: tag.count })}
            {tag.shortcut ? ` · ${t('tags.key', { key: tag.shortcut })}` : ''}
          </summary>
          {tag.description ? <p>{tag.description}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="tagId" value={tag.id} />
            {fields(
              `tag-${tag.id}`,
              {
                name: tag.name,
                description: tag.description,
                colour: tag.colour,
                parentId: tag.parentId ? String(tag.parentId) : '',
                shortcut: tag.shortcut ? String(tag.shortcut) : '',
              },
              tag.id,
            )}
            <button type="submit" className="button button--secondary">
              {t('tags.save')}
            </button>
          </Form>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="fromId" value={tag.id} />
            <label htmlFor={`merge-${tag.id}`}>{t('tags.mergeInto', { name: tag.name })}</label>
            <select className="select" id={`merge-${tag.id}`} name="intoId">
              {tags
                .filter((other) => other.id !== tag.id)
                .map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.name}
                  </option>
                ))}
            </select>
            <button type="submit" className="button button--secondary">
              {t('tags.merge')}
            </button>
          </Form>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="tagId" value={tag.id} />
            <div className="checkbox">
              <input type="checkbox" id={`confirm-${tag.id}`} name="confirm" />
              <label htmlFor={`confirm-${tag.id}`}>
                {t('tags.confirmDelete', { name: tag.name, count: tag.count })}
              </label>
            </div>
            <button type="submit" className="button button--warning">
              {t('tags.delete')}
            </button>
          </Form>
        </details>
      ))}
      <section aria-labelledby="new-tag" className="panel">
        <h2 id="new-tag">{t('tags.create')}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          {fields('new', typed.intent === 'create' ? typed : {})}
          <button type="submit" className="button">
            {t('tags.create')}
          </button>
        </Form>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
