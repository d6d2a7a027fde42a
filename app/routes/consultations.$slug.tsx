import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { getOptionalUser, hasRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ControlSection, DocumentList, ResponseCounts } from '#app/components/round-sections.tsx'
import { StatusTag } from '#app/components/status-tag.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { countPublishedResponses } from '#app/models/public-responses.server.ts'
import { consultationStatus } from '#app/models/consultation-status.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName } from '#app/utils/display-names.ts'
import { formatRelative } from '#app/utils/format.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import { PUBLIC_TTL_MS, cached } from '#app/utils/ttl-cache.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

const Params = z.object({ slug: z.string().min(1).max(200) })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const user = await getOptionalUser(request)
  const official = Boolean(user && hasRole(user.role, 'official'))
  const now = new Date().toISOString()
  const db = getDb()
  // Officials preview drafts at the public address; everyone else gets a 404.
  // The public's view (Markdown rendered, counts) is shared between requests
  // for a few seconds; the status is computed for each request from the dates.
  const load = async () => {
    const round = await getPublicConsultation(db, {
      slug: parsed.data.slug,
      now,
      includeDrafts: official,
    })
    if (!round) return null
    return {
      round: {
        ...round,
        backgroundHtml: renderMarkdown(round.background),
        controls: round.controls.map(({ body, ...c }) => ({
          ...c,
          bodyHtml: renderMarkdown(body),
        })),
      },
      counts: await countPublishedResponses(db, { consultationId: round.id }),
    }
  }
  const view = official
    ? await load()
    : await cached(`round:${parsed.data.slug}`, PUBLIC_TTL_MS, load)
  if (!view) throw new Response('Not found', { status: 404 })
  const t = await translatorFor(request)
  const locale = await i18next.getLocale(request)
  return {
    now,
    official,
    title: `${view.round.title} – ${t('meta.siteName')}`,
    counts: {
      ...view.counts,
      byCountry: view.counts.byCountry.map((c) => ({ ...c, name: countryName(c.key, locale) })),
    },
    round: { ...view.round, status: consultationStatus(view.round.statusDates, now) },
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function ConsultationPage() {
  const { round, now, counts, official } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  return (
    <article>
      {round.status === 'draft' ? (
        <div className="notice notice--warning" role="status">
          {t('round.draftPreview')}{' '}
          <Link to={`/manage/rounds/${round.id}`}>{t('round.editRound')}</Link>
        </div>
      ) : official ? (
        <p>
          <Link to={`/manage/rounds/${round.id}`}>{t('round.editRound')}</Link>
        </p>
      ) : null}
      <h1>{round.title}</h1>
      <p className="lead">{round.summary}</p>
      <dl className="summary-list">
        <dt>{t('round.statusLabel')}</dt>
        <dd>
          <StatusTag status={round.status} />
        </dd>
        {round.opensAt ? (
          <>
            <dt>{t('round.opensLabel')}</dt>
            <dd>
              <DateTime iso={round.opensAt} />
            </dd>
          </>
        ) : null}
        {round.closesAt ? (
          <>
            <dt>{t('round.closesLabel')}</dt>
            <dd>
              <DateTime iso={round.closesAt} />
              {round.status === 'open' ? (
                <>
                  <br />
                  <strong>
                    {t('round.timeLeft', { relative: formatRelative(round.closesAt, now, locale) })}
                  </strong>
                </>
              ) : null}
              {round.lateCommentsAllowed ? (
                <>
                  <br />
                  {t('round.lateAllowed')}
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {round.amendedAt ? (
          <>
            <dt>{t('round.amendedLabel')}</dt>
            <dd>
              <DateTime iso={round.amendedAt} />
            </dd>
          </>
        ) : null}
        {round.contactPoint ? (
          <>
            <dt>{t('round.contactLabel')}</dt>
            <dd>{round.contactPoint}</dd>
          </>
        ) : null}
        {round.commitments.length ? (
          <>
            <dt>{t('round.commitmentsLabel')}</dt>
            <dd>
              <ul>
                {round.commitments.map((n) => (
                  <li key={n}>{t(`round.commitment_${n}` as 'round.commitment_1')}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>

      <nav aria-labelledby="contents-heading" className="contents">
        <h2 id="contents-heading">{t('round.contentsLabel')}</h2>
        <ol>
          <li>
            <a href="#background">{t('round.backgroundHeading')}</a>
          </li>
          {round.controls.map((c) => (
            <li key={c.id}>
              <a href={`#control-${c.id}`}>
                {c.reference}: {c.title}
              </a>
            </li>
          ))}
          <li>
            <a href="#how-to-respond">{t('round.howHeading')}</a>
          </li>
        </ol>
      </nav>

      <section aria-labelledby="background">
        <h2 id="background">{t('round.backgroundHeading')}</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: round.backgroundHtml }} />
      </section>

      <DocumentList slug={round.slug} documents={round.documents} />

      <section aria-labelledby="controls-heading">
        <h2 id="controls-heading">{t('round.controlsHeading')}</h2>
        {round.controls.length === 0 ? <p>{t('round.noControls')}</p> : null}
        {round.controls.map((control) => (
          <ControlSection key={control.id} control={control} />
        ))}
      </section>

      <section aria-labelledby="how-to-respond" className="inset">
        <h2 id="how-to-respond">{t('round.howHeading')}</h2>
        <p>{t('round.howWho')}</p>
        <p>{t('round.howPublish')}</p>
        {round.status === 'open' || (round.status === 'closed' && round.lateCommentsAllowed) ? (
          <p>
            <Link className="button" to={`/consultations/${round.slug}/respond`}>
              {t('round.respond')}
            </Link>
          </p>
        ) : (
          <p>
            {round.status === 'upcoming' || round.status === 'draft'
              ? t('round.notOpenYet')
              : t('round.closedNow')}
          </p>
        )}
      </section>

      {round.reportPublished ? (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading">{t('round.reportHeading')}</h2>
          <p>
            <a href={`/consultations/${round.slug}/report.pdf`}>{t('round.reportLink')}</a>
          </p>
        </section>
      ) : null}

      <ResponseCounts slug={round.slug} counts={counts} />
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
