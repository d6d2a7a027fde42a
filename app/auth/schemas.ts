import { z } from 'zod'
import { PASSWORD_MAX, passwordProblem } from './password-policy.ts'

// Zod schemas for the account forms, shared by server and browser. Messages
// are translation keys (see useErrorText).

export const emailField = z
  .string({ error: 'validation.emailRequired' })
  .trim()
  .min(1, 'validation.emailRequired')
  .max(254, 'validation.emailInvalid')
  .pipe(z.email('validation.emailInvalid'))

export const currentPasswordField = z
  .string({ error: 'validation.passwordRequired' })
  .min(1, 'validation.passwordRequired')
  .max(PASSWORD_MAX, 'validation.passwordLong')

export const newPasswordField = z
  .string({ error: 'validation.passwordRequired' })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value)
    if (problem === 'short') ctx.addIssue({ code: 'custom', message: 'validation.passwordShort' })
    if (problem === 'long') ctx.addIssue({ code: 'custom', message: 'validation.passwordLong' })
    if (problem === 'common') ctx.addIssue({ code: 'custom', message: 'validation.passwordCommon' })
  })

export const displayNameField = z
  .string({ error: 'validation.nameRequired' })
  .trim()
  .min(1, 'validation.nameRequired')
  .max(100, 'validation.nameLong')

export const roleField = z.enum(['participant', 'official', 'admin'], {
  error: 'validation.roleInvalid',
})

export const SignInSchema = z.object({
  email: emailField,
  password: currentPasswordField,
  redirectTo: z.string().optional(),
})

export const SignUpSchema = z
  .object({
    displayName: displayNameField,
    email: emailField,
    password: newPasswordField,
  })
  .refine((v) => v.password.toLowerCase() !== v.email.toLowerCase(), {
    path: ['password'],
    message: 'validation.passwordCommon',
  })

export const NameSchema = z.object({ intent: z.literal('name'), displayName: displayNameField })

export const PasswordChangeSchema = z.object({
  intent: z.literal('password'),
  currentPassword: currentPasswordField,
  newPassword: newPasswordField,
})

export const RevokeSchema = z.object({
  intent: z.literal('revoke'),
  sessionId: z.string().regex(/^[0-9a-f]{64}$/),
})

export const RevokeOthersSchema = z.object({ intent: z.literal('revoke-others') })

export const DeleteAccountSchema = z.object({
  intent: z.literal('delete'),
  password: currentPasswordField,
})

export const AccountIntent = z.enum(['name', 'password', 'revoke', 'revoke-others', 'delete'])

export const CreateUserSchema = z.object({
  intent: z.literal('create'),
  displayName: displayNameField,
  email: emailField,
  password: newPasswordField,
  role: roleField,
})

export const ChangeRoleSchema = z.object({
  intent: z.literal('role'),
  userId: z.coerce.number().int().positive(),
  role: roleField,
})
