import {
  type FieldMetadata,
  type SubmissionResult,
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { type ReactNode, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import {
  MAX_TEXT,
  ORGANISATION_SIZES,
  POSITIONS,
  PUBLICATIONS,
  RESPONDENT_TYPES,
  type ResponseInput,
  type ResponseLimits,
  responseSchema,
} from '#app/models/response-input.ts'
import { formatBytes } from '#app/utils/display-names.ts'
import { formatNumber } from '#app/utils/format.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import {
  ErrorSummary,
  type SummaryError,
  TextAreaField,
  TextField,
  useErrorText,
} from './forms.tsx'

export interface FormControl {
  id: number
  reference: string
  title: string
  questions: { id: number; prompt: string }[]
}

export interface ExistingAttachment {
  id: number
  filename: string
  sizeBytes: number
  confidential: boolean
}

/** What the simple pieces below read from a field's metadata. */
interface Field {
  id: string
  name: string
  errors?: string[]
  errorId: string
  descriptionId: string
  initialValue?: unknown
}

type FormShape = {
  submissionKey: string
  website: string
  intent: string
  respondentType: string
  organisation: string
  authorName: string
  country: string
  organisationSize: string
  registerId: string
  contactName: string
  contactEmail: string
  publication: string
  confidential: string
  confidentialJustification: string
  publicVersion: string
  scopes: { controlId: string; position: string; body: string; answers: string[] }[]
  files: File[]
  confidentialFiles: File[]
  removeAttachments: string[]
}

function Problem({ field }: { field: Field }) {
  const { t } = useTranslation()
  const text = useErrorText()(field.errors)
  if (!text) return null
  return (
    <p className="error-message" id={field.errorId}>
      <span className="visually-hidden">{t('forms.errorPrefix')}</span> {text}
    </p>
  )
}

function Group({ field, children }: { field: Field; children: ReactNode }) {
  return (
    <div className={`form-group${field.errors?.length ? ' form-group--error' : ''}`}>
      {children}
    </div>
  )
}

/** A set of radio buttons in a fieldset whose legend is the question. */
function Radios({
  field,
  legend,
  hint,
  options,
}: {
  field: Field
  legend: ReactNode
  hint?: ReactNode
  options: { value: string; label: string; hint?: string }[]
}) {
  const describedBy = [
    hint ? field.descriptionId : null,
    field.errors?.length ? field.errorId : null,
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <Group field={field}>
      <fieldset className="fieldset" aria-describedby={describedBy || undefined} id={field.id}>
        <legend className="label">{legend}</legend>
        {hint ? (
          <div className="hint" id={field.descriptionId}>
            {hint}
          </div>
        ) : null}
        <Problem field={field} />
        {options.map((o) => (
          <div className="radio" key={o.value}>
            <input
              type="radio"
              id={`${field.id}-${o.value || 'none'}`}
              name={field.name}
              value={o.value}
              defaultChecked={(field.initialValue ?? '') === o.value}
              aria-describedby={o.hint ? `${field.id}-${o.value}-hint` : undefined}
            />
            <label htmlFor={`${field.id}-${o.value || 'none'}`}>{o.label}</label>
            {o.hint ? (
              <div className="hint radio__hint" id={`${field.id}-${o.value}-hint`}>
                {o.hint}
              </div>
            ) : null}
          </div>
        ))}
      </fieldset>
    </Group>
  )
}

function FileInput<T>({
  field,
  label,
  hint,
}: {
  field: FieldMetadata<T>
  label: ReactNode
  hint: ReactNode
}) {
  const { key, ...props } = getInputProps(field, {
    type: 'file',
    ariaDescribedBy: field.descriptionId,
  })
  return (
    <Group field={field}>
      <label className="label" htmlFor={field.id}>
        {label}
      </label>
      <div className="hint" id={field.descriptionId}>
        {hint}
      </div>
      <Problem field={field} />
      <input
        key={key}
        {...props}
        multiple
        className="file-input"
        accept=".pdf,.docx,.odt,.txt,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,text/plain,image/png,image/jpeg"
      />
    </Group>
  )
}

/**
 * The response form: who is responding, their views on the round and on each
 * control, attachments, confidentiality and how to publish. One page, so that
 * it works without JavaScript and can be saved by the browser.
 */
export function ResponseForm({
  controls,
  countries,
  limits,
  lastResult,
  defaultValue,
  submissionKey,
  canSaveDraft,
  attachments = [],
  submitLabel,
  filesNotKept,
  canSubmit = true,
}: {
  controls: FormControl[]
  /** Codes and names, named and sorted on the server (see countryName). */
  countries: { code: string; name: string }[]
  limits: ResponseLimits
  lastResult: SubmissionResult<string[]> | undefined
  defaultValue: Record<string, unknown>
  submissionKey: string
  canSaveDraft: boolean
  attachments?: ExistingAttachment[]
  submitLabel: string
  filesNotKept: boolean
  /** False once the round has closed: the text stays on screen to be copied, with nothing to send. */
  canSubmit?: boolean
}) {
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const navigation = useNavigation()
  const schema = useMemo(() => responseSchema(limits), [limits])
  const [form, fields] = useForm<FormShape, ResponseInput>({
    id: 'response-form',
    lastResult,
    defaultValue,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  const errorText = useErrorText()
  const scopes = fields.scopes.getFieldList()

  const summary: SummaryError[] = []
  const push = (field: Field, id = field.id) => {
    const message = errorText(field.errors)
    if (message) summary.push({ fieldId: id, message })
  }
  const formText = errorText(form.errors)
  if (formText) summary.push({ fieldId: null, message: formText })
  for (const f of [
    fields.respondentType,
    fields.organisation,
    fields.authorName,
    fields.country,
    fields.contactEmail,
  ])
    push(f)
  scopes.forEach((s) => {
    const set = s.getFieldset()
    push(set.position)
    push(set.body)
  })
  for (const f of [
    fields.files,
    fields.confidentialFiles,
    fields.confidentialJustification,
    fields.publicVersion,
    fields.publication,
  ])
    push(f)

  const maxText = formatNumber(MAX_TEXT, locale)
  const positionOptions = [
    { value: '', label: t('respond.notCommenting') },
    ...POSITIONS.map((p) => ({ value: p, label: t(`positions.${p}`) })),
  ]
  const sizeSelect = getSelectProps(fields.country)
  const { key: countryKey, ...countryProps } = sizeSelect
  const busy = navigation.state === 'submitting'

  return (
    <>
      <ErrorSummary errors={summary} />
      {filesNotKept ? <p className="notice notice--warning">{t('respond.filesNotKept')}</p> : null}
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <input type="hidden" name="submissionKey" value={submissionKey} />
        <div className="honeypot" aria-hidden="true">
          <label htmlFor="website">{t('respond.honeypot')}</label>
          <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" />
        </div>

        <section aria-labelledby="about-heading" className="form-section">
          <h2 id="about-heading">{t('respond.aboutHeading')}</h2>
          <Radios
            field={fields.respondentType}
            legend={t('respond.respondentType')}
            options={RESPONDENT_TYPES.map((r) => ({ value: r, label: t(`respondentTypes.${r}`) }))}
          />
          <TextField
            meta={fields.organisation}
            label={t('respond.organisation')}
            hint={t('respond.organisationHint')}
            autoComplete="organization"
          />
          <TextField
            meta={fields.authorName}
            label={t('respond.authorName')}
            hint={t('respond.authorNameHint')}
            autoComplete="name"
          />
          <Group field={fields.country}>
            <label className="label" htmlFor={fields.country.id}>
              {t('respond.country')}
            </label>
            <div className="hint" id={fields.country.descriptionId}>
              {t('respond.countryHint')}
            </div>
            <Problem field={fields.country} />
            <select
              key={countryKey}
              {...countryProps}
              aria-describedby={[
                fields.country.descriptionId,
                fields.country.errors?.length ? fields.country.errorId : '',
              ]
                .filter(Boolean)
                .join(' ')}
              className="select"
            >
              <option value="">{t('respond.chooseCountry')}</option>
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </Group>
          <Radios
            field={fields.organisationSize}
            legend={t('respond.organisationSize')}
            hint={t('respond.organisationSizeHint')}
            options={ORGANISATION_SIZES.map((s) => ({
              value: s,
              label: t(`organisationSizes.${s}`),
            }))}
          />
          <TextField
            meta={fields.registerId}
            label={t('respond.registerId')}
            hint={t('respond.registerIdHint')}
          />
          <TextField
            meta={fields.contactName}
            label={t('respond.contactName')}
            hint={t('respond.contactHint')}
            autoComplete="name"
          />
          <TextField
            meta={fields.contactEmail}
            label={t('respond.contactEmail')}
            hint={t('respond.contactEmailHint')}
            type="email"
            autoComplete="email"
          />
        </section>

        <section aria-labelledby="views-heading" className="form-section">
          <h2 id="views-heading">{t('respond.viewsHeading')}</h2>
          <p>{t('respond.viewsIntro', { max: maxText })}</p>
          {scopes.map((scope, index) => {
            const set = scope.getFieldset()
            const control = index === 0 ? null : controls[index - 1]
            const answers = set.answers.getFieldList()
            const heading = control
              ? `${control.reference}: ${control.title}`
              : t('respond.wholeRound')
            return (
              <fieldset
                key={scope.key}
                className="scope"
                aria-labelledby={`scope-${index}-heading`}
              >
                <h3 id={`scope-${index}-heading`} className="scope__heading">
                  {heading}
                </h3>
                <input
                  type="hidden"
                  name={set.controlId.name}
                  value={control ? String(control.id) : ''}
                />
                <Radios
                  field={set.position}
                  legend={t('respond.position', { subject: heading })}
                  options={positionOptions}
                />
                <TextAreaField
                  meta={set.body}
                  label={t('respond.comments', { subject: heading })}
                  hint={t('respond.commentsHint')}
                />
                {control?.questions.map((q, qi) => {
                  const answer = answers[qi]
                  return answer ? (
                    <TextAreaField key={q.id} meta={answer} label={q.prompt} rows={4} />
                  ) : null
                })}
              </fieldset>
            )
          })}
        </section>

        <section aria-labelledby="files-heading" className="form-section">
          <h2 id="files-heading">{t('respond.filesHeading')}</h2>
          {attachments.length ? (
            <fieldset className="fieldset">
              <legend className="label">{t('respond.existingFiles')}</legend>
              {attachments.map((a) => (
                <div className="checkbox" key={a.id}>
                  <input
                    type="checkbox"
                    id={`remove-${a.id}`}
                    name="removeAttachments"
                    value={String(a.id)}
                  />
                  <label htmlFor={`remove-${a.id}`}>
                    {t('respond.removeFile', {
                      name: a.filename,
                      size: formatBytes(a.sizeBytes, locale),
                    })}
                    {a.confidential ? ` (${t('respond.confidentialFile')})` : ''}
                  </label>
                </div>
              ))}
            </fieldset>
          ) : null}
          <FileInput
            field={fields.files}
            label={t('respond.files')}
            hint={t('respond.filesHint', {
              count: limits.maxFiles,
              size: formatBytes(limits.maxFileBytes, locale),
            })}
          />
          <FileInput
            field={fields.confidentialFiles}
            label={t('respond.confidentialFiles')}
            hint={t('respond.confidentialFilesHint')}
          />
        </section>

        <section aria-labelledby="confidential-heading" className="form-section">
          <h2 id="confidential-heading">{t('respond.confidentialHeading')}</h2>
          <p>{t('respond.confidentialIntro')}</p>
          <div className="checkbox">
            <input
              type="checkbox"
              id={fields.confidential.id}
              name={fields.confidential.name}
              defaultChecked={fields.confidential.initialValue === 'on'}
            />
            <label htmlFor={fields.confidential.id}>{t('respond.confidential')}</label>
          </div>
          <TextAreaField
            meta={fields.confidentialJustification}
            label={t('respond.justification')}
            hint={t('respond.justificationHint')}
            rows={4}
          />
          <TextAreaField
            meta={fields.publicVersion}
            label={t('respond.publicVersion')}
            hint={t('respond.publicVersionHint')}
            rows={6}
          />
        </section>

        <section aria-labelledby="publication-heading" className="form-section">
          <h2 id="publication-heading">{t('respond.publicationHeading')}</h2>
          <Radios
            field={fields.publication}
            legend={t('respond.publication')}
            options={PUBLICATIONS.map((p) => ({
              value: p,
              label: t(`publication.${p}`),
              hint: t(`publication.${p}Hint`),
            }))}
          />
          <p>{t('respond.privacyNote')}</p>
        </section>

        <div className="button-group">
          {canSubmit ? (
            <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
              {submitLabel}
            </button>
          ) : null}
          {canSaveDraft ? (
            <button
              type="submit"
              name="intent"
              value="draft"
              className="button button--secondary"
              formNoValidate
              disabled={busy}
            >
              {t('respond.saveDraft')}
            </button>
          ) : null}
        </div>
      </Form>
    </>
  )
}
