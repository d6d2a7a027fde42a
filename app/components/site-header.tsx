import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { Role } from '#db/schema.ts'
import { supportedLanguages } from '#app/i18n.ts'

/** The service's name, the main navigation, the account links and the language choice. */
export function SiteHeader({
  locale,
  user,
}: {
  locale: string
  user: { displayName: string; role: Role } | null
}) {
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
              <NavLink to="/consultations">{t('layout.navConsultations')}</NavLink>
            </li>
            {user && user.role !== 'participant' ? (
              <li>
                <NavLink to="/manage">{t('layout.navManage')}</NavLink>
              </li>
            ) : null}
            {user?.role === 'admin' ? (
              <>
                <li>
                  <NavLink to="/admin/users">{t('layout.navUsers')}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/audit">{t('layout.navAudit')}</NavLink>
                </li>
              </>
            ) : null}
            {user ? (
              <>
                <li>
                  <NavLink to="/account">{t('layout.navAccount')}</NavLink>
                </li>
                <li>
                  <Form method="post" action="/signout">
                    <button type="submit" className="link-button">
                      {t('layout.navSignOut')}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <li>
                <NavLink to="/signin">{t('layout.navSignIn')}</NavLink>
              </li>
            )}
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
