import en from './locales/en.ts'
import fr from './locales/fr.ts'

export const supportedLanguages = ['en', 'fr'] as const
export type Language = (typeof supportedLanguages)[number]
export const fallbackLanguage: Language = 'en'

export const resources = {
  en: { common: en },
  fr: { common: fr },
}

/** i18next options shared by the server and the browser. */
export const i18nConfig = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: 'common',
  ns: ['common'],
  resources,
  interpolation: { escapeValue: false },
  returnNull: false,
} as const

/** Whether `lng` is one of the portal's languages. */
export function isSupportedLanguage(lng: string | null | undefined): lng is Language {
  return supportedLanguages.includes(lng as Language)
}

/** Writing direction, for the `dir` attribute once right-to-left languages arrive. */
export function textDirection(lng: string): 'ltr' | 'rtl' {
  return ['ar', 'fa', 'he', 'ur'].includes(lng.split('-')[0] ?? '') ? 'rtl' : 'ltr'
}
