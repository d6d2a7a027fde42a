import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import {
  ErrorSummary,
  Notice,
  TextField,
  useErrorText,
  useSummaryErrors,
} from '#app/components/forms.tsx'
import { RoundForm } from '#app/components/round-form.tsx'
import { RoundJobs } from '#app/components/round-jobs.tsx'
import { jobView, listRoundJobs } from '#app/jobs/jobs.server.ts'
import { StatusTag } from '#app/components/status-tag.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import {
  SlugTakenError,
  StructureLockedError,
  TransitionError,
  addDocument,
  getManagedRound,
  moveControl,
  removeControl,
  removeDocument,
  transitionRound,
  updateRound,
} from '#app/models/consultation-authoring.server.ts'
import {
  DOCUMENT_MAX_BYTES,
  DocumentSchema,
  RoundSchema,
} from '#app/models/consultation-input.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { formatBytes } from '#app/utils/display-names.ts'
import { discardFiles, documentSink } from '#app/utils/file-sinks.server.ts'
import { detectStoredType, sanitiseFilename } from '#app/utils/file-types.server.ts'
import { readForm, refuseForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { listTimeZones, utcToLocalInput } from '#app/utils/zoned-time.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })
const NOTICES = [
  'created',
  'saved',
  'schedule',
  'open',
  'close',
  'archive',
  'unschedule',
  'control',
  'document',
] as const
const Transition = z.object({
  intent: z.literal('transition'),
  transition: z.enum(['schedule', 'open', 'close', 'archive', 'unschedule']),
})
const ControlAction = z.object({
  intent: z.enum(['move-up', 'move-down', 'remove-control']),
  controlId: z.coerce.number().int().positive(),
})
const IntentField = z.object({ intent: z.string() })
const RemoveDocument = z.object({
  intent: z.literal('remove-document'),
  documentId: z.coerce.number().int().positive(),
})

/** Every form this page posts, as one shape: the details, transitions, controls and documents. */
const PAGE_FORMS = lazyShape(() =>
  formShape([RoundSchema, Transition, ControlAction, RemoveDocument, DocumentSchema, IntentField], {
    repeat: { commitments: 6 },
    files: { file: 1 },
    maxTextBytes: 512 * 1024,
  }),
)

function roundId(params: unknown): number {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const id = roundId(params)
  const t = await translatorFor(request)
  const managed = await getManagedRound(getDb(), { id, now: new Date().toISOString() })
  const { round } = managed
  const notice = new URL(request.url).searchParams.get('notice')
  return {
    ...managed,
    title: `${round.title} – ${t('manage.title')}`,
    timeZones: listTimeZones(),
    maxDocumentSize: DOCUMENT_MAX_BYTES,
    notice: NOTICES.find((n) => n === notice) ?? null,
    jobs: (await listRoundJobs(getDb(), { consultationId: id })).map((job) => jobView(job)),
    formDefaults: {
      title: round.title,
      slug: round.slug,
      summary: round.summary,
      background: round.background,
      commitments: round.commitments.map(String),
      timeZone: round.timeZone,
      opensAt: round.opensAt ? utcToLocalInput(round.opensAt, round.timeZone) : '',
      closesAt: round.closesAt ? utcToLocalInput(round.closesAt, round.timeZone) : '',
      lateCommentsAllowed: round.lateCommentsAllowed,
      contactPoint: round.contactPoint,
    },
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const id = roundId(params)
  const db = getDb()
  const { formData, files } = await readForm(request, PAGE_FORMS(), {
    files: documentSink(db, DOCUMENT_MAX_BYTES),
  })
  const intent = String(formData.get('intent') ?? '')
  // Only a document added below keeps its file.
  const staged = files.flatMap((f) => (f.blob ? [f.blob] : []))
  if (intent !== 'add-document') await discardFiles(staged)

  if (intent === 'details') {
    const submission = parseWithZod(formData, { schema: RoundSchema })
    if (submission.status !== 'success')
      return data({ intent, result: submission.reply() }, { status: 400 })
    try {
      await updateRound(db, { actor: user, id, input: submission.value })
    } catch (error) {
      if (!(error instanceof SlugTakenError)) throw error
      return data(
        { intent, result: submission.reply({ fieldErrors: { slug: ['validation.slugTaken'] } }) },
        { status: 409 },
      )
    }
    return redirect(`/manage/rounds/${id}?notice=saved`)
  }

  if (intent === 'transition') {
    const parsed = Transition.safeParse(Object.fromEntries(formData))
    if (!parsed.success)
      return data({ intent, message: 'manage.transitionNotAllowed' }, { status: 400 })
    try {
      await transitionRound(db, { actor: user, id, transition: parsed.data.transition })
    } catch (error) {
      if (!(error instanceof TransitionError)) throw error
      return data({ intent, message: error.reason }, { status: 409 })
    }
    return redirect(`/manage/rounds/${id}?notice=${parsed.data.transition}`)
  }

  if (intent === 'move-up' || intent === 'move-down' || intent === 'remove-control') {
    const parsed = ControlAction.safeParse(Object.fromEntries(formData))
    if (!parsed.success) refuseForm('invalidValue', 'controlId')
    const { controlId } = parsed.data
    try {
      if (intent === 'remove-control')
        await removeControl(db, { actor: user, consultationId: id, controlId })
      else
        await moveControl(db, {
          actor: user,
          consultationId: id,
          controlId,
          direction: intent === 'move-up' ? 'up' : 'down',
        })
    } catch (error) {
      if (!(error instanceof StructureLockedError)) throw error
      return data({ intent, message: 'manage.structureLocked' }, { status: 409 })
    }
    return redirect(`/manage/rounds/${id}?notice=control#controls`)
  }

  if (intent === 'add-document') {
    const submission = parseWithZod(formData, { schema: DocumentSchema })
    if (submission.status !== 'success') {
      await discardFiles(staged)
      return data({ intent, result: submission.reply() }, { status: 400 })
    }
    const { file, title } = submission.value
    const blob = staged[0]
    const type = blob ? await detectStoredType(db, blob) : null
    if (!blob || type?.mime !== 'application/pdf') {
      await discardFiles(staged)
      return data(
        { intent, result: submission.reply({ fieldErrors: { file: ['validation.notPdf'] } }) },
        { status: 400 },
      )
    }
    await addDocument(db, {
      actor: user,
      consultationId: id,
      title,
      filename: sanitiseFilename(file.name, 'pdf'),
      mediaType: type.mime,
      blob,
    })
    return redirect(`/manage/rounds/${id}?notice=document#documents`)
  }

  if (intent === 'remove-document') {
    const parsed = RemoveDocument.safeParse(Object.fromEntries(formData))
    if (!parsed.success) refuseForm('invalidValue', 'documentId')
    await removeDocument(db, {
      actor: user,
      consultationId: id,
      documentId: parsed.data.documentId,
    })
    return redirect(`/manage/rounds/${id}?notice=document#documents`)
  }

  refuseForm('unknownIntent')
}

export default function ManageRound() {
  const loaderData = useLoaderData<typeof loader>()
  const {
    round,
    controls,
    documents,
    transitions,
    structureLocked,
    notice,
    timeZones,
    formDefaults,
  } = loaderData
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const errorText = useErrorText()
  const [docForm, docFields] = useForm<{ title: string; file: File }>({
    id: 'document-form',
    lastResult:
      actionData?.intent === 'add-document' && 'result' in actionData
        ? actionData.result
        : undefined,
    shouldValidate: 'onSubmit',
  })
  const docErrors = useSummaryErrors(docForm.errors, [docFields.title, docFields.file])
  const message = actionData && 'message' in actionData ? actionData.message : null
  const fileError = errorText(docFields.file.errors)
  const { key: fileKey, ...fileProps } = getInputProps(docFields.file, {
    type: 'file',
    ariaDescribedBy: docFields.file.descriptionId,
  })

  return (
    <>
      <p>
        <Link to="/manage">{t('manage.backToList')}</Link>
      </p>
      {notice ? <Notice>{t(`manage.notice.${notice}`)}</Notice> : null}
      {message ? (
        <ErrorSummary
          errors={[{ fieldId: null, message: t(message as 'manage.structureLocked') }]}
        />
      ) : null}
      <h1>{round.title}</h1>
      <dl className="summary-list">
        <dt>{t('round.statusLabel')}</dt>
        <dd>
          <StatusTag status={round.status} />
        </dd>
        <dt>{t('review.title')}</dt>
        <dd>
          <Link to={`/manage/rounds/${round.id}/responses`}>{t('review.title')}</Link> ·{' '}
          <Link to={`/manage/rounds/${round.id}/tags`}>{t('review.manageTags')}</Link> ·{' '}
          <Link to={`/manage/rounds/${round.id}/campaigns`}>{t('review.campaigns')}</Link> ·{' '}
          <Link to={`/manage/rounds/${round.id}/analysis`}>{t('analysis.title')}</Link>
        </dd>
        <dt>{t('manage.publicAddress')}</dt>
        <dd>
          <Link to={`/consultations/${round.slug}`}>
            {round.status === 'draft' ? t('manage.preview') : `/consultations/${round.slug}`}
          </Link>
        </dd>
      </dl>

      <RoundJobs jobs={loaderData.jobs} />

      <section aria-labelledby="lifecycle-heading" className="panel">
        <h2 id="lifecycle-heading">{t('manage.lifecycleHeading')}</h2>
        <p>{t(`manage.lifecycleHelp.${round.status}`)}</p>
        <div className="button-group">
          {transitions.map((transition) => (
            <Form method="post" key={transition}>
              <input type="hidden" name="intent" value="transition" />
              <input type="hidden" name="transition" value={transition} />
              <button
                type="submit"
                className={`button${transition === 'close' || transition === 'unschedule' ? ' button--secondary' : ''}`}
              >
                {t(`manage.transition.${transition as 'open'}`)}
              </button>
            </Form>
          ))}
        </div>
      </section>

      <section aria-labelledby="details-heading" className="panel">
        <h2 id="details-heading">{t('manage.detailsHeading')}</h2>
        {round.status !== 'draft' && round.status !== 'upcoming' ? (
          <p className="hint">{t('manage.amendWarning')}</p>
        ) : null}
        <RoundForm
          lastResult={
            actionData?.intent === 'details' && 'result' in actionData
              ? actionData.result
              : undefined
          }
          defaultValue={formDefaults}
          timeZones={timeZones}
          slugLocked={Boolean(round.publishedAt)}
          submitLabel={t('manage.saveDetails')}
        />
      </section>

      <section aria-labelledby="controls" className="panel">
        <h2 id="controls">{t('round.controlsHeading')}</h2>
        <p className="hint">
          {structureLocked ? t('manage.structureLockedHint') : t('manage.structureHint')}
        </p>
        {controls.length === 0 ? <p>{t('round.noControls')}</p> : null}
        <ol className="managed-controls">
          {controls.map((control, index) => (
            <li key={control.id}>
              <p>
                <strong>{control.reference}</strong>: {control.title}
                {control.amendedAt ? (
                  <span className="hint">
                    {' '}
                    ({t('round.amendedOn')} <DateTime iso={control.amendedAt} />)
                  </span>
                ) : null}
              </p>
              <div className="button-group">
                <Link
                  className="button button--secondary"
                  to={`/manage/rounds/${round.id}/controls/${control.id}`}
                  aria-label={t('manage.editControlLabel', { reference: control.reference })}
                >
                  {t('manage.edit')}
                </Link>
                {!structureLocked ? (
                  <>
                    {(['move-up', 'move-down', 'remove-control'] as const).map((intent) =>
                      (intent === 'move-up' && index === 0) ||
                      (intent === 'move-down' && index === controls.length - 1) ? null : (
                        <Form method="post" key={intent}>
                          <input type="hidden" name="intent" value={intent} />
                          <input type="hidden" name="controlId" value={control.id} />
                          <button
                            type="submit"
                            className={`button ${intent === 'remove-control' ? 'button--warning' : 'button--secondary'}`}
                            aria-label={t(`manage.${intent}Label`, {
                              reference: control.reference,
                            })}
                          >
                            {t(`manage.${intent}`)}
                          </button>
                        </Form>
                      ),
                    )}
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
        {!structureLocked ? (
          <p>
            <Link className="button" to={`/manage/rounds/${round.id}/controls/new`}>
              {t('manage.addControl')}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="documents" className="panel">
        <h2 id="documents">{t('round.documentsHeading')}</h2>
        {documents.length ? (
          <ul className="documents">
            {documents.map((d) => (
              <li key={d.id} className="inline-form">
                <a href={`/consultations/${round.slug}/documents/${d.id}`}>{d.title}</a>
                <span className="hint">
                  {d.filename}, {formatBytes(d.sizeBytes, locale)}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-document" />
                  <input type="hidden" name="documentId" value={d.id} />
                  <button
                    type="submit"
                    className="button button--secondary"
                    aria-label={t('manage.removeDocumentLabel', { title: d.title })}
                  >
                    {t('manage.removeDocument')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('manage.noDocuments')}</p>
        )}
        <h3>{t('manage.addDocument')}</h3>
        <ErrorSummary errors={docErrors} />
        <Form method="post" encType="multipart/form-data" {...getFormProps(docForm)}>
          <input type="hidden" name="intent" value="add-document" />
          <TextField meta={docFields.title} label={t('manage.documentTitle')} />
          <div className={`form-group${fileError ? ' form-group--error' : ''}`}>
            <label className="label" htmlFor={docFields.file.id}>
              {t('manage.documentFile')}
            </label>
            <div className="hint" id={docFields.file.descriptionId}>
              {t('manage.documentHint', { size: formatBytes(loaderData.maxDocumentSize, locale) })}
            </div>
            {fileError ? (
              <p className="error-message" id={docFields.file.errorId}>
                <span className="visually-hidden">{t('forms.errorPrefix')}</span> {fileError}{' '}
                {t('manage.chooseAgain')}
              </p>
            ) : null}
            <input
              key={fileKey}
              {...fileProps}
              accept="application/pdf,.pdf"
              className="file-input"
            />
          </div>
          <button type="submit" className="button">
            {t('manage.upload')}
          </button>
        </Form>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
