import {
  type SubmissionResult,
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorSummary, SelectField, TextField, useErrorText, useSummaryErrors } from './forms.tsx'

export interface RoundFormDefaults {
  title?: string
  slug?: string
  summary?: string
  background?: string
  commitments?: string[]
  timeZone?: string
  opensAt?: string
  closesAt?: string
  lateCommentsAllowed?: boolean
  contactPoint?: string
}

/**
 * The round's details, for creating and editing. Validated on the server
 * (dates need the zone's rules); everything typed comes back on an error.
 */
export function RoundForm({
  lastResult,
  defaultValue,
  timeZones,
  slugLocked,
  submitLabel,
}: {
  lastResult: SubmissionResult<string[]> | undefined
  defaultValue: RoundFormDefaults
  timeZones: string[]
  slugLocked: boolean
  submitLabel: string
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const [form, fields] = useForm({
    id: 'round-form',
    lastResult,
    defaultValue: {
      ...defaultValue,
      lateCommentsAllowed: defaultValue.lateCommentsAllowed ? 'on' : undefined,
    },
    shouldValidate: 'onSubmit',
  })
  const errors = useSummaryErrors(form.errors, [
    fields.title,
    fields.slug,
    fields.summary,
    fields.background,
    fields.timeZone,
    fields.opensAt,
    fields.closesAt,
    fields.contactPoint,
  ])
  const chosen = new Set(fields.commitments.initialValue ?? defaultValue.commitments ?? [])
  const textarea = (field: typeof fields.summary, rows: number, hint?: string) => {
    const error = errorText(field.errors)
    const { key, ...props } = getTextareaProps(field, {
      ariaDescribedBy: hint ? field.descriptionId : undefined,
    })
    return (
      <div className={`form-group${error ? ' form-group--error' : ''}`}>
        <label className="label" htmlFor={field.id}>
          {t(`manage.field.${field.name as 'summary' | 'background'}`)}
        </label>
        {hint ? (
          <div className="hint" id={field.descriptionId}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <p className="error-message" id={field.errorId}>
            <span className="visually-hidden">{t('forms.errorPrefix')}</span> {error}
          </p>
        ) : null}
        <textarea key={key} {...props} rows={rows} className="textarea" />
      </div>
    )
  }
  const dateField = (field: typeof fields.opensAt, label: string) => {
    const error = errorText(field.errors)
    const { key, ...props } = getInputProps(field, {
      type: 'datetime-local',
      ariaDescribedBy: field.descriptionId,
    })
    return (
      <div className={`form-group${error ? ' form-group--error' : ''}`}>
        <label className="label" htmlFor={field.id}>
          {label}
        </label>
        <div className="hint" id={field.descriptionId}>
          {t('manage.dateHint')}
        </div>
        {error ? (
          <p className="error-message" id={field.errorId}>
            <span className="visually-hidden">{t('forms.errorPrefix')}</span> {error}
          </p>
        ) : null}
        <input key={key} {...props} className="input input--medium" />
      </div>
    )
  }
  const { key: lateKey, ...late } = getInputProps(fields.lateCommentsAllowed, { type: 'checkbox' })
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="details" />
        <TextField meta={fields.title} label={t('manage.field.title')} />
        {slugLocked ? (
          <>
            <input type="hidden" name="slug" value={defaultValue.slug} />
            <p>
              <strong>{t('manage.field.slug')}:</strong> {defaultValue.slug}{' '}
              <span className="hint">{t('manage.slugLocked')}</span>
            </p>
          </>
        ) : (
          <TextField
            meta={fields.slug}
            label={t('manage.field.slug')}
            hint={t('manage.slugHint')}
            width="medium"
          />
        )}
        {textarea(fields.summary, 3, t('manage.summaryHint'))}
        {textarea(fields.background, 12, t('manage.markdownHint'))}
        <fieldset className="fieldset">
          <legend className="label">{t('manage.field.commitments')}</legend>
          {[1, 2, 3, 4, 5, 6].map((n) => (
            <div className="checkbox" key={n}>
              <input
                type="checkbox"
                id={`commitment-${n}`}
                name="commitments"
                value={String(n)}
                defaultChecked={chosen.has(String(n))}
              />
              <label htmlFor={`commitment-${n}`}>
                {t(`round.commitment_${n}` as 'round.commitment_1')}
              </label>
            </div>
          ))}
        </fieldset>
        <SelectField
          meta={fields.timeZone}
          label={t('manage.field.timeZone')}
          hint={t('manage.timeZoneHint')}
          options={timeZones.map((z) => ({ value: z, label: z }))}
        />
        {dateField(fields.opensAt, t('manage.field.opensAt'))}
        {dateField(fields.closesAt, t('manage.field.closesAt'))}
        <div className="checkbox">
          <input key={lateKey} {...late} />
          <label htmlFor={fields.lateCommentsAllowed.id}>
            {t('manage.field.lateCommentsAllowed')}
          </label>
        </div>
        <TextField
          meta={fields.contactPoint}
          label={t('manage.field.contactPoint')}
          hint={t('manage.contactHint')}
        />
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </Form>
    </>
  )
}
