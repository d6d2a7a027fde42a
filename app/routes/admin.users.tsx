import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/guards.server.ts'
import { ChangeRoleSchema, CreateUserSchema } from '#app/auth/schemas.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { errorMeta } from '#app/components/error-boundary.tsx'
import {
  ErrorSummary,
  Notice,
  SelectField,
  TextField,
  useSummaryErrors,
} from '#app/components/forms.tsx'
import { translatorFor } from '#app/i18next.server.ts'
import {
  EmailTakenError,
  LastAdminError,
  changeRole,
  createAccount,
  listUsers,
} from '#app/models/users.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'
import { z } from 'zod'

const ROLES = ['participant', 'official', 'admin'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const t = await translatorFor(request)
  const params = new URL(request.url).searchParams
  const notice = params.get('notice')
  return {
    title: `${t('admin.usersTitle')} – ${t('meta.siteName')}`,
    users: await listUsers(getDb()),
    notice: notice === 'created' || notice === 'role' ? notice : null,
    noticeEmail: params.get('email') ?? '',
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() =>
  formShape([ChangeRoleSchema, CreateUserSchema, z.object({ intent: z.string() })]),
)

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const actor = { id: admin.id, role: admin.role }
  const { formData } = await readForm(request, FORM())
  const db = getDb()
  if (formData.get('intent') === 'role') {
    const submission = parseWithZod(formData, { schema: ChangeRoleSchema })
    if (submission.status !== 'success') {
      return data({ intent: 'role' as const, result: submission.reply() }, { status: 400 })
    }
    try {
      await changeRole(db, { actor, ...submission.value })
    } catch (error) {
      if (!(error instanceof LastAdminError)) throw error
      const result = submission.reply({ formErrors: ['admin.lastAdmin'] })
      return data({ intent: 'role' as const, result }, { status: 409 })
    }
    const users = await listUsers(db)
    const email = users.find((u) => u.id === submission.value.userId)?.email ?? ''
    return redirect(`/admin/users?${new URLSearchParams({ notice: 'role', email })}`)
  }
  const submission = parseWithZod(formData, { schema: CreateUserSchema })
  if (submission.status !== 'success') {
    return data(
      { intent: 'create' as const, result: submission.reply({ hideFields: ['password'] }) },
      { status: 400 },
    )
  }
  try {
    await createAccount(db, { ...submission.value, actor })
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error
    const result = submission.reply({
      fieldErrors: { email: ['validation.emailTaken'] },
      hideFields: ['password'],
    })
    return data({ intent: 'create' as const, result }, { status: 409 })
  }
  return redirect(
    `/admin/users?${new URLSearchParams({ notice: 'created', email: submission.value.email })}`,
  )
}

export default function AdminUsers() {
  const { users, notice, noticeEmail } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))
  const [createForm, fields] = useForm({
    id: 'create-user',
    lastResult: actionData?.intent === 'create' ? actionData.result : undefined,
    defaultValue: { role: 'official' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateUserSchema }),
    shouldValidate: 'onBlur',
  })
  const roleErrors = actionData?.intent === 'role' ? (actionData.result.error?.[''] ?? []) : []
  const errors = [
    ...useSummaryErrors(roleErrors, []),
    ...useSummaryErrors(createForm.errors, [
      fields.displayName,
      fields.email,
      fields.password,
      fields.role,
    ]),
  ]
  return (
    <>
      <ErrorSummary errors={errors} />
      {notice && !errors.length ? (
        <Notice>
          {notice === 'created'
            ? t('admin.created', { email: noticeEmail })
            : t('admin.roleChanged', { email: noticeEmail })}
        </Notice>
      ) : null}
      <h1>{t('admin.usersTitle')}</h1>
      <table className="table">
        <caption>{t('admin.usersCaption', { count: users.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.email')}</th>
            <th scope="col">{t('admin.since')}</th>
            <th scope="col">{t('admin.role')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.displayName}</td>
              <td>{u.email}</td>
              <td>
                <DateTime iso={u.createdAt} dateOnly />
              </td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="role" />
                  <input type="hidden" name="userId" value={u.id} />
                  <label htmlFor={`role-${u.id}`} className="visually-hidden">
                    {t('admin.roleFor', { email: u.email })}
                  </label>
                  <select id={`role-${u.id}`} name="role" defaultValue={u.role} className="select">
                    {roleOptions.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  <button
                    type="submit"
                    className="button button--secondary"
                    aria-label={t('admin.changeRoleFor', { email: u.email })}
                  >
                    {t('admin.changeRole')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <section aria-labelledby="create-heading" className="panel">
        <h2 id="create-heading">{t('admin.createHeading')}</h2>
        <p>{t('admin.createHint')}</p>
        <Form method="post" {...getFormProps(createForm)}>
          <input type="hidden" name="intent" value="create" />
          <TextField meta={fields.displayName} label={t('signup.name')} autoComplete="off" />
          <TextField
            meta={fields.email}
            label={t('signup.email')}
            type="email"
            autoComplete="off"
          />
          <TextField
            meta={fields.password}
            label={t('admin.initialPassword')}
            hint={t('signup.passwordHint')}
            type="password"
            autoComplete="new-password"
          />
          <SelectField meta={fields.role} label={t('admin.role')} options={roleOptions} />
          <button type="submit" className="button">
            {t('admin.create')}
          </button>
        </Form>
      </section>
    </>
  )
}
