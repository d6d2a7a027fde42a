import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Trans, useTranslation } from 'react-i18next'
import { requireAnonymous } from '#app/auth/guards.server.ts'
import { SignInSchema } from '#app/auth/schemas.ts'
import { createSession } from '#app/auth/session.server.ts'
import {
  InvalidCredentialsError,
  ThrottledError,
  signInAuthenticator,
} from '#app/auth/sign-in.server.ts'
import { ErrorSummary, TextField, useSummaryErrors } from '#app/components/forms.tsx'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { safeRedirect } from '#app/utils/safe-redirect.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '/account')
  await requireAnonymous(request, redirectTo)
  const t = await translatorFor(request)
  return { redirectTo, title: `${t('signin.title')} – ${t('meta.siteName')}` }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(SignInSchema))

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const { formData } = await readForm(request, FORM())
  const submission = parseWithZod(formData, { schema: SignInSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const db = getDb()
  try {
    // remix-auth reads the form itself: it gets the fields already read and checked above.
    const checked = new Request(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(formData as unknown as Record<string, string>),
    })
    const user = await signInAuthenticator(db, context).authenticate('password', checked)
    const cookie = await createSession(db, { userId: user.id, request })
    const fallback = user.role === 'participant' ? '/account' : '/'
    return redirect(safeRedirect(submission.value.redirectTo, fallback), {
      headers: { 'Set-Cookie': cookie },
    })
  } catch (error) {
    if (error instanceof ThrottledError) {
      const minutes = Math.max(1, Math.ceil(error.retryAfterMs / 60_000))
      return data(
        submission.reply({
          formErrors: [`signin.throttled|${minutes}`],
          hideFields: ['password'],
        }),
        { status: 429, headers: { 'Retry-After': String(Math.ceil(error.retryAfterMs / 1000)) } },
      )
    }
    if (error instanceof InvalidCredentialsError) {
      return data(submission.reply({ formErrors: ['signin.invalid'], hideFields: ['password'] }), {
        status: 401,
      })
    }
    throw error
  }
}

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  // A throttle message carries its wait in minutes after a '|'.
  const formErrors = form.errors?.map((e) => {
    const [key, minutes] = e.split('|')
    return minutes ? t('signin.throttled', { count: Number(minutes) }) : (key ?? e)
  })
  const errors = useSummaryErrors(formErrors, [fields.email, fields.password])
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} />
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.why')}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          meta={fields.email}
          label={t('signin.email')}
          type="email"
          autoComplete="username"
        />
        <TextField
          meta={fields.password}
          label={t('signin.password')}
          type="password"
          autoComplete="current-password"
        />
        <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
          {t('signin.submit')}
        </button>
      </Form>
      <p>
        <Trans i18nKey="signin.noAccount" components={{ a: <Link to="/signup" /> }} />
      </p>
    </div>
  )
}
