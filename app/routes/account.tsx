import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireUser } from '#app/auth/guards.server.ts'
import {
  AccountIntent,
  DeleteAccountSchema,
  NameSchema,
  PasswordChangeSchema,
  RevokeOthersSchema,
  RevokeSchema,
} from '#app/auth/schemas.ts'
import {
  destroySession,
  listSessions,
  revokeOtherSessions,
  revokeSession,
} from '#app/auth/session.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice, TextField, useSummaryErrors } from '#app/components/forms.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import { listOwnResponses } from '#app/models/responses.server.ts'
import {
  LastAdminError,
  changeDisplayName,
  changePassword,
  deleteAccount,
} from '#app/models/users.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm, refuseForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const NOTICES = ['welcome', 'name', 'password', 'revoked', 'revoked-others', 'draft'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const t = await translatorFor(request)
  const sessions = await listSessions(getDb(), { userId: user.id, currentId: user.sessionId })
  const responses = await listOwnResponses(getDb(), { userId: user.id })
  const notice = new URL(request.url).searchParams.get('notice')
  return {
    title: `${t('account.title')} – ${t('meta.siteName')}`,
    user: { email: user.email, displayName: user.displayName, role: user.role },
    sessions,
    responses,
    notice: NOTICES.find((n) => n === notice) ?? null,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() =>
  formShape([
    NameSchema,
    PasswordChangeSchema,
    RevokeSchema,
    RevokeOthersSchema,
    DeleteAccountSchema,
  ]),
)

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const { formData } = await readForm(request, FORM())
  const intent = AccountIntent.safeParse(formData.get('intent'))
  if (!intent.success) refuseForm('unknownIntent')

  switch (intent.data) {
    case 'name': {
      const submission = parseWithZod(formData, { schema: NameSchema })
      if (submission.status !== 'success') {
        return data({ intent: 'name', result: submission.reply() }, { status: 400 })
      }
      await changeDisplayName(db, { userId: user.id, displayName: submission.value.displayName })
      return redirect('/account?notice=name')
    }
    case 'password': {
      const submission = parseWithZod(formData, { schema: PasswordChangeSchema })
      const hide = { hideFields: ['currentPassword', 'newPassword'] }
      if (submission.status !== 'success') {
        return data({ intent: 'password', result: submission.reply(hide) }, { status: 400 })
      }
      const changed = await changePassword(db, {
        userId: user.id,
        currentPassword: submission.value.currentPassword,
        newPassword: submission.value.newPassword,
        keepSessionId: user.sessionId,
      })
      if (!changed) {
        const result = submission.reply({
          ...hide,
          fieldErrors: { currentPassword: ['account.currentWrong'] },
        })
        return data({ intent: 'password', result }, { status: 400 })
      }
      return redirect('/account?notice=password')
    }
    case 'revoke': {
      const submission = parseWithZod(formData, { schema: RevokeSchema })
      if (submission.status !== 'success') refuseForm('invalidValue', 'sessionId')
      await revokeSession(db, { userId: user.id, sessionId: submission.value.sessionId })
      if (submission.value.sessionId === user.sessionId) {
        return redirect('/?notice=signed-out', {
          headers: { 'Set-Cookie': await destroySession(db, request) },
        })
      }
      return redirect('/account?notice=revoked')
    }
    case 'revoke-others': {
      parseWithZod(formData, { schema: RevokeOthersSchema })
      await revokeOtherSessions(db, { userId: user.id, keepId: user.sessionId })
      return redirect('/account?notice=revoked-others')
    }
    case 'delete': {
      const submission = parseWithZod(formData, { schema: DeleteAccountSchema })
      const hide = { hideFields: ['password'] }
      if (submission.status !== 'success') {
        return data({ intent: 'delete', result: submission.reply(hide) }, { status: 400 })
      }
      try {
        const deleted = await deleteAccount(db, {
          userId: user.id,
          password: submission.value.password,
        })
        if (!deleted) {
          const result = submission.reply({
            ...hide,
            fieldErrors: { password: ['account.currentWrong'] },
          })
          return data({ intent: 'delete', result }, { status: 400 })
        }
      } catch (error) {
        if (!(error instanceof LastAdminError)) throw error
        const result = submission.reply({ ...hide, formErrors: ['account.lastAdmin'] })
        return data({ intent: 'delete', result }, { status: 409 })
      }
      return redirect('/?notice=deleted', {
        headers: { 'Set-Cookie': await destroySession(db, request) },
      })
    }
  }
}

