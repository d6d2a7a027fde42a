import { parseWithZod } from '@conform-to/zod/v4'
import type { PublicRound } from '#app/models/consultations.server.ts'
import { COUNTRY_CODES, responseSchema } from '#app/models/response-input.ts'
import type { RespondentView, UploadedFile } from '#app/models/responses.server.ts'
import { countryName } from './display-names.ts'
import { getEnv } from './env.server.ts'
import { detectFileType, sanitiseFilename } from './file-types.server.ts'
import { parseMultipart } from './multipart.server.ts'

/**
 * The file types a response may attach, recognised from their bytes, with the
 * name endings each may carry: a PNG named .pdf is refused, not stored as a
 * "PDF" that is not one.
 */
export const ATTACHMENT_TYPES = new Map<string, string[]>([
  ['application/pdf', ['pdf']],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['docx']],
  ['application/vnd.oasis.opendocument.text', ['odt']],
  ['text/plain', ['txt', 'text', 'md', 'csv']],
  ['image/png', ['png']],
  ['image/jpeg', ['jpg', 'jpeg']],
])

function extensionOf(name: string): string | null {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name)
  return match ? match[1]!.toLowerCase() : null
}

export function responseLimits() {
  const env = getEnv()
  return { maxFiles: env.ATTACHMENT_MAX_FILES, maxFileBytes: env.ATTACHMENT_MAX_BYTES }
}

/** Anything larger than every file and field together is refused before it is read. */
export function requestTooLarge(request: Request): boolean {
  const { maxFiles, maxFileBytes } = responseLimits()
  const length = Number(request.headers.get('Content-Length') ?? 0)
  return length > maxFiles * maxFileBytes + 8 * 1024 * 1024
}

/**
 * Reads and validates a response form: fields through the shared schema,
 * then each attachment's real type from its bytes.
 */
export async function readResponseForm(request: Request) {
  const limits = responseLimits()
  const formData = await parseMultipart(request, { maxFileBytes: limits.maxFileBytes })
  const hadFiles = [...formData.getAll('files'), ...formData.getAll('confidentialFiles')].some(
    (f) => f instanceof File && f.name !== '',
  )
  const submission = parseWithZod(formData, { schema: responseSchema(limits) })
  if (submission.status !== 'success')
    return { submission, files: null, hadFiles, fileErrors: null }
  const files: UploadedFile[] = []
  const fileErrors: Record<string, string[]> = {}
  for (const field of ['files', 'confidentialFiles'] as const) {
    for (const file of submission.value[field]) {
      const bytes = new Uint8Array(await file.arrayBuffer())
      const type = await detectFileType(bytes)
      const endings = type ? ATTACHMENT_TYPES.get(type.mime) : undefined
      if (!type || !endings) {
        fileErrors[field] = ['validation.fileTypeNotAllowed']
        continue
      }
      const ending = extensionOf(file.name)
      if (ending && !endings.includes(ending)) {
        fileErrors[field] = ['validation.fileTypeMismatch']
        continue
      }
      files.push({
        filename: sanitiseFilename(file.name, type.ext),
        mediaType: type.mime,
        bytes,
        confidential: field === 'confidentialFiles',
      })
    }
  }
  return {
    submission,
    files,
    hadFiles,
    fileErrors: Object.keys(fileErrors).length ? fileErrors : null,
  }
}

/** The form's fields as defaults: one scope for the round and one per control, answers in question order. */
export function formDefaults(
  round: Pick<PublicRound, 'controls'>,
  view?: Pick<RespondentView, 'form' | 'items'> | null,
) {
  const item = (controlId: number | null) => view?.items.find((i) => i.controlId === controlId)
  const whole = item(null)
  return {
    ...(view?.form ?? {}),
    scopes: [
      { controlId: '', position: whole?.position ?? '', body: whole?.body ?? '', answers: [] },
      ...round.controls.map((c) => {
        const it = item(c.id)
        return {
          controlId: String(c.id),
          position: it?.position ?? '',
          body: it?.body ?? '',
          answers: c.questions.map(
            (q) => it?.answers.find((a) => a.questionId === q.id)?.answer ?? '',
          ),
        }
      }),
    ],
  }
}

/** The absolute address of a response's private page. */
export function privateLink(request: Request, trackingNumber: string, key: string): string {
  const base = getEnv().PUBLIC_URL ?? new URL(request.url).origin
  return `${base}/responses/${trackingNumber}?${new URLSearchParams({ key })}`
}

/** Every country, named in the reader's language and sorted for it: computed here so server and browser agree. */
export function countryOptions(locale: string): { code: string; name: string }[] {
  return COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) =>
    a.name.localeCompare(b.name, locale),
  )
}
