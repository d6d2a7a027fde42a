import type { MetaArgs, MetaDescriptor } from '@remix-run/node'
import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { fallbackLanguage, isSupportedLanguage, resources } from '#app/i18n.ts'

/** The HTTP status an error stands for (thrown responses keep theirs). */
export function errorStatus(error: unknown): number {
  return isRouteErrorResponse(error) ? error.status : 500
}

type ErrorKey = Exclude<keyof (typeof resources)['en']['common']['errors'], 'refused'>
type Refusal = keyof (typeof resources)['en']['common']['errors']['refused']

/**
 * Why a form or a request was refused, when the server said (form-reader.server.ts and
 * database-errors.server.ts answer `{ error: { reason, field } }`); null for other errors.
 */
export function refusalOf(error: unknown): { reason: Refusal; field?: string } | null {
  if (!isRouteErrorResponse(error)) return null
  const body = (error.data as { error?: { reason?: unknown; field?: unknown } } | null)?.error
  const reason = body?.reason
  if (typeof reason !== 'string' || !(reason in resources.en.common.errors.refused)) return null
  return {
    reason: reason as Refusal,
    ...(typeof body?.field === 'string' ? { field: body.field } : {}),
  }
}

function errorKeys(status: number): { title: ErrorKey; body: ErrorKey } {
  if (status === 404) return { title: 'notFoundTitle', body: 'notFoundBody' }
  if (status === 403) return { title: 'forbiddenTitle', body: 'forbiddenBody' }
  if (status >= 500) return { title: 'serverTitle', body: 'serverBody' }
  return { title: 'genericTitle', body: 'serverBody' }
}

/** The title and explanation shown for an error status. */
export function errorCopy(status: number, t: TFunction): { title: string; body: string } {
  const keys = errorKeys(status)
  return { title: t(`errors.${keys.title}`), body: t(`errors.${keys.body}`) }
}

/**
 * The document title of an error page. Meta functions cannot use hooks, so it
 * reads the translation straight from the resources, in the root's locale.
 */
export function errorMeta({
  error,
  matches,
}: Pick<MetaArgs, 'error' | 'matches'>): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: string } | undefined
  const locale = isSupportedLanguage(root?.locale) ? root.locale : fallbackLanguage
  const copy = resources[locale].common
  return [{ title: `${copy.errors[errorKeys(errorStatus(error)).title]} – ${copy.meta.siteName}` }]
}

/**
 * The page shown for a thrown response (404, 403...) or an unexpected error.
 * It never shows a stack trace outside development, and needs no loader data.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = errorStatus(error)
  const refusal = refusalOf(error)
  const copy = errorCopy(status, t)
  const title = refusal
    ? t(status === 503 ? 'errors.busyTitle' : 'errors.refusedTitle')
    : copy.title
  const body = refusal ? t(`errors.refused.${refusal.reason}`) : copy.body
  const detail =
    process.env.NODE_ENV === 'development' && error instanceof Error ? error.stack : null
  return (
    <div className="error-page">
      <p className="caption">{t('errors.statusCode', { status })}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      {refusal?.field ? (
        <p>
          {t('errors.refusedField')} <code>{refusal.field}</code>
        </p>
      ) : null}
      <p>
        <Link to="/">{t('errors.backHome')}</Link>
      </p>
      {detail ? <pre className="error-detail">{detail}</pre> : null}
    </div>
  )
}
