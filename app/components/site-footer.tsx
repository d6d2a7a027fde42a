import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** What the service is, the privacy notice, and which zone times are shown in. */
export function SiteFooter({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation()
  return (
    <footer className="site-footer">
      <div className="width-container">
        <h2 className="visually-hidden">{t('layout.footerLabel')}</h2>
        <ul className="site-footer__links">
          <li>
            <Link to="/privacy">{t('layout.footerPrivacy')}</Link>
          </li>
          <li>
            <Link to="/consultations">{t('layout.footerAllRounds')}</Link>
          </li>
        </ul>
        <p>{t('layout.footerAbout')}</p>
        <p>{t('layout.timesShownIn', { zone: timeZone })}</p>
        <p>{t('layout.footerOpenSource')}</p>
      </div>
    </footer>
  )
}
