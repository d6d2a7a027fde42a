import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { translatorFor } from '#app/i18next.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await translatorFor(request)
  return { title: `${t('privacy.title')} – ${t('meta.siteName')}` }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const sections = ['collect', 'publish', 'notCollect', 'access', 'rights'] as const

export default function Privacy() {
  const { t } = useTranslation()
  return (
    <article className="prose">
      <h1>{t('privacy.title')}</h1>
      <p className="lead">{t('privacy.lead')}</p>
      {sections.map((s) => (
        <section key={s} aria-labelledby={`privacy-${s}`}>
          <h2 id={`privacy-${s}`}>{t(`privacy.${s}Heading`)}</h2>
          <p>{t(`privacy.${s}Body`)}</p>
        </section>
      ))}
    </article>
  )
}
