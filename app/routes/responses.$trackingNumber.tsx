import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import { withdrawResponse } from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName, formatBytes } from '#app/utils/display-names.ts'
import { loadOwnResponse } from '#app/utils/own-response.server.ts'
import { privateLink } from '#app/utils/response-form.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { readForm, refuseForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'
import { z } from 'zod'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { view, key } = await loadOwnResponse(request, params)
  const round = await getPublicConsultation(getDb(), {
    slug: view.round.slug,
    now: new Date().toISOString(),
  })
  const search = new URL(request.url).searchParams
  const t = await translatorFor(request)
  return {
    view,
    controls: (round?.controls ?? []).map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      questions: c.questions,
    })),
    contactPoint: round?.contactPoint ?? '',
    closesAt: round?.closesAt ?? null,
    key,
    countryName: countryName(String(view.form.country ?? ''), await i18next.getLocale(request)),
    link: key ? privateLink(request, view.trackingNumber, key) : null,
    receipt: search.get('receipt') === '1',
    notice: search.get('notice') === 'edited' ? ('edited' as const) : null,
    title: `${t('receipt.title', { tracking: view.trackingNumber })} – ${t('meta.siteName')}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }, { name: 'robots', content: 'noindex' }] : errorMeta(args)

const FORM = lazyShape(() => formShape(z.object({ intent: z.string(), confirm: z.string() })))

export async function action({ request, params }: ActionFunctionArgs) {
  const { view, key } = await loadOwnResponse(request, params)
  const { formData: form } = await readForm(request, FORM())
  if (form.get('intent') !== 'withdraw') refuseForm('unknownIntent')
  if (!view.round.window.editable)
    return data({ error: 'receipt.tooLateToWithdraw' }, { status: 409 })
  if (form.get('confirm') !== 'on')
    return data({ error: 'receipt.confirmWithdraw' }, { status: 400 })
  await withdrawResponse(getDb(), { responseId: view.id })
  const query = key ? `?${new URLSearchParams({ key })}` : ''
  return redirect(`/responses/${view.trackingNumber}${query}`)
}

export default function OwnResponse() {
  const {
    view,
    controls,
    link,
    key,
    receipt,
    notice,
    contactPoint,
    closesAt,
    countryName: countryNameText,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const query = key ? `?${new URLSearchParams({ key })}` : ''
  const withdrawn = view.status === 'withdrawn'
  const form = view.form as Record<string, string | undefined>
  return (
    <>
      {actionData?.error ? (
        <ErrorSummary
          errors={[
            { fieldId: 'confirm', message: t(actionData.error as 'receipt.confirmWithdraw') },
          ]}
        />
      ) : null}
      {receipt ? (
        <div className="panel-confirmation" role="status">
          <h1>{t('receipt.received')}</h1>
          <p>{t('receipt.trackingLabel')}</p>
          <p className="tracking-number">{view.trackingNumber}</p>
        </div>
      ) : (
        <h1>{t('receipt.title', { tracking: view.trackingNumber })}</h1>
      )}
      {notice ? <Notice>{t('receipt.edited')}</Notice> : null}
      <p className="lead">
        <Link to={`/consultations/${view.round.slug}`}>{view.round.title}</Link>
      </p>
      {link ? (
        <section aria-labelledby="link-heading" className="inset">
          <h2 id="link-heading">{t('receipt.linkHeading')}</h2>
          <p>{t('receipt.linkExplain')}</p>
          <p className="private-link">
            <a href={link}>{link}</a>
          </p>
          {receipt && form.contactEmail ? (
            <p>{t('receipt.emailSent', { email: form.contactEmail })}</p>
          ) : null}
        </section>
      ) : null}

      <dl className="summary-list">
        <dt>{t('receipt.status')}</dt>
        <dd>
          {t(`responseStatus.${view.status}`)}
          {view.isLate ? ` (${t('receipt.late')})` : ''}
          {view.moderationReason ? (
            <p>{t('receipt.reason', { reason: view.moderationReason })}</p>
          ) : null}
        </dd>
        <dt>{t('receipt.sent')}</dt>
        <dd>
          <DateTime iso={view.submittedAt} />
        </dd>
        <dt>{t('respond.respondentType')}</dt>
        <dd>{t(`respondentTypes.${form.respondentType as 'company'}`)}</dd>
        {form.organisation ? (
          <>
            <dt>{t('respond.organisation')}</dt>
            <dd>{form.organisation}</dd>
          </>
        ) : null}
        {form.authorName ? (
          <>
            <dt>{t('respond.authorName')}</dt>
            <dd>{form.authorName}</dd>
          </>
        ) : null}
        <dt>{t('respond.country')}</dt>
        <dd>{countryNameText}</dd>
        <dt>{t('respond.publication')}</dt>
        <dd>{t(`publication.${form.publication as 'named'}`)}</dd>
        {form.contactEmail || form.contactName ? (
          <>
            <dt>{t('receipt.contact')}</dt>
            <dd>{[form.contactName, form.contactEmail].filter(Boolean).join(', ')}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('receipt.yourViews')}</h2>
      {view.items.map((item, index) => {
        const control = controls.find((c) => c.id === item.controlId)
        return (
          <section key={index} className="response__item">
            <h3>
              {control ? `${control.reference}: ${control.title}` : t('publicResponses.wholeRound')}
            </h3>
            <p>
              <strong>{t('publicResponses.position')}</strong> {t(`positions.${item.position}`)}
            </p>
            {item.body ? <p className="response__body">{item.body}</p> : null}
            {item.answers.map((a) => (
              <div key={a.questionId}>
                <p>
                  <strong>{control?.questions.find((q) => q.id === a.questionId)?.prompt}</strong>
                </p>
                <p className="response__body">{a.answer}</p>
              </div>
            ))}
          </section>
        )
      })}
      {form.confidential === 'on' ? (
        <section className="response__item">
          <h3>{t('respond.publicVersion')}</h3>
          <p className="response__body">{form.publicVersion}</p>
        </section>
      ) : null}
      {view.attachments.length ? (
        <>
          <h2>{t('respond.filesHeading')}</h2>
          <ul className="documents">
            {view.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/responses/${view.trackingNumber}/attachments/${a.id}${query}`}>
                  {a.filename}
                </a>{' '}
                <span className="hint">
                  ({formatBytes(a.sizeBytes, locale)}
                  {a.confidential ? `, ${t('respond.confidentialFile')}` : ''})
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {withdrawn ? (
        <p className="notice">{t('receipt.withdrawn')}</p>
      ) : view.round.window.editable ? (
        <section aria-labelledby="change-heading" className="panel">
          <h2 id="change-heading">{t('receipt.changeHeading')}</h2>
          <p>
            {t('receipt.changeUntil')} {closesAt ? <DateTime iso={closesAt} /> : null}
          </p>
          <p>
            <Link className="button" to={`/responses/${view.trackingNumber}/edit${query}`}>
              {t('receipt.edit')}
            </Link>
          </p>
          <Form method="post" action={`/responses/${view.trackingNumber}${query}`}>
            <input type="hidden" name="intent" value="withdraw" />
            <div className="checkbox">
              <input type="checkbox" id="confirm" name="confirm" />
              <label htmlFor="confirm">{t('receipt.confirmLabel')}</label>
            </div>
            <button type="submit" className="button button--warning">
              {t('receipt.withdraw')}
            </button>
          </Form>
        </section>
      ) : (
        <p className="notice">{t('receipt.closedNoChanges', { contact: contactPoint })}</p>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
