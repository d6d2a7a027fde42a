import countries from 'i18n-iso-countries'
import { z } from 'zod'
import { OVERSIZE_TYPE } from '#app/utils/oversize.ts'

// The response form's schema, shared by the browser (instant messages) and
// the server (the rule). Messages are translation keys.

export const RESPONDENT_TYPES = [
  'company',
  'business_association',
  'academic',
  'ngo',
  'trade_union',
  'public_authority',
  'individual',
  'other',
] as const
export const ORGANISATION_SIZES = ['micro', 'small', 'medium', 'large'] as const
export const POSITIONS = ['support', 'support_with_changes', 'oppose', 'no_position'] as const
export const PUBLICATIONS = ['named', 'anonymous', 'not_published'] as const
/** Generous: a long legal submission fits; a flood of megabytes does not. */
export const MAX_TEXT = 50_000

/** Every ISO 3166-1 alpha-2 code, for the country list and its check. */
export const COUNTRY_CODES = Object.keys(countries.getAlpha2Codes()).sort()

/**
 * Text as typed, minus what cannot be shown: Unicode NFC, and no control
 * characters except tab and line feed (a browser's CR LF becomes LF).
 */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return value.normalize('NFC').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
}

const longText = z
  .string()
  .optional()
  .transform((v) => cleanText(v ?? ''))
  .refine((v) => [...v].length <= MAX_TEXT, 'validation.textTooLong')

const line = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => cleanText(v ?? '').trim())
    .refine((v) => v.length <= max, 'validation.tooLong')

const files = z
  .preprocess(
    (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
    z.array(z.instanceof(File)),
  )
  .transform((list) => list.filter((f) => f.name !== '' || f.size > 0))

const scope = z.object({
  controlId: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null)),
  position: z.enum(POSITIONS, { error: 'validation.positionInvalid' }).optional(),
  body: longText,
  answers: z.preprocess(
    (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
    z.array(longText),
  ),
})

export interface ResponseLimits {
  maxFiles: number
  maxFileBytes: number
}

const schemas = new Map<string, ReturnType<typeof buildSchema>>()

/** The schema of the response form, for the given attachment limits (built once per limits). */
export function responseSchema(limits: ResponseLimits) {
  const key = `${limits.maxFiles}|${limits.maxFileBytes}`
  let schema = schemas.get(key)
  if (!schema) {
    schema = buildSchema(limits)
    schemas.set(key, schema)
  }
  return schema
}

function buildSchema(limits: ResponseLimits) {
  return z
    .object({
      intent: z.enum(['submit', 'draft']).optional().default('submit'),
      submissionKey: z.string().uuid('validation.formExpired'),
      website: z.string().optional(),
      respondentType: z.enum(RESPONDENT_TYPES, { error: 'validation.respondentTypeRequired' }),
      organisation: line(300),
      authorName: line(200),
      country: z.enum(COUNTRY_CODES as [string, ...string[]], {
        error: 'validation.countryRequired',
      }),
      organisationSize: z.enum(ORGANISATION_SIZES).optional(),
      registerId: line(100),
      contactName: line(200),
      contactEmail: z
        .string()
        .optional()
        .transform((v) => (v ?? '').trim())
        .refine((v) => v === '' || z.email().safeParse(v).success, 'validation.emailInvalid'),
      publication: z.enum(PUBLICATIONS, { error: 'validation.publicationRequired' }),
      confidential: z
        .string()
        .optional()
        .transform((v) => v === 'on' || v === 'true'),
      confidentialJustification: longText,
      publicVersion: longText,
      scopes: z.array(scope).default([]),
      files,
      confidentialFiles: files,
      removeAttachments: z
        .preprocess(
          (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
          z.array(z.coerce.number().int()),
        )
        .default([]),
    })
    .superRefine((v, ctx) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message })
      if (v.website) issue([], 'validation.honeypot')
      if (v.respondentType !== 'individual' && !v.organisation)
        issue(['organisation'], 'validation.organisationRequired')
      const addressed = v.scopes.filter((s, i) => {
        const written = s.body.trim() !== '' || s.answers.some((a) => a.trim() !== '')
        if (written && !s.position) issue(['scopes', i, 'position'], 'validation.positionRequired')
        return written || s.position
      })
      if (v.intent === 'submit' && addressed.length === 0) issue([], 'validation.nothingToSend')
      const confidentialFiles = v.confidentialFiles.length > 0
      if ((v.confidential || confidentialFiles) && !v.confidentialJustification.trim()) {
        issue(['confidentialJustification'], 'validation.justificationRequired')
      }
      if (v.confidential && !v.publicVersion.trim())
        issue(['publicVersion'], 'validation.publicVersionRequired')
      if (v.files.length + v.confidentialFiles.length > limits.maxFiles)
        issue(['files'], 'validation.tooManyFiles')
      for (const field of ['files', 'confidentialFiles'] as const) {
        if (v[field].some((f) => f.type === OVERSIZE_TYPE || f.size > limits.maxFileBytes)) {
          issue([field], 'validation.attachmentTooLarge')
        }
      }
    })
}

export type ResponseInput = z.output<ReturnType<typeof buildSchema>>
