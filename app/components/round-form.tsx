import { type SubmissionResult, getFormProps, getInputProps, useForm } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorSummary, SelectField, TextAreaField, TextField, useSummaryErrors } from './forms.tsx'

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
        <TextAreaField
          meta={fields.summary}
          label={t('manage.field.summary')}
          hint={t('manage.summaryHint')}
          rows={3}
        />
        <TextAreaField
          meta={fields.background}
          label={t('manage.field.background')}
          hint={t('manage.markdownHint')}
          rows={12}
        />
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
        <TextField
          meta={fields.opensAt}
          label={t('manage.field.opensAt')}
          hint={t('manage.dateHint')}
          type="datetime-local"
          width="medium"
        />
        <TextField
          meta={fields.closesAt}
          label={t('manage.field.closesAt')}
          hint={t('manage.dateHint')}
          type="datetime-local"
          width="medium"
        />
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
