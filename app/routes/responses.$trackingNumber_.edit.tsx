import { randomUUID } from 'node:crypto'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ResponseForm } from '#app/components/response-form.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import {
  editResponse,
  getRoundForResponse,
  submissionWindow,
} from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { isDatabaseUnavailable } from '#app/utils/database-errors.server.ts'
import { discardFiles } from '#app/utils/file-sinks.server.ts'
import { loadOwnResponse } from '#app/utils/own-response.server.ts'
import {
  countryOptions,
  formDefaults,
  readResponseForm,
  refuseResponse,
  responseUnavailable,
  requestTooLarge,
  responseLimits,
} from '#app/utils/response-form.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { view, key } = await loadOwnResponse(request, params)
  const round = await getPublicConsultation(getDb(), {
    slug: view.round.slug,
    now: new Date().toISOString(),
  })
  if (!round) throw new Response('Not found', { status: 404 })
  const t = await translatorFor(request)
  return {
    trackingNumber: view.trackingNumber,
    editable: view.round.window.editable && view.status !== 'withdrawn',
    round: {
      slug: round.slug,
      title: round.title,
      closesAt: round.closesAt,
      contactPoint: round.contactPoint,
      controls: round.controls.map((c) => ({
        id: c.id,
        reference: c.reference,
        title: c.title,
        questions: c.questions,
      })),
    },
    attachments: view.attachments,
    defaults: formDefaults(round, view),
    submissionKey: randomUUID(),
    limits: responseLimits(),
    countries: countryOptions(await i18next.getLocale(request)),
    query: key ? `?${new URLSearchParams({ key })}` : '',
    title: `${t('receipt.editTitle', { tracking: view.trackingNumber })} – ${t('meta.siteName')}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }, { name: 'robots', content: 'noindex' }] : errorMeta(args)

export async function action({ request, params }: ActionFunctionArgs) {
  const { view, key } = await loadOwnResponse(request, params)
  const db = getDb()
  const round = await getRoundForResponse(db, { slug: view.round.slug })
  if (!round) throw new Response('Not found', { status: 404 })
  if (requestTooLarge(request)) return data({ tooLarge: true as const }, { status: 413 })
  const editable =
    submissionWindow(round, new Date().toISOString()).editable && view.status !== 'withdrawn'
  const form = await readResponseForm(request, round, { keepFiles: editable })
  let claimed = false
  try {
    const { submission, files, fileErrors } = form
    // Edits stop at the close, to the second, like new responses.
    if (
      !submissionWindow(round, new Date().toISOString()).editable ||
      view.status === 'withdrawn'
    ) {
      return refuseResponse(form, 409, { formErrors: ['receipt.tooLateToEdit'] })
    }
    if (submission.status !== 'success' || !files || fileErrors) {
      return refuseResponse(form, 400, { fieldErrors: fileErrors ?? undefined })
    }
    try {
      await editResponse(db, { responseId: view.id, round, input: submission.value, files })
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error
      return responseUnavailable(form, error)
    }
    claimed = true
    const query = new URLSearchParams({ ...(key ? { key } : {}), notice: 'edited' })
    return redirect(`/responses/${view.trackingNumber}?${query}`)
  } finally {
    if (!claimed) await discardFiles(form.staged)
  }
}

export default function EditResponse() {
  const {
    trackingNumber,
    editable,
    round,
    attachments,
    defaults,
    submissionKey,
    limits,
    query,
    countries,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/responses/${trackingNumber}${query}`}>
          {t('receipt.back', { tracking: trackingNumber })}
        </Link>
      </p>
      <h1>{t('receipt.editTitle', { tracking: trackingNumber })}</h1>
      <p className="lead">{round.title}</p>
      {!editable ? (
        <div className="notice notice--warning" role="status">
          <p>{t('receipt.closedNoChanges', { contact: round.contactPoint })}</p>
        </div>
      ) : (
        <>
          {round.closesAt ? (
            <p>
              {t('receipt.changeUntil')} <DateTime iso={round.closesAt} />
            </p>
          ) : null}
          {actionData && 'tooLarge' in actionData ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <h2 className="error-summary__title">{t('forms.errorSummaryTitle')}</h2>
              <p>{t('respond.tooLarge')}</p>
            </div>
          ) : null}
          <ResponseForm
            controls={round.controls}
            countries={countries}
            limits={limits}
            lastResult={actionData && 'result' in actionData ? actionData.result : undefined}
            defaultValue={defaults}
            submissionKey={submissionKey}
            canSaveDraft={false}
            attachments={attachments}
            submitLabel={t('receipt.saveChanges')}
            filesNotKept={Boolean(
              actionData && 'filesNotKept' in actionData && actionData.filesNotKept,
            )}
          />
        </>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
