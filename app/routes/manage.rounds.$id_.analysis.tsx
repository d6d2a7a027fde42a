import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { BarChart } from '#app/components/bar-chart.tsx'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getManagedRound } from '#app/models/consultation-authoring.server.ts'
import { officialStatistics } from '#app/models/statistics.server.ts'
import {
  approveSummary,
  listSummaries,
  saveSummary,
  setReportPublished,
  SummaryScopeError,
} from '#app/models/summaries.server.ts'
import { listTags } from '#app/models/tags.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName } from '#app/utils/display-names.ts'
import { formatNumber } from '#app/utils/format.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const scopeId = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.coerce.number().int().positive().nullable(),
)
const Intent = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('save'),
    controlId: scopeId,
    tagId: scopeId,
    body: z.string().max(100_000),
  }),
  z.object({ intent: z.literal('approve'), summaryId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal('publish-report'), publish: z.enum(['yes', 'no']) }),
])

function roundId(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const db = getDb()
  const { round, controls } = await getManagedRound(db, { id, now: new Date().toISOString() })
  const stats = await officialStatistics(db, { consultationId: id })
  const locale = await i18next.getLocale(request)
  const t = await translatorFor(request)
  return {
    round: {
      id: round.id,
      title: round.title,
      slug: round.slug,
      reportPublishedAt: round.reportPublishedAt,
    },
    stats: {
      ...stats,
      byCountry: stats.byCountry.map((c) => ({ ...c, name: countryName(c.key, locale) })),
    },
    controls: controls.map((c) => ({ id: c.id, reference: c.reference, title: c.title })),
    tags: (await listTags(db, { consultationId: id })).filter((tag) => tag.count > 0),
    summaries: await listSummaries(db, { consultationId: id }),
    notice: new URL(request.url).searchParams.get('done'),
    title: `${t('analysis.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(Intent, { maxTextBytes: 512 * 1024 }))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return data({ error: 'analysis.invalid' }, { status: 400 })
  const db = getDb()
  const input = parsed.data
  if (input.intent === 'save') {
    try {
      await saveSummary(db, {
        actor: user,
        consultationId: id,
        controlId: input.controlId,
        tagId: input.tagId,
        body: input.body,
      })
    } catch (error) {
      if (!(error instanceof SummaryScopeError)) throw error
      return data({ error: 'analysis.invalid' }, { status: 400 })
    }
  } else if (input.intent === 'approve') {
    await approveSummary(db, { actor: user, consultationId: id, summaryId: input.summaryId })
  } else {
    await setReportPublished(db, {
      actor: user,
      consultationId: id,
      published: input.publish === 'yes',
    })
  }
  return redirect(`/manage/rounds/${id}/analysis?done=${input.intent}`)
}

function CountTable({
  caption,
  rows,
  label,
}: {
  caption: string
  rows: { name: string; count: number; unique: number }[]
  label: string
}) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  return (
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col" className="numeric">
            {t('report.allResponses')}
          </th>
          <th scope="col" className="numeric">
            {t('report.uniqueTexts')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            <td className="numeric">{formatNumber(r.count, locale)}</td>
            <td className="numeric">{formatNumber(r.unique, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export default function Analysis() {
  const { round, stats, controls, tags, summaries, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const scopes = [
    ...controls.map((c) => ({
      key: `control-${c.id}`,
      controlId: c.id as number | null,
      tagId: null as number | null,
      heading: `${c.reference}: ${c.title}`,
      themes: `?control=${c.id}`,
    })),
    ...tags.map((tag) => ({
      key: `tag-${tag.id}`,
      controlId: null as number | null,
      tagId: tag.id as number | null,
      heading: t('analysis.tagScope', { name: tag.name }),
      themes: `?tag=${tag.id}`,
    })),
  ]
  const chartRows = (rows: { name: string; count: number; unique: number }[]) =>
    rows.map((r) => ({ label: r.name, value: r.count, inner: r.unique }))
  const byStakeholder = stats.byStakeholder.map((g) => ({
    name: t(`stakeholders.${g.key}`),
    count: g.count,
    unique: g.unique,
  }))
  const byType = stats.byType.map((g) => ({
    name: t(`respondentTypes.${g.key}`),
    count: g.count,
    unique: g.unique,
  }))
  const byCountry = stats.byCountry.map((g) => ({ name: g.name, count: g.count, unique: g.unique }))
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      {notice ? <Notice>{t('review.saved')}</Notice> : null}
      {actionData && 'error' in actionData ? (
        <ErrorSummary errors={[{ fieldId: null, message: t('analysis.invalid') }]} />
      ) : null}
      <h1>{t('analysis.title')}</h1>
      <p className="lead">{round.title}</p>
      <p>
        {t('analysis.totals', {
          total: formatNumber(stats.total, locale),
          unique: formatNumber(stats.uniqueTexts, locale),
          published: formatNumber(stats.published, locale),
        })}
      </p>
      <p className="hint">
        {t('analysis.countedAt')} <DateTime iso={stats.countedAt} />. {t('analysis.legend')}
      </p>

      <section aria-labelledby="balance-heading" className="panel">
        <h2 id="balance-heading">{t('report.byStakeholder')}</h2>
        <div className="chart-and-table">
          <BarChart title={t('report.byStakeholder')} bars={chartRows(byStakeholder)} />
          <CountTable
            caption={t('report.byStakeholder')}
            rows={byStakeholder}
            label={t('report.stakeholderGroup')}
          />
        </div>
      </section>
      <section aria-labelledby="type-heading" className="panel">
        <h2 id="type-heading">{t('report.byType')}</h2>
        <div className="chart-and-table">
          <BarChart title={t('report.byType')} bars={chartRows(byType)} />
          <CountTable
            caption={t('report.byType')}
            rows={byType}
            label={t('round.respondentType')}
          />
        </div>
      </section>
      <section aria-labelledby="country-heading" className="panel">
        <h2 id="country-heading">{t('report.byCountry')}</h2>
        <div className="chart-and-table">
          <BarChart title={t('report.byCountry')} bars={chartRows(byCountry.slice(0, 20))} />
          <CountTable caption={t('report.byCountry')} rows={byCountry} label={t('round.country')} />
        </div>
      </section>
      <section aria-labelledby="control-heading" className="panel">
        <h2 id="control-heading">{t('analysis.byControl')}</h2>
        {stats.byControl.map((c) => {
          const rows = c.positions.map((p) => ({
            name: t(`positions.${p.key}`),
            count: p.count,
            unique: p.unique,
          }))
          const heading = c.reference
            ? `${c.reference}: ${c.title}`
            : t('publicResponses.wholeRound')
          return (
            <div key={String(c.controlId)} className="chart-and-table">
              <BarChart title={heading} bars={chartRows(rows)} />
              <CountTable
                caption={heading}
                rows={rows}
                label={t('publicResponses.position').replace(':', '')}
              />
            </div>
          )
        })}
      </section>
      <section aria-labelledby="time-heading" className="panel">
        <h2 id="time-heading">{t('analysis.overTime')}</h2>
        <div className="chart-and-table">
          <BarChart
            title={t('analysis.overTime')}
            bars={stats.overTime.slice(-30).map((d) => ({ label: d.date, value: d.count }))}
          />
          <CountTable
            caption={t('analysis.overTime')}
            rows={stats.overTime.map((d) => ({ name: d.date, count: d.count, unique: d.count }))}
            label={t('analysis.day')}
          />
        </div>
      </section>

      <section aria-labelledby="summaries-heading" className="panel">
        <h2 id="summaries-heading">{t('analysis.summaries')}</h2>
        <p>{t('analysis.summariesIntro')}</p>
        <p>
          <Link to={`/manage/rounds/${round.id}/themes`}>{t('themes.link')}</Link>
        </p>
        {scopes.map((scope) => {
          const saved = summaries.find(
            (s) => s.controlId === scope.controlId && s.tagId === scope.tagId,
          )
          return (
            <section
              key={scope.key}
              aria-labelledby={`${scope.key}-heading`}
              className="summary-editor"
            >
              <h3 id={`${scope.key}-heading`}>{scope.heading}</h3>
              {saved ? (
                <p className="hint">
                  {t(`analysis.state.${saved.state}`)} · {saved.author ?? '—'},{' '}
                  <DateTime iso={saved.updatedAt} />
                  {saved.approvedAt ? (
                    <>
                      {' '}
                      · {t('analysis.approvedBy', { name: saved.approvedBy ?? '—' })}{' '}
                      <DateTime iso={saved.approvedAt} />
                    </>
                  ) : null}
                </p>
              ) : null}
              <p>
                <Link to={`/manage/rounds/${round.id}/themes${scope.themes}`}>
                  {t('analysis.themesFor', { scope: scope.heading })}
                </Link>
              </p>
              <Form method="post">
                <input type="hidden" name="controlId" value={scope.controlId ?? ''} />
                <input type="hidden" name="tagId" value={scope.tagId ?? ''} />
                <div className="form-group">
                  <label className="label" htmlFor={`${scope.key}-body`}>
                    {t('analysis.summaryLabel', { scope: scope.heading })}
                  </label>
                  <textarea
                    className="textarea"
                    id={`${scope.key}-body`}
                    name="body"
                    rows={8}
                    defaultValue={saved?.body ?? ''}
                  />
                </div>
                <div className="button-group">
                  <button
                    type="submit"
                    name="intent"
                    value="save"
                    className="button button--secondary"
                  >
                    {t('analysis.saveDraft')}
                  </button>
                </div>
              </Form>
              {saved && saved.state === 'draft' ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="approve" />
                  <input type="hidden" name="summaryId" value={saved.id} />
                  <button type="submit" className="button">
                    {t('analysis.approve')}
                  </button>
                </Form>
              ) : null}
            </section>
          )
        })}
      </section>

      <section aria-labelledby="export-heading" className="panel">
        <h2 id="export-heading">{t('analysis.exports')}</h2>
        <Form method="post" action={`/manage/rounds/${round.id}/export`} reloadDocument>
          <fieldset className="fieldset">
            <legend className="label">{t('analysis.format')}</legend>
            {(['pdf', 'docx', 'csv', 'json'] as const).map((format, i) => (
              <div className="radio" key={format}>
                <input
                  type="radio"
                  id={`format-${format}`}
                  name="format"
                  value={format}
                  defaultChecked={i === 0}
                />
                <label htmlFor={`format-${format}`}>{t(`analysis.formats.${format}`)}</label>
              </div>
            ))}
          </fieldset>
          <div className="checkbox">
            <input
              type="checkbox"
              id="export-full"
              name="full"
              value="yes"
              aria-describedby="export-full-hint"
            />
            <label htmlFor="export-full">{t('analysis.full')}</label>
          </div>
          <p className="hint" id="export-full-hint">
            {t('analysis.fullHint')}
          </p>
          <button type="submit" className="button">
            {t('analysis.download')}
          </button>
        </Form>
        <h3>{t('analysis.publicReport')}</h3>
        {round.reportPublishedAt ? (
          <p>
            {t('analysis.reportPublished')} <DateTime iso={round.reportPublishedAt} />:{' '}
            <a
              href={`/consultations/${round.slug}/report.pdf`}
            >{`/consultations/${round.slug}/report.pdf`}</a>
          </p>
        ) : (
          <p>{t('analysis.reportNotPublished')}</p>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="publish-report" />
          <input type="hidden" name="publish" value={round.reportPublishedAt ? 'no' : 'yes'} />
          <button type="submit" className="button button--secondary">
            {round.reportPublishedAt ? t('analysis.unpublishReport') : t('analysis.publishReport')}
          </button>
        </Form>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
