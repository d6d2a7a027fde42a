import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/guards.server.ts'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { RoundForm } from '#app/components/round-form.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { SlugTakenError, createRound } from '#app/models/consultation-authoring.server.ts'
import { RoundSchema } from '#app/models/consultation-input.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { getTimeZone } from '#app/utils/time-zone.server.ts'
import { listTimeZones } from '#app/utils/zoned-time.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'
import { z } from 'zod'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const t = await translatorFor(request)
  return {
    title: `${t('manage.newRound')} – ${t('meta.siteName')}`,
    timeZones: listTimeZones(),
    timeZone: getTimeZone(request),
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() =>
  formShape([RoundSchema, z.object({ intent: z.string() })], {
    repeat: { commitments: 6 },
    maxTextBytes: 512 * 1024,
  }),
)

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const submission = parseWithZod((await readForm(request, FORM())).formData, {
    schema: RoundSchema,
  })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  try {
    const id = await createRound(getDb(), { actor: user, input: submission.value })
    return redirect(`/manage/rounds/${id}?notice=created`)
  } catch (error) {
    if (!(error instanceof SlugTakenError)) throw error
    return data(submission.reply({ fieldErrors: { slug: ['validation.slugTaken'] } }), {
      status: 409,
    })
  }
}

export default function NewRound() {
  const { timeZones, timeZone } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to="/manage">{t('manage.backToList')}</Link>
      </p>
      <h1>{t('manage.newRound')}</h1>
      <p>{t('manage.newRoundIntro')}</p>
      <RoundForm
        lastResult={lastResult}
        defaultValue={{ timeZone, commitments: ['2'] }}
        timeZones={timeZones}
        slugLocked={false}
        submitLabel={t('manage.createRound')}
      />
    </>
  )
}
