import { createCookie } from '@remix-run/node'
import { RemixI18Next } from 'remix-i18next/server'
import { fallbackLanguage, i18nConfig, supportedLanguages } from './i18n.ts'

/** Remembers a language chosen with `?lng=` for a year. */
export const languageCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
})

// Order: the URL (?lng=fr), then the remembered choice, then Accept-Language.
export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    cookie: languageCookie,
    order: ['searchParams', 'cookie', 'header'],
  },
  i18next: { ...i18nConfig },
})
