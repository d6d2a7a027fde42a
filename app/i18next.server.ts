import { createCookie } from '@remix-run/node'
import { type i18n as I18n, createInstance } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { RemixI18Next } from 'remix-i18next/server'
import { fallbackLanguage, i18nConfig, isSupportedLanguage, supportedLanguages } from './i18n.ts'

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

const renderers = new Map<string, Promise<I18n>>()

/**
 * The i18next instance that renders pages in `lng`: one per language for the life of the process,
 * since its resources are bundled and nothing changes its language. Creating and initialising one
 * per request cost a measurable share of a page.
 */
export function rendererFor(lng: string): Promise<I18n> {
  const language = isSupportedLanguage(lng) ? lng : fallbackLanguage
  let instance = renderers.get(language)
  if (!instance) {
    const created = createInstance()
    instance = created
      .use(initReactI18next)
      .init({ ...i18nConfig, lng: language })
      .then(() => created)
    renderers.set(language, instance)
  }
  return instance
}

/** The translation function for the request's language (instead of remix-i18next's getFixedT, which creates and initialises an i18next instance at each call). */
export async function translatorFor(request: Request) {
  const lng = await i18next.getLocale(request)
  return (await rendererFor(lng)).getFixedT(lng)
}
