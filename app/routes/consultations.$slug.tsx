import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { StatusTag } from '#app/components/status-tag.tsx'
import { i18next } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { formatRelative } from '#app/utils/format.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'

const Params = z.object({ slug: z.string().min(1).max(200) })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const now = new Date().toISOString()
  const round = await getPublicConsultation(getDb(), { slug: parsed.data.slug, now })
  if (!round) throw new Response('Not found', { status: 404 })
  const t = await i18next.getFixedT(request)
  return {
    now,
    title: `${round.title} – ${t('meta.siteName')}`,
    round: {
      ...round,
      backgroundHtml: renderMarkdown(round.background),
      controls: round.controls.map((c) => ({ ...c, bodyHtml: renderMarkdown(c.body) })),
    },
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export default function ConsultationPage() {
  const { round, now } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  return (
    <article>
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
                  {t('round.timeLeft', { relative: formatRelative(round.closesAt, now, locale) })}
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

      {round.controls.length ? (
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
          </ol>
        </nav>
      ) : null}

      <section aria-labelledby="background">
        <h2 id="background">{t('round.backgroundHeading')}</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: round.backgroundHtml }} />
      </section>

      <section aria-labelledby="controls-heading">
        <h2 id="controls-heading">{t('round.controlsHeading')}</h2>
        {round.controls.length === 0 ? <p>{t('round.noControls')}</p> : null}
        {round.controls.map((control) => (
          <section
            key={control.id}
            id={`control-${control.id}`}
            className="control"
            aria-labelledby={`control-${control.id}-title`}
          >
            <p className="control__reference">
              {t('round.controlReference', { reference: control.reference })}
            </p>
            <h3 id={`control-${control.id}-title`}>{control.title}</h3>
            <div className="prose" dangerouslySetInnerHTML={{ __html: control.bodyHtml }} />
            {control.questions.length ? (
              <>
                <h4>{t('round.questionsHeading')}</h4>
                <ol>
                  {control.questions.map((q) => (
                    <li key={q.id}>{q.prompt}</li>
                  ))}
                </ol>
              </>
            ) : null}
          </section>
        ))}
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
