import { type SubmissionResult, getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorSummary, TextField, useErrorText, useSummaryErrors } from './forms.tsx'

/** A proposed control: reference, title, Markdown text and questions (one per line). */
export function ControlForm({
  lastResult,
  defaultValue,
  submitLabel,
}: {
  lastResult: SubmissionResult<string[]> | undefined
  defaultValue: { reference?: string; title?: string; body?: string; questions?: string }
  submitLabel: string
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const [form, fields] = useForm({
    id: 'control-form',
    lastResult,
    defaultValue,
    shouldValidate: 'onSubmit',
  })
  const errors = useSummaryErrors(form.errors, [
    fields.reference,
    fields.title,
    fields.body,
    fields.questions,
  ])
  const area = (field: typeof fields.body, label: string, hint: string, rows: number) => {
    const error = errorText(field.errors)
    const { key, ...props } = getTextareaProps(field, { ariaDescribedBy: field.descriptionId })
    return (
      <div className={`form-group${error ? ' form-group--error' : ''}`}>
        <label className="label" htmlFor={field.id}>
          {label}
        </label>
        <div className="hint" id={field.descriptionId}>
          {hint}
        </div>
        {error ? (
          <p className="error-message" id={field.errorId}>
            <span className="visually-hidden">{t('forms.errorPrefix')}</span> {error}
          </p>
        ) : null}
        <textarea key={key} {...props} rows={rows} className="textarea" />
      </div>
    )
  }
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form method="post" {...getFormProps(form)}>
        <TextField
          meta={fields.reference}
          label={t('manage.field.reference')}
          hint={t('manage.referenceHint')}
          width="medium"
        />
        <TextField meta={fields.title} label={t('manage.field.title')} />
        {area(fields.body, t('manage.field.body'), t('manage.markdownHint'), 12)}
        {area(fields.questions, t('manage.field.questions'), t('manage.questionsHint'), 6)}
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </Form>
    </>
  )
}
