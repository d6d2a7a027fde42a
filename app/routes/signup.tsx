import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { Trans, useTranslation } from 'react-i18next'
import { requireAnonymous } from '#app/auth/guards.server.ts'
import { SignUpSchema } from '#app/auth/schemas.ts'
import { createSession } from '#app/auth/session.server.ts'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, TextField, useSummaryErrors } from '#app/components/forms.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { EmailTakenError, createAccount } from '#app/models/users.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  const t = await translatorFor(request)
  return { title: `${t('signup.title')} – ${t('meta.siteName')}` }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(SignUpSchema))

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const submission = parseWithZod((await readForm(request, FORM())).formData, {
    schema: SignUpSchema,
  })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const db = getDb()
  try {
    const userId = await createAccount(db, { ...submission.value, role: 'participant' })
    const cookie = await createSession(db, { userId, request })
    return redirect('/account?notice=welcome', { headers: { 'Set-Cookie': cookie } })
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return data(
        submission.reply({
          fieldErrors: { email: ['validation.emailTaken'] },
          hideFields: ['password'],
        }),
        { status: 409 },
      )
    }
    throw error
  }
}

export default function SignUp() {
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignUpSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const errors = useSummaryErrors(form.errors, [fields.displayName, fields.email, fields.password])
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} />
      <h1>{t('signup.title')}</h1>
      <p>{t('signin.why')}</p>
      <Form method="post" {...getFormProps(form)}>
        <TextField
          meta={fields.displayName}
          label={t('signup.name')}
          hint={t('signup.nameHint')}
          autoComplete="name"
        />
        <TextField
          meta={fields.email}
          label={t('signup.email')}
          hint={t('signup.emailHint')}
          type="email"
          autoComplete="email"
        />
        <TextField
          meta={fields.password}
          label={t('signup.password')}
          hint={t('signup.passwordHint')}
          type="password"
          autoComplete="new-password"
        />
        <button type="submit" className="button">
          {t('signup.submit')}
        </button>
      </Form>
      <p>
        <Trans i18nKey="signup.haveAccount" components={{ a: <Link to="/signin" /> }} />
      </p>
    </div>
  )
}
