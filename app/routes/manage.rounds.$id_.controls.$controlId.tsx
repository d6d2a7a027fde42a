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
  getManagedRound,
  updateControl,
} from '#app/models/consultation-authoring.server.ts'
import { ControlSchema } from '#app/models/consultation-input.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({
  id: z.coerce.number().int().positive(),
  controlId: z.coerce.number().int().positive(),
})

function ids(params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const { id, controlId } = ids(params)
  const { round, controls, structureLocked } = await getManagedRound(getDb(), {
    id,
    now: new Date().toISOString(),
  })
  const control = controls.find((c) => c.id === controlId)
  if (!control) throw new Response('Not found', { status: 404 })
  const t = await translatorFor(request)
  return {
    round: { id: round.id, title: round.title },
    amending: structureLocked,
    control: {
      reference: control.reference,
      title: control.title,
      body: control.body,
      questions: control.questions.join('\n'),
    },
    title: `${control.reference} – ${round.title}`,
    heading: t('manage.editControl', { reference: control.reference }),
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const CONTROL_FORM = lazyShape(() => formShape(ControlSchema, { maxTextBytes: 512 * 1024 }))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const { id, controlId } = ids(params)
  const submission = parseWithZod((await readForm(request, CONTROL_FORM())).formData, {
    schema: ControlSchema,
  })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  try {
    await updateControl(getDb(), {
      actor: user,
      consultationId: id,
      controlId,
      input: submission.value,
    })
  } catch (error) {
    if (!(error instanceof ReferenceTakenError)) throw error
    return data(submission.reply({ fieldErrors: { reference: ['validation.referenceTaken'] } }), {
      status: 400,
    })
  }
  return redirect(`/manage/rounds/${id}?notice=control#controls`)
}

export default function EditControl() {
  const { round, control, heading, amending } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/manage/rounds/${round.id}`}>
          {t('manage.backToRound', { title: round.title })}
        </Link>
      </p>
      <h1>{heading}</h1>
      {amending ? (
        <p className="notice notice--warning">{t('manage.amendControlWarning')}</p>
      ) : null}
      <ControlForm
        lastResult={lastResult}
        defaultValue={control}
        submitLabel={t('manage.saveControl')}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
