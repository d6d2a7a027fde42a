import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from '@remix-run/react'
import { type ReactNode, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary, errorMeta } from './components/error-boundary.tsx'
import { SiteFooter } from './components/site-footer.tsx'
import { SiteHeader } from './components/site-header.tsx'
import { fallbackLanguage, isSupportedLanguage, textDirection } from './i18n.ts'
import { getOptionalUser } from './auth/guards.server.ts'
import { i18next, languageCookie } from './i18next.server.ts'
import styles from './styles/app.css'
import { useNonce } from './utils/nonce.ts'
import { getTimeZone } from './utils/time-zone.server.ts'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await i18next.getLocale(request)
  const chosen = new URL(request.url).searchParams.get('lng')
  const headers = new Headers()
  if (isSupportedLanguage(chosen)) {
    headers.append('Set-Cookie', await languageCookie.serialize(chosen))
  }
  // Remix keeps a loader's Set-Cookie on the document response by itself.
  const user = await getOptionalUser(request)
  return data(
    {
      locale,
      timeZone: getTimeZone(request),
      user: user ? { displayName: user.displayName, role: user.role } : null,
    },
    { headers },
  )
}

// Pages set their own titles; this one only speaks when the root itself failed.
export const meta: MetaFunction<typeof loader> = (args) => (args.error ? errorMeta(args) : [])

export function Layout({ children }: { children: ReactNode }) {
  // Undefined when the root loader itself failed: the layout must still render.
  const rootData = useRouteLoaderData<typeof loader>('root')
  const { t, i18n } = useTranslation()
  const nonce = useNonce()
  // Marks the page interactive: tests wait for it, and CSS may use it.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  const locale = rootData?.locale ?? i18n.language ?? fallbackLanguage
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={t('meta.description')} />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t('layout.skipLink')}
        </a>
        <SiteHeader locale={locale} user={rootData?.user ?? null} />
        <div className="width-container">
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <SiteFooter timeZone={rootData?.timeZone ?? 'UTC'} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
