import { useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { loader as rootLoader } from '#app/root.tsx'

/** The page's locale and the reader's time zone, as the root loader found them. */
export function useLocaleAndZone(): { locale: string; timeZone: string } {
  const data = useRouteLoaderData<typeof rootLoader>('root')
  const { i18n } = useTranslation()
  return {
    locale: data?.locale ?? i18n.language,
    timeZone: data?.timeZone ?? 'UTC',
  }
}
