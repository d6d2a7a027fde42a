import { z } from 'zod'
import { isValidTimeZone } from '#app/utils/format.ts'
import { OVERSIZE_TYPE } from '#app/utils/oversize.ts'
import { localToUtc } from '#app/utils/zoned-time.ts'

// The officials' forms for rounds and controls. Validation runs on the server
// (zone arithmetic needs Temporal); messages are translation keys.

const text = (max: number, required?: string) => {
  const base = z.string().trim().max(max, 'validation.tooLong')
  return required ? base.min(1, required) : base
}

// Conform turns an empty field into undefined (inside pipes too, so no pipe
// here); optional text reads it as ''.
const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v.length <= max, 'validation.tooLong')

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('1')])
  .optional()
  .transform(Boolean)

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export const RoundSchema = z
  .object({
    title: z
      .string({ error: 'validation.titleRequired' })
      .pipe(text(200, 'validation.titleRequired')),
    slug: z
      .string({ error: 'validation.slugInvalid' })
      .trim()
      .toLowerCase()
      .min(3, 'validation.slugInvalid')
      .max(80, 'validation.slugInvalid')
      .regex(SLUG, 'validation.slugInvalid'),
    summary: optionalText(600),
    background: optionalText(50_000),
    commitments: z
      .array(z.coerce.number().int().min(1).max(6))
      .default([])
      .transform((list) => [...new Set(list)].sort()),
    timeZone: z
      .string({ error: 'validation.timeZoneInvalid' })
      .refine(isValidTimeZone, 'validation.timeZoneInvalid'),
    opensAt: optionalText(40),
    closesAt: optionalText(40),
    lateCommentsAllowed: checkbox,
    contactPoint: optionalText(300),
  })
  .transform((value, ctx) => {
    const convert = (field: 'opensAt' | 'closesAt') => {
      const local = value[field].trim()
      if (!local) return null
      const result = localToUtc(local, value.timeZone)
      if (result.ok) return result.iso
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message:
          result.reason === 'nonexistent' ? 'validation.timeNonexistent' : 'validation.dateInvalid',
      })
      return null
    }
    const opensAt = convert('opensAt')
    const closesAt = convert('closesAt')
    if (opensAt && closesAt && Date.parse(closesAt) <= Date.parse(opensAt)) {
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'validation.closeBeforeOpen' })
    }
    return { ...value, opensAt, closesAt }
  })

export type RoundInput = z.infer<typeof RoundSchema>

export const ControlSchema = z.object({
  reference: z
    .string({ error: 'validation.referenceRequired' })
    .pipe(text(60, 'validation.referenceRequired')),
  title: z
    .string({ error: 'validation.titleRequired' })
    .pipe(text(200, 'validation.titleRequired')),
  body: optionalText(50_000),
  questions: optionalText(20_000)
    .transform((lines) =>
      lines
        .split(/\r?\n/)
        .map((q) => q.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length <= 20, 'validation.tooManyQuestions')
    .refine((list) => list.every((q) => q.length <= 1000), 'validation.tooLong'),
})

export type ControlInput = z.infer<typeof ControlSchema>

export const DOCUMENT_MAX_BYTES = Number(process.env.DOCUMENT_MAX_BYTES ?? 20 * 1024 * 1024)

export const DocumentSchema = z.object({
  title: z
    .string({ error: 'validation.titleRequired' })
    .pipe(text(200, 'validation.titleRequired')),
  file: z
    .instanceof(File, { message: 'validation.fileRequired' })
    .refine(
      (f) => f.type !== OVERSIZE_TYPE && f.size <= DOCUMENT_MAX_BYTES,
      'validation.fileTooLarge',
    )
    // The server's form reader stands a stored file in by an empty File of its name.
    .refine((f) => f.name !== '' || f.size > 0, 'validation.fileRequired'),
})