export default function Account() {
  const { user, sessions, responses, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const resultFor = (intent: string) =>
    actionData?.intent === intent && actionData.result ? actionData.result : undefined

  const [nameForm, nameFields] = useForm({
    id: 'name-form',
    lastResult: resultFor('name'),
    defaultValue: { displayName: user.displayName },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NameSchema }),
    shouldValidate: 'onBlur',
  })
  const [passwordForm, passwordFields] = useForm({
    id: 'password-form',
    lastResult: resultFor('password'),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordChangeSchema }),
    shouldValidate: 'onBlur',
  })
  const [deleteForm, deleteFields] = useForm({
    id: 'delete-form',
    lastResult: resultFor('delete'),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeleteAccountSchema }),
    shouldValidate: 'onSubmit',
  })
  const errors = [
    ...useSummaryErrors(nameForm.errors, [nameFields.displayName]),
    ...useSummaryErrors(passwordForm.errors, [
      passwordFields.currentPassword,
      passwordFields.newPassword,
    ]),
    ...useSummaryErrors(deleteForm.errors, [deleteFields.password]),
  ]

  return (
    <>
      <ErrorSummary errors={errors} />
      {notice && !errors.length ? <Notice>{t(`account.notice.${notice}`)}</Notice> : null}
      <h1>{t('account.title')}</h1>
      <p>
        {t('account.signedInAs', { email: user.email })} ({t(`roles.${user.role}`)})
      </p>

      <section aria-labelledby="responses" className="panel">
        <h2 id="responses">{t('account.responsesHeading')}</h2>
        {responses.length === 0 ? (
          <p>{t('account.noResponses')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('account.responseRound')}</th>
                <th scope="col">{t('receipt.status')}</th>
                <th scope="col">{t('account.responseDate')}</th>
              </tr>
            </thead>
            <tbody>
              {responses.map((r) => (
                <tr key={`${r.kind}-${r.trackingNumber ?? r.roundSlug}`}>
                  <td>
                    {r.kind === 'draft' ? (
                      <Link to={`/consultations/${r.roundSlug}/respond`}>
                        {t('account.continueDraft', { title: r.roundTitle })}
                      </Link>
                    ) : (
                      <Link to={`/responses/${r.trackingNumber}`}>
                        {r.roundTitle} ({r.trackingNumber})
                      </Link>
                    )}
                  </td>
                  <td>{t(`responseStatus.${r.status}`)}</td>
                  <td>
                    <DateTime iso={r.at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="name-heading" className="panel">
        <h2 id="name-heading">{t('account.nameHeading')}</h2>
        <Form method="post" {...getFormProps(nameForm)}>
          <input type="hidden" name="intent" value="name" />
          <TextField meta={nameFields.displayName} label={t('signup.name')} autoComplete="name" />
          <button type="submit" className="button">
            {t('account.saveName')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="password-heading" className="panel">
        <h2 id="password-heading">{t('account.passwordHeading')}</h2>
        <Form method="post" {...getFormProps(passwordForm)}>
          <input type="hidden" name="intent" value="password" />
          <TextField
            meta={passwordFields.currentPassword}
            label={t('account.currentPassword')}
            type="password"
            autoComplete="current-password"
          />
          <TextField
            meta={passwordFields.newPassword}
            label={t('account.newPassword')}
            hint={t('signup.passwordHint')}
            type="password"
            autoComplete="new-password"
          />
          <button type="submit" className="button">
            {t('account.savePassword')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="sessions-heading" className="panel">
        <h2 id="sessions-heading">{t('account.sessionsHeading')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('account.sessionDevice')}</th>
              <th scope="col">{t('account.sessionStarted')}</th>
              <th scope="col">{t('account.sessionLastSeen')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('account.sessionActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => {
              const device = s.userAgent ?? t('account.unknownDevice')
              return (
                <tr key={s.id}>
                  <td>
                    {device}
                    {s.current ? <strong> ({t('account.thisDevice')})</strong> : null}
                  </td>
                  <td>
                    <DateTime iso={s.createdAt} />
                  </td>
                  <td>
                    <DateTime iso={s.lastSeenAt} />
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="sessionId" value={s.id} />
                      <button
                        type="submit"
                        className="button button--secondary"
                        aria-label={
                          s.current
                            ? t('account.revokeCurrent')
                            : t('account.revokeLabel', { device })
                        }
                      >
                        {t('account.revoke')}
                      </button>
                    </Form>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        {sessions.length > 1 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="revoke-others" />
            <button type="submit" className="button button--secondary">
              {t('account.revokeOthers')}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="delete-heading" className="panel">
        <h2 id="delete-heading">{t('account.deleteHeading')}</h2>
        <p>{t('account.deleteBody')}</p>
        <Form method="post" {...getFormProps(deleteForm)}>
          <input type="hidden" name="intent" value="delete" />
          <TextField
            meta={deleteFields.password}
            label={t('account.deletePassword')}
            type="password"
            autoComplete="current-password"
          />
          <button type="submit" className="button button--warning">
            {t('account.deleteSubmit')}
          </button>
        </Form>
      </section>
    </>
  )
}
