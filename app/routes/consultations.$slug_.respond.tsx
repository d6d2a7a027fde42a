import { randomUUID } from 'node:crypto'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { getOptionalUser } from '#app/auth/guards.server.ts'
import { hitSharedRateLimit } from '#app/auth/rate-limit.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ResponseForm } from '#app/components/response-form.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { getPublicConsultation } from '#app/models/consultations.server.ts'
import {
  getDraft,
  getRoundForResponse,
  saveDraft,
  submissionWindow,
  submitResponse,
} from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { isDatabaseUnavailable } from '#app/utils/database-errors.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { discardFiles } from '#app/utils/file-sinks.server.ts'
import { sendMail } from '#app/utils/mail.server.ts'
import {
  formDefaults,
  privateLink,
  readResponseForm,
  refuseResponse,
  responseUnavailable,
  requestTooLarge,
  countryOptions,
  responseLimits,
} from '#app/utils/response-form.server.ts'

const Params = z.object({ slug: z.string().min(1).max(200) })

function slugOf(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.slug
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = slugOf(params)
  const db = getDb()
  const now = new Date().toISOString()
  const round = await getPublicConsultation(db, { slug, now })
  const forResponse = await getRoundForResponse(db, { slug })
  if (!round || !forResponse) throw new Response('Not found', { status: 404 })
  const window = submissionWindow(forResponse, now)
  const user = await getOptionalUser(request)
  const draft = user ? await getDraft(db, { userId: user.id, consultationId: round.id }) : null
  const t = await translatorFor(request)
  return {
    round: {
      slug: round.slug,
      title: round.title,
      closesAt: round.closesAt,
      opensAt: round.opensAt,
      contactPoint: round.contactPoint,
      controls: round.controls.map((c) => ({
        id: c.id,
        reference: c.reference,
        title: c.title,
        questions: c.questions,
      })),
    },
    window,
    signedIn: Boolean(user),
    draftSavedAt: draft?.updatedAt ?? null,
    // A new key for each form shown: the same key twice means the same submission.
    submissionKey: (draft?.data.submissionKey as string | undefined) ?? randomUUID(),
    defaults: { ...formDefaults(round), ...(draft?.data ?? {}) },
    limits: responseLimits(),
    countries: countryOptions(await i18next.getLocale(request)),
    title: `${t('respond.title')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const SUBMIT_WINDOW = 10 * 60_000

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = slugOf(params)
  const db = getDb()
  const round = await getRoundForResponse(db, { slug })
  if (!round) throw new Response('Not found', { status: 404 })
  if (requestTooLarge(request)) return data({ tooLarge: true as const }, { status: 413 })

  const limit = await hitSharedRateLimit(
    db,
    { scope: 'submit-client', limit: getEnv().SUBMIT_RATE_LIMIT, windowMs: SUBMIT_WINDOW },
    context.clientAddress,
  )
  // A sender over the limit gets their text back, and their files are never stored.
  const form = await readResponseForm(request, round, { keepFiles: limit.allowed })
  let claimed = false
  try {
    const { submission, files, fileErrors } = form
    if (!limit.allowed) {
      const minutes = Math.max(1, Math.ceil((limit.resetAt - Date.now()) / 60_000))
      return refuseResponse(form, 429, { formErrors: [`respond.rateLimited|${minutes}`] })
    }

    const user = await getOptionalUser(request)
    if (submission.payload.intent === 'draft') {
      if (!user) throw new Response('Forbidden', { status: 403 })
      const {
        website: _website,
        files: _files,
        confidentialFiles: _cf,
        intent: _intent,
        ...fields
      } = submission.payload
      await saveDraft(db, { userId: user.id, consultationId: round.id, data: fields })
      return redirect('/account?notice=draft#responses')
    }

    // The close is checked here, to the second, after the whole form has arrived.
    const now = new Date().toISOString()
    if (!submissionWindow(round, now).accepting) {
      return refuseResponse(form, 409, { formErrors: ['respond.closedWhileWriting'] })
    }
    if (submission.status !== 'success' || !files || fileErrors) {
      return refuseResponse(form, 400, { fieldErrors: fileErrors ?? undefined })
    }

    let receipt
    try {
      receipt = await submitResponse(db, {
        round,
        input: submission.value,
        files,
        userId: user?.id ?? null,
        now,
      })
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error
      return responseUnavailable(form, error)
    }
    claimed = receipt.created
    const link = privateLink(request, receipt.trackingNumber, receipt.editToken)
    if (receipt.created && submission.value.contactEmail) {
      const t = await translatorFor(request)
      await sendMail({
        to: submission.value.contactEmail,
        subject: t('receipt.emailSubject', { tracking: receipt.trackingNumber }),
        text: t('receipt.emailBody', {
          tracking: receipt.trackingNumber,
          title: round.title,
          link,
        }),
      }).catch((error: unknown) => console.error('The receipt email could not be sent:', error))
    }
    return redirect(`${new URL(link).pathname}${new URL(link).search}&receipt=1`)
  } finally {
    // Files of a response not stored now (or stored before, by the same key) are not kept.
    if (!claimed) await discardFiles(form.staged)
  }
}

export default function Respond() {
  const { round, window, signedIn, submissionKey, defaults, limits, draftSavedAt, countries } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const tooLarge = actionData && 'tooLarge' in actionData
  const result = actionData && 'result' in actionData ? actionData.result : undefined
  const closedWhileWriting = result?.error?.['']?.includes('respond.closedWhileWriting')
  // A rate-limit message carries its wait in minutes after a '|'.
  const formErrors = result?.error?.['']?.map((e) => {
    const [key, minutes] = e.split('|')
    return minutes ? t('respond.rateLimited', { count: Number(minutes) }) : (key ?? e)
  })
  const formResult =
    result && formErrors ? { ...result, error: { ...result.error, '': formErrors } } : result

  return (
    <>
      <p>
        <Link to={`/consultations/${round.slug}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      <h1>{t('respond.title')}</h1>
      <p className="lead">{round.title}</p>
      {!window.accepting && !result ? (
        <div className="notice notice--warning" role="status">
          <p>
            {window.status === 'upcoming' && round.opensAt ? (
              <>
                {t('respond.notOpenYet')} <DateTime iso={round.opensAt} />
              </>
            ) : (
              <>
                {t('respond.closed')} {round.closesAt ? <DateTime iso={round.closesAt} /> : null}
              </>
            )}
          </p>
          {round.contactPoint ? (
            <p>{t('respond.contactInstead', { contact: round.contactPoint })}</p>
          ) : null}
        </div>
      ) : (
        <>
          {window.late ? <p className="notice notice--warning">{t('respond.lateNotice')}</p> : null}
          {closedWhileWriting ? (
            <p className="notice notice--warning">
              {t('respond.closedKeepCopy', { contact: round.contactPoint })}
            </p>
          ) : round.closesAt ? (
            <p>
              {t('respond.deadline')} <DateTime iso={round.closesAt} />
            </p>
          ) : null}
          {tooLarge ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <h2 className="error-summary__title">{t('forms.errorSummaryTitle')}</h2>
              <p>{t('respond.tooLarge')}</p>
            </div>
          ) : null}
          {draftSavedAt ? (
            <p className="notice">
              {t('respond.draftRestored')} <DateTime iso={draftSavedAt} />.{' '}
              {t('respond.filesNotInDraft')}
            </p>
          ) : null}
          <p>{t('respond.intro')}</p>
          <ResponseForm
            controls={round.controls}
            countries={countries}
            limits={limits}
            lastResult={formResult}
            defaultValue={defaults}
            submissionKey={submissionKey}
            canSaveDraft={signedIn && !closedWhileWriting}
            canSubmit={!closedWhileWriting}
            submitLabel={t('respond.submit')}
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
