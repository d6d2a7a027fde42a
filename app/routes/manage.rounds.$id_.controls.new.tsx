import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { ControlForm } from '#app/components/control-form.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import {
  ReferenceTakenError,
  StructureLockedError,
  addControl,
  getManagedRound,
} from '#app/models/consultation-authoring.server.ts'
import { ControlSchema } from '#app/models/consultation-input.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ id: z.coerce.number().int().positive() })

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const { round, structureLocked } = await getManagedRound(getDb(), {
    id: parsed.data.id,
    now: new Date().toISOString(),
  })
  if (structureLocked) throw redirect(`/manage/rounds/${round.id}#controls`)
  const t = await translatorFor(request)
  return {
    round: { id: round.id, title: round.title },
    title: `${t('manage.addControl')} – ${round.title}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const CONTROL_FORM = lazyShape(() => formShape(ControlSchema, { maxTextBytes: 512 * 1024 }))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const submission = parseWithZod((await readForm(request, CONTROL_FORM())).formData, {
    schema: ControlSchema,
  })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  try {
    await addControl(getDb(), {
      actor: user,
      consultationId: parsed.data.id,
      input: submission.value,
    })
  } catch (error) {
    if (error instanceof ReferenceTakenError) {
      return data(submission.reply({ fieldErrors: { reference: ['validation.referenceTaken'] } }), {
        status: 400,
      })
    }
    if (!(error instanceof StructureLockedError)) throw error
    return data(submission.reply({ formErrors: ['manage.structureLocked'] }), { status: 409 })
  }
  return redirect(`/manage/rounds/${parsed.data.id}?notice=control#controls`)
}

export default function NewControl() {
  const { round } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      <h1>{t('manage.addControl')}</h1>
      <ControlForm lastResult={lastResult} defaultValue={{}} submitLabel={t('manage.addControl')} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
