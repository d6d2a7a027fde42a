import { parseWithZod } from '@conform-to/zod/v4'
import { data } from '@remix-run/node'
import type { PublicRound } from '#app/models/consultations.server.ts'
import { COUNTRY_CODES, type ResponseInput, responseSchema } from '#app/models/response-input.ts'
import type {
  RespondentView,
  RoundForResponse,
  UploadedFile,
} from '#app/models/responses.server.ts'
import { UNAVAILABLE_RETRY_SECONDS } from './database-errors.server.ts'
import { getDb } from './db.server.ts'
import { countryName } from './display-names.ts'
import { getEnv } from './env.server.ts'
import { attachmentSink, discardFiles } from './file-sinks.server.ts'
import { detectStoredType, sanitiseFilename } from './file-types.server.ts'
import { FormRefusedError, readForm } from './form-reader.server.ts'
import { type FormShape, formShape } from './form-shape.ts'

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
  return length > maxFiles * maxFileBytes + RESPONSE_TEXT_BYTES
}

/** All the text of one response form together, at most: 8 MiB (every box of a large round full). */
const RESPONSE_TEXT_BYTES = 8 * 1024 * 1024

const shapes = new Map<string, FormShape>()

/**
 * The response form of a round, as the page sends it: one scope for the round and one per control,
 * each with at most as many answers as the round's longest list of questions.
 */
function responseShape(round: Pick<RoundForResponse, 'controls'>) {
  const limits = responseLimits()
  const questions = Math.max(0, ...round.controls.map((c) => c.questionIds.length))
  const key = `${round.controls.length}|${questions}|${limits.maxFiles}|${limits.maxFileBytes}`
  let shape = shapes.get(key)
  if (!shape) {
    shape = formShape(responseSchema(limits), {
      lists: { scopes: round.controls.length + 1 },
      repeat: { 'scopes[].answers': questions, removeAttachments: 1000 },
      // Each file input may carry every file; the schema then counts them together.
      files: { files: limits.maxFiles, confidentialFiles: limits.maxFiles },
      maxTextBytes: RESPONSE_TEXT_BYTES,
    })
    if (shapes.size > 200) shapes.clear()
    shapes.set(key, shape)
  }
  return shape
}

/**
 * Reads and validates a response form: fields through the shared schema, each attachment's real
 * type from its stored bytes. With `keepFiles: false` (a refused or rate-limited sender) files
 * are read past and never stored. Files staged but not used are the caller's to `discardFiles`.
 */
export async function readResponseForm(
  request: Request,
  round: Pick<RoundForResponse, 'id' | 'controls'>,
  { keepFiles = true }: { keepFiles?: boolean } = {},
) {
  const db = getDb()
  const limits = responseLimits()
  const { formData, files: received } = await readForm(request, responseShape(round), {
    files: keepFiles ? await attachmentSink(db, round.id) : undefined,
  })
  const hadFiles = received.length > 0
  const staged = received.flatMap((f) => (f.blob ? [f.blob] : []))
  const submission = parseWithZod(formData, { schema: responseSchema(limits) })
  if (submission.status !== 'success') {
    return { submission, files: null, hadFiles, fileErrors: null, staged }
  }
  try {
    refuseForeignScopes(submission.value, round)
  } catch (refusal) {
    await discardFiles(staged)
    throw refusal
  }
  const files: UploadedFile[] = []
  const fileErrors: Record<string, string[]> = {}
  for (const file of received) {
    const field = file.field as 'files' | 'confidentialFiles'
    if (file.problem === 'storageFull') {
      fileErrors[field] = ['validation.storageFull']
      continue
    }
    if (!file.blob) continue
    const type = await detectStoredType(db, file.blob)
    const endings = type ? ATTACHMENT_TYPES.get(type.mime) : undefined
    if (!type || !endings) {
      fileErrors[field] = ['validation.fileTypeNotAllowed']
      continue
    }
    const ending = extensionOf(file.filename)
    if (ending && !endings.includes(ending)) {
      fileErrors[field] = ['validation.fileTypeMismatch']
      continue
    }
    files.push({
      filename: sanitiseFilename(file.filename, type.ext),
      mediaType: type.mime,
      blob: file.blob,
      confidential: field === 'confidentialFiles',
    })
  }
  return {
    submission,
    files,
    hadFiles,
    fileErrors: Object.keys(fileErrors).length ? fileErrors : null,
    staged,
  }
}

type ReadResponse = Awaited<ReturnType<typeof readResponseForm>>

/**
 * A response form given back with a refusal: every value the sender typed (the honeypot
 * excepted), the messages, and whether files must be chosen again.
 */
export function refuseResponse(
  form: ReadResponse,
  status: number,
  reply: Parameters<ReadResponse['submission']['reply']>[0] = {},
  headers: Record<string, string> = {},
) {
  return data(
    {
      result: form.submission.reply({ hideFields: ['website'], ...reply }),
      filesNotKept: form.hadFiles,
    },
    { status, headers },
  )
}

/** The refusal when the database cannot store a response just now: 503, the text given back. */
export function responseUnavailable(form: ReadResponse, error: unknown) {
  console.warn('A response could not be stored now (the sender keeps the text):', error)
  return refuseResponse(
    form,
    503,
    { formErrors: ['respond.unavailable'] },
    { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
  )
}

/**
 * A scope for a control the round does not have, or more answers than its control has questions,
 * is no form this portal sent: refused rather than quietly dropped.
 */
function refuseForeignScopes(
  input: ResponseInput,
  round: Pick<RoundForResponse, 'controls'>,
): void {
  for (const scope of input.scopes) {
    const questions =
      scope.controlId === null
        ? 0
        : round.controls.find((c) => c.id === scope.controlId)?.questionIds.length
    if (questions === undefined || !Number.isSafeInteger(scope.controlId ?? 0)) {
      throw new FormRefusedError('unknownControl').toResponse()
    }
    if (scope.answers.length > questions) {
      throw new FormRefusedError('indexTooLarge', 'answers').toResponse()
    }
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
