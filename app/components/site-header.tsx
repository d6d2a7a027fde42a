import { Link, NavLink, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { supportedLanguages } from '#app/i18n.ts'

/** The service's name, the main navigation and the language choice. */
export function SiteHeader({ locale }: { locale: string }) {
  const { t } = useTranslation()
  const location = useLocation()
  const withLanguage = (lng: string) => {
    const params = new URLSearchParams(location.search)
    params.set('lng', lng)
    return `${location.pathname}?${params.toString()}`
  }
  return (
    <header className="site-header">
      <div className="width-container site-header__inner">
        <Link to="/" className="site-header__name">
          {t('layout.serviceName')}
        </Link>
        <nav aria-label={t('layout.navLabel')} className="site-nav">
          <ul>
            <li>
              <NavLink to="/" end>
                {t('layout.navConsultations')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/privacy">{t('layout.navPrivacy')}</NavLink>
            </li>
          </ul>
        </nav>
        <nav aria-label={t('layout.languageLabel')} className="language-nav">
          <ul>
            {supportedLanguages.map((lng) => (
              <li key={lng}>
                {lng === locale ? (
                  <span aria-current="true" lang={lng}>
                    {t(`languages.${lng}`)}
                  </span>
                ) : (
                  <a href={withLanguage(lng)} lang={lng} hrefLang={lng}>
                    {t(`languages.${lng}`)}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </header>
  )
}
