import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { Snippet } from '#app/components/snippet.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { moderate } from '#app/models/moderation.server.ts'
import { POSITIONS, RESPONDENT_TYPES } from '#app/models/response-input.ts'
import {
  BULK_MAX,
  countQueue,
  listQueue,
  matchingIds,
  queueChoices,
} from '#app/models/review.server.ts'
import { searchIndexState } from '#app/models/search-index.server.ts'
import { applyTag, listTags } from '#app/models/tags.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName } from '#app/utils/display-names.ts'
import { formatNumber } from '#app/utils/format.ts'
import { readQueueFilters } from '#app/utils/queue-filters.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const Bulk = z.object({
  intent: z.enum(['publish', 'withhold', 'spam', 'tag']),
  scope: z.enum(['selected', 'all']).default('selected'),
  ids: z.array(z.coerce.number().int().positive()).default([]),
  tagId: z.coerce.number().int().positive().optional(),
  reason: z.string().trim().max(1000).optional(),
})

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const db = getDb()
  const url = new URL(request.url)
  const { round } = await getManagedRound(db, { id, now: new Date().toISOString() })
  const { params: query, filters, searchError } = readQueueFilters(url)
  const page = searchError
    ? { rows: [], nextCursor: null }
    : await listQueue(db, { consultationId: id, filters, cursor: url.searchParams.get('after') })
  const total = searchError
    ? { count: 0, more: false }
    : await countQueue(db, { consultationId: id, filters })
  const choices = await queueChoices(db, { consultationId: id })
  // Honest about what a search can find: SQLite's index may be a moment behind, or being built.
  const searchBehind = filters.search ? await searchIndexState(db) : null
  const locale = await i18next.getLocale(request)
  const t = await translatorFor(request)
  return {
    round: { id: round.id, title: round.title },
    query,
    searchError,
    searchBehind,
    total,
    rows: page.rows.map((r) => ({ ...r, countryName: countryName(r.country, locale) })),
    nextCursor: page.nextCursor,
    tags: await listTags(db, { consultationId: id }),
    controls: choices.controls,
    countries: choices.countries.map((code) => ({ code, name: countryName(code, locale) })),
    notice: url.searchParams.get('done'),
    title: `${t('review.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

/** A page of the queue shows 50 responses: a selection is at most that. */
const FORM = lazyShape(() => formShape(Bulk, { repeat: { ids: 200 } }))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const { formData: form } = await readForm(request, FORM())
  const parsed = Bulk.safeParse({
    intent: form.get('intent'),
    scope: form.get('scope') ?? undefined,
    ids: form.getAll('ids'),
    tagId: form.get('tagId') || undefined,
    reason: form.get('reason') ?? undefined,
  })
  if (!parsed.success) return data({ error: 'review.bulkInvalid' }, { status: 400 })
  const db = getDb()
  const url = new URL(request.url)
  const { filters, searchError } = readQueueFilters(url)
  if (parsed.data.scope === 'all' && searchError)
    return data({ error: searchError }, { status: 400 })
  const ids =
    parsed.data.scope === 'all'
      ? await matchingIds(db, { consultationId: id, filters })
      : parsed.data.ids
  if (!ids.length) return data({ error: 'review.nothingSelected' }, { status: 400 })
  let count: number
  if (parsed.data.intent === 'tag') {
    if (!parsed.data.tagId) return data({ error: 'review.chooseTag' }, { status: 400 })
    count = await applyTag(db, {
      actor: user,
      consultationId: id,
      tagId: parsed.data.tagId,
      responseIds: ids,
    })
  } else {
    if (parsed.data.intent === 'withhold' && !parsed.data.reason)
      return data({ error: 'review.reasonRequired' }, { status: 400 })
    count = (
      await moderate(db, {
        actor: user,
        consultationId: id,
        ids,
        action: parsed.data.intent,
        reason: parsed.data.reason,
      })
    ).changed.length
  }
  url.searchParams.delete('after')
  url.searchParams.set('done', `${parsed.data.intent}:${count}`)
  return redirect(`${url.pathname}?${url.searchParams}`)
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string
  label: string
  value?: string | number
  options: { value: string; label: string }[]
}) {
  const { t } = useTranslation()
  return (
    <div className="form-group">
      <label className="label" htmlFor={`f-${name}`}>
        {label}
      </label>
      <select
        className="select"
        id={`f-${name}`}
        name={name}
        defaultValue={value === undefined ? '' : String(value)}
      >
        <option value="">{t('review.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

export default function ReviewQueue() {
  const {
    round,
    query,
    searchError,
    searchBehind,
    total,
    rows,
    nextCursor,
    tags,
    controls,
    countries,
    notice,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const location = useLocation()
  const yesNo = [
    { value: 'yes', label: t('review.yes') },
    { value: 'no', label: t('review.no') },
  ]
  const [doneIntent, doneCount] = (notice ?? '').split(':')
  const nextParams = new URLSearchParams(location.search)
  if (nextCursor) nextParams.set('after', nextCursor)
  nextParams.delete('done')
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      {doneIntent ? (
        <Notice>{t(`review.done.${doneIntent as 'tag'}`, { count: Number(doneCount) })}</Notice>
      ) : null}
      {actionData?.error ? (
        <ErrorSummary
          errors={[{ fieldId: null, message: t(actionData.error as 'review.bulkInvalid') }]}
        />
      ) : null}
      <h1>{t('review.title')}</h1>
      <p className="lead">{round.title}</p>
      <p>
        <Link to={`/manage/rounds/${round.id}/tags`}>{t('review.manageTags')}</Link> ·{' '}
        <Link to={`/manage/rounds/${round.id}/campaigns`}>{t('review.campaigns')}</Link>
      </p>

      <Form
        method="get"
        className="queue-filters"
        role="search"
        aria-label={t('review.filtersLabel')}
      >
        <div className={`form-group${searchError ? ' form-group--error' : ''}`}>
          <label className="label" htmlFor="f-q">
            {t('review.search')}
          </label>
          <div className="hint" id="f-q-hint">
            {t('review.searchHint')}
          </div>
          {searchError ? (
            <p className="error-message" id="f-q-error">
              <span className="visually-hidden">{t('forms.errorPrefix')}</span>{' '}
              {t(searchError as 'review.searchError.empty')}
            </p>
          ) : null}
          <input
            className="input"
            type="search"
            id="f-q"
            name="q"
            defaultValue={query.q ?? ''}
            aria-describedby={searchError ? 'f-q-hint f-q-error' : 'f-q-hint'}
            aria-invalid={searchError ? true : undefined}
          />
        </div>
        <Select
          name="sort"
          label={t('review.sort')}
          value={query.sort}
          options={['newest', 'oldest', 'relevance'].map((s) => ({
            value: s,
            label: t(`review.sortBy.${s as 'newest'}`),
          }))}
        />
        <Select
          name="status"
          label={t('receipt.status')}
          value={query.status}
          options={['received', 'published', 'withheld', 'spam', 'withdrawn'].map((s) => ({
            value: s,
            label: t(`responseStatus.${s as 'received'}`),
          }))}
        />
        <Select
          name="type"
          label={t('respond.respondentType')}
          value={query.type}
          options={RESPONDENT_TYPES.map((r) => ({ value: r, label: t(`respondentTypes.${r}`) }))}
        />
        <Select
          name="country"
          label={t('respond.country')}
          value={query.country}
          options={countries.map((c) => ({ value: c.code, label: c.name }))}
        />
        <Select
          name="control"
          label={t('review.control')}
          value={query.control}
          options={controls.map((c) => ({
            value: String(c.id),
            label: `${c.reference}: ${c.title}`,
          }))}
        />
        <Select
          name="position"
          label={t('publicResponses.position').replace(':', '')}
          value={query.position}
          options={POSITIONS.map((p) => ({ value: p, label: t(`positions.${p}`) }))}
        />
        <Select
          name="tag"
          label={t('review.tag')}
          value={query.tag}
          options={tags.map((tag) => ({
            value: String(tag.id),
            label: tag.parentId ? `— ${tag.name}` : tag.name,
          }))}
        />
        <Select
          name="late"
          label={t('review.late')}
          value={query.late === undefined ? undefined : query.late ? 'yes' : 'no'}
          options={yesNo}
        />
        <Select
          name="confidential"
          label={t('review.confidential')}
          value={query.confidential === undefined ? undefined : query.confidential ? 'yes' : 'no'}
          options={yesNo}
        />
        <Select
          name="attachments"
          label={t('review.attachments')}
          value={query.attachments === undefined ? undefined : query.attachments ? 'yes' : 'no'}
          options={yesNo}
        />
        {query.cluster ? <input type="hidden" name="cluster" value={query.cluster} /> : null}
        <button type="submit" className="button">
          {t('review.apply')}
        </button>
        <Link to={`/manage/rounds/${round.id}/responses`}>{t('review.clear')}</Link>
      </Form>

      <h2 aria-live="polite">
        {total.more
          ? t('review.foundMore', { formatted: formatNumber(total.count, locale) })
          : t('review.found', { count: total.count, formatted: formatNumber(total.count, locale) })}
      </h2>
      {searchBehind?.building ? (
        <p className="notice" role="status">
          {t('review.searchBuilding', {
            percent: new Intl.NumberFormat(locale, { style: 'percent' }).format(
              searchBehind.building.lastId
                ? searchBehind.building.throughId / searchBehind.building.lastId
                : 0,
            ),
          })}
        </p>
      ) : searchBehind?.pending ? (
        <p className="notice" role="status">
          {t('review.searchBehind', {
            count: searchBehind.pending,
            formatted: formatNumber(searchBehind.pending, locale),
          })}
        </p>
      ) : null}

      <Form method="post" action={`${location.pathname}${location.search}`} className="queue">
        <fieldset className="bulk-bar">
          <legend className="label">{t('review.bulkLegend')}</legend>
          <div className="radio-inline">
            <input type="radio" id="scope-selected" name="scope" value="selected" defaultChecked />
            <label htmlFor="scope-selected">{t('review.scopeSelected')}</label>
            <input type="radio" id="scope-all" name="scope" value="all" />
            <label htmlFor="scope-all">
              {total.more
                ? t('review.scopeAllMore', {
                    formatted: formatNumber(total.count, locale),
                    most: formatNumber(BULK_MAX, locale),
                  })
                : t('review.scopeAll', {
                    count: total.count,
                    formatted: formatNumber(total.count, locale),
                  })}
            </label>
          </div>
          <div className="inline-form">
            <label htmlFor="bulk-tag">{t('review.tagWith')}</label>
            <select className="select" id="bulk-tag" name="tagId" defaultValue="">
              <option value="">{t('review.chooseTagOption')}</option>
              {tags.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.parentId ? `— ${tag.name}` : tag.name}
                </option>
              ))}
            </select>
            <button type="submit" name="intent" value="tag" className="button button--secondary">
              {t('review.applyTag')}
            </button>
          </div>
          <div className="inline-form">
            <button
              type="submit"
              name="intent"
              value="publish"
              className="button button--secondary"
            >
              {t('review.publish')}
            </button>
            <label htmlFor="bulk-reason">{t('review.reason')}</label>
            <input className="input input--medium" id="bulk-reason" name="reason" />
            <button
              type="submit"
              name="intent"
              value="withhold"
              className="button button--secondary"
            >
              {t('review.withhold')}
            </button>
            <button type="submit" name="intent" value="spam" className="button button--secondary">
              {t('review.spam')}
            </button>
          </div>
        </fieldset>
        <table className="table table--dense">
          <caption className="visually-hidden">{t('review.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('review.select')}</span>
              </th>
              <th scope="col">{t('review.response')}</th>
              <th scope="col">{t('review.respondent')}</th>
              <th scope="col">{t('review.positions')}</th>
              <th scope="col">{t('receipt.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <input
                    type="checkbox"
                    name="ids"
                    value={r.id}
                    id={`select-${r.id}`}
                    aria-label={t('review.selectOne', { tracking: r.trackingNumber })}
                  />
                </td>
                <td>
                  <Link to={`/manage/responses/${r.id}`}>{r.trackingNumber}</Link>
                  <br />
                  <span className="hint">
                    <DateTime iso={r.submittedAt} />
                  </span>
                  {r.snippet ? (
                    <p className="queue__snippet">
                      <Snippet text={r.snippet} />
                    </p>
                  ) : null}
                </td>
                <td>
                  {r.organisation ?? r.authorName ?? t('review.noName')}
                  <br />
                  <span className="hint">
                    {t(`respondentTypes.${r.respondentType}`)}, {r.countryName}
                  </span>
                  <ul className="flags">
                    {r.publication !== 'named' ? (
                      <li>{t(`review.publication.${r.publication}`)}</li>
                    ) : null}
                    {r.isLate ? <li>{t('review.late')}</li> : null}
                    {r.confidential ? <li>{t('review.confidential')}</li> : null}
                    {r.attachmentCount ? (
                      <li>{t('review.files', { count: r.attachmentCount })}</li>
                    ) : null}
                    {r.clusterId ? (
                      <li>
                        <Link to={`/manage/campaigns/${r.clusterId}`}>
                          {t('review.inCampaign', { count: r.clusterSize ?? 0 })}
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                </td>
                <td>
                  <ul className="plain">
                    {r.positions.map((p, i) => (
                      <li key={i}>
                        {p.reference ?? t('review.wholeRound')}: {t(`positions.${p.position}`)}
                      </li>
                    ))}
                  </ul>
                  {r.tags.length ? (
                    <ul className="tag-list">
                      {r.tags.map((tag) => (
                        <li key={tag.id} className="tag-chip">
                          {tag.name}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td>{t(`responseStatus.${r.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Form>
      {nextCursor ? (
        <p>
          <Link to={`?${nextParams}`}>{t('review.nextPage')}</Link>
        </p>
      ) : null}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
