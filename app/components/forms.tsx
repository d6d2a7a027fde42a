import type { FieldMetadata } from '@conform-to/react'
import { getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react'
import { type ReactNode, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * Validation messages are translation keys ('validation.emailInvalid') so one
 * zod schema serves the server and the browser in every language.
 */
export function useErrorText(): (messages: string[] | undefined) => string | null {
  const { t } = useTranslation()
  return (messages) =>
    messages?.length ? messages.map((m) => t(m as 'validation.required')).join(' ') : null
}

export interface SummaryError {
  /** The id of the field to jump to, or null for an error about the whole form. */
  fieldId: string | null
  message: string
}

/**
 * The list of problems at the top of a form (GOV.UK pattern): it takes the
 * focus when it appears, so keyboard and screen-reader users land on it, and
 * each entry links to its field.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const signature = errors.map((e) => e.message).join('|')
  useEffect(() => {
    if (signature) ref.current?.focus()
  }, [signature])
  if (!errors.length) return null
  return (
    <div
      className="error-summary"
      ref={ref}
      tabIndex={-1}
      aria-labelledby="error-summary-title"
      role="alert"
    >
      <h2 id="error-summary-title" className="error-summary__title">
        {t('forms.errorSummaryTitle')}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.fieldId}-${e.message}`}>
            {e.fieldId ? <a href={`#${e.fieldId}`}>{e.message}</a> : e.message}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** Builds the summary from Conform's form and field metadata, in field order. */
export function useSummaryErrors(
  formErrors: string[] | undefined,
  fields: FieldMetadata<unknown>[],
): SummaryError[] {
  const text = useErrorText()
  const list: SummaryError[] = []
  const formText = text(formErrors)
  if (formText) list.push({ fieldId: null, message: formText })
  for (const field of fields) {
    const message = text(field.errors)
    if (message) list.push({ fieldId: field.id, message })
  }
  return list
}

function FieldShell({
  id,
  label,
  hint,
  hintId,
  error,
  errorId,
  children,
}: {
  id: string
  label: ReactNode
  hint?: ReactNode
  hintId: string
  error: string | null
  errorId: string
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId} className="error-message">
          <span className="visually-hidden">{t('forms.errorPrefix')}</span> {error}
        </p>
      ) : null}
      {children}
    </div>
  )
}

/** A labelled text input with its hint and its error, wired for assistive technology. */
export function TextField<T>({
  meta,
  label,
  hint,
  type = 'text',
  autoComplete,
  width,
}: {
  meta: FieldMetadata<T>
  label: ReactNode
  hint?: ReactNode
  type?: 'text' | 'email' | 'password' | 'datetime-local'
  autoComplete?: string
  width?: 'short' | 'medium'
}) {
  const errorText = useErrorText()
  const error = errorText(meta.errors)
  const { key, ...props } = getInputProps(meta, {
    type,
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  })
  return (
    <FieldShell
      id={meta.id}
      label={label}
      hint={hint}
      hintId={meta.descriptionId}
      error={error}
      errorId={meta.errorId}
    >
      <input
        key={key}
        {...props}
        autoComplete={autoComplete}
        className={`input${width ? ` input--${width}` : ''}`}
        spellCheck={type === 'text' ? undefined : false}
      />
    </FieldShell>
  )
}

/** A labelled textarea with its hint and error; `dir="auto"` so right-to-left text reads right. */
export function TextAreaField<T>({
  meta,
  label,
  hint,
  rows = 8,
}: {
  meta: FieldMetadata<T>
  label: ReactNode
  hint?: ReactNode
  rows?: number
}) {
  const errorText = useErrorText()
  const error = errorText(meta.errors)
  const { key, ...props } = getTextareaProps(meta, {
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  })
  return (
    <FieldShell
      id={meta.id}
      label={label}
      hint={hint}
      hintId={meta.descriptionId}
      error={error}
      errorId={meta.errorId}
    >
      <textarea key={key} {...props} rows={rows} className="textarea" dir="auto" />
    </FieldShell>
  )
}

/** A labelled select with its hint and error. */
export function SelectField({
  meta,
  label,
  hint,
  options,
}: {
  meta: FieldMetadata<string>
  label: ReactNode
  hint?: ReactNode
  options: { value: string; label: string }[]
}) {
  const errorText = useErrorText()
  const error = errorText(meta.errors)
  const { key, ...props } = getSelectProps(meta, {
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  })
  return (
    <FieldShell
      id={meta.id}
      label={label}
      hint={hint}
      hintId={meta.descriptionId}
      error={error}
      errorId={meta.errorId}
    >
      <select key={key} {...props} className="select">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  )
}

/** A confirmation banner after a successful action (announced politely). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      {children}
    </div>
  )
}
