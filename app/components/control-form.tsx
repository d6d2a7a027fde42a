import { type SubmissionResult, getFormProps, useForm } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorSummary, TextAreaField, TextField, useSummaryErrors } from './forms.tsx'

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
        <TextAreaField
          meta={fields.body}
          label={t('manage.field.body')}
          hint={t('manage.markdownHint')}
          rows={12}
        />
        <TextAreaField
          meta={fields.questions}
          label={t('manage.field.questions')}
          hint={t('manage.questionsHint')}
          rows={6}
        />
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </Form>
    </>
  )
}
