import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import {
  countPublishedResponses,
  listPublishedResponses,
} from '#app/models/public-responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName } from '#app/utils/display-names.ts'

const Params = z.object({ slug: z.string().min(1).max(200) })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const db = getDb()
  const round = await getPublicConsultation(db, {
    slug: parsed.data.slug,
    now: new Date().toISOString(),
  })
  if (!round) throw new Response('Not found', { status: 404 })
  const cursor = new URL(request.url).searchParams.get('after')
  const page = await listPublishedResponses(db, { consultationId: round.id, cursor })
  const t = await translatorFor(request)
  const locale = await i18next.getLocale(request)
  return {
    round: { slug: round.slug, title: round.title },
    total: (await countPublishedResponses(db, { consultationId: round.id })).total,
    nextCursor: page.nextCursor,
    responses: page.responses.map((r) => ({ ...r, countryName: countryName(r.country, locale) })),
    first: !cursor,
    title: `${t('publicResponses.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function PublishedResponses() {
  const { round, responses, nextCursor, total, first } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/consultations/${round.slug}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      <h1>{t('publicResponses.title')}</h1>
      <p>{t('publicResponses.intro', { count: total })}</p>
      <ol className="response-list">
        {responses.map((r) => (
          <li key={r.id} className="response" id={`response-${r.id}`}>
            <article aria-labelledby={`response-${r.id}-title`}>
              <h2 id={`response-${r.id}-title`} className="response__title">
                {r.author ?? t('publicResponses.anonymous')}
              </h2>
              <p className="response__meta">
                {t(`respondentTypes.${r.respondentType}`)} · {r.countryName} ·{' '}
                <DateTime iso={r.submittedAt} />
              </p>
              {r.publicVersion !== null ? (
                <>
                  <p className="hint">{t('publicResponses.confidentialNote')}</p>
                  <p className="response__body">{r.publicVersion}</p>
                </>
              ) : (
                r.items.map((item, index) => (
                  <section key={index} className="response__item">
                    <h3>
                      {item.controlReference
                        ? `${item.controlReference}: ${item.controlTitle}`
                        : t('publicResponses.wholeRound')}
                    </h3>
                    <p>
                      <strong>{t('publicResponses.position')}</strong>{' '}
                      {t(`positions.${item.position}`)}
                    </p>
                    {item.body ? <p className="response__body">{item.body}</p> : null}
                    {item.answers.length ? (
                      <dl className="answers">
                        {item.answers.map((a) => (
                          <div key={a.question}>
                            <dt>{a.question}</dt>
                            <dd className="response__body">{a.answer}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : null}
                  </section>
                ))
              )}
            </article>
          </li>
        ))}
      </ol>
      <nav aria-label={t('publicResponses.pages')} className="pager">
        {!first ? <Link to="?">{t('publicResponses.newest')}</Link> : null}
        {nextCursor ? <Link to={`?after=${nextCursor}`}>{t('publicResponses.older')}</Link> : null}
      </nav>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
