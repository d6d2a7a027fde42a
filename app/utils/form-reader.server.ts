import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import Busboy from '@fastify/busboy'
import type { StageResult, StoredBlob } from '#app/models/file-store.server.ts'
import { CHUNK_BYTES } from '#app/models/file-store.server.ts'
import { getEnv } from './env.server.ts'
import {
  FieldCounter,
  type FormRefusal,
  type FormShape,
  MAX_FIELD_NAME_BYTES,
} from './form-shape.ts'
import { MemoryBudget, Reservation } from './memory-budget.server.ts'
import { OVERSIZE_TYPE } from './oversize.ts'
import { singleton } from './singleton.server.ts'

// Every form the portal takes is read here, as a stream (busboy, for url-encoded and multipart
// bodies alike), and checked against its shape as it arrives: a name the form does not have, an
// index beyond its bound, a field sent twice, too many fields or bytes stop the reading at once
// with a 4xx that says why, before anything is built from them. Files go to storage piece by
// piece as they arrive (file-store.server.ts), never whole into memory.

/** A file part of a form, as received. */
export interface ReceivedFile {
  field: string
  /** The name the sender gave, as sent (sanitised before it is stored). */
  filename: string
  /** Staged in the file store, to be claimed by the caller's transaction or discarded. */
  blob: StoredBlob | null
  /** Why the file was not kept, if it was not. */
  problem: 'oversize' | 'storageFull' | 'tooMany' | 'notKept' | null
}

/** Where a form's files go, and how much they may take. */
export interface FileSink {
  /** The largest file, in bytes. */
  maxFileBytes: number
  /** What storage may still take for this request (round cap, free disk), in bytes. */
  storageRemaining: number
  /** Writes one file; a file past `maxBytes` is drained and reported oversize. */
  stage(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StageResult>
  /** Removes files staged for a request that was refused. */
  discard(blobs: StoredBlob[]): Promise<void>
}

export interface ReadForm {
  formData: FormData
  files: ReceivedFile[]
}

const STATUS: Record<FormRefusal, number> = {
  unknownField: 400,
  duplicateField: 400,
  indexTooLarge: 400,
  fieldNameTooLong: 400,
  fieldTooLarge: 413,
  tooManyFields: 413,
  formTooLarge: 413,
  malformed: 400,
  incomplete: 400,
  unsupportedType: 415,
  unknownControl: 400,
  unknownIntent: 400,
  invalidValue: 400,
  busy: 503,
}

/** How long the parser may hold data it was given without a file being written: a stall. */
const STALL_MS = 1000

/** Seconds a client is asked to wait when the portal is reading too much at once. */
export const BUSY_RETRY_SECONDS = 10

/** A form refused before it was read to its end: a 4xx (or 503) that says why. */
export class FormRefusedError extends Error {
  constructor(
    readonly refusal: FormRefusal,
    readonly field?: string,
  ) {
    super(`form refused: ${refusal}${field ? ` (${field})` : ''}`)
  }

  get status(): number {
    return STATUS[this.refusal]
  }

  /** The answer: JSON that the error page (or an API client) reads. */
  toResponse(): Response {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    }
    if (this.refusal === 'busy') headers['Retry-After'] = String(BUSY_RETRY_SECONDS)
    return new Response(
      JSON.stringify({
        error: {
          status: this.status,
          reason: this.refusal,
          ...(this.field ? { field: this.field } : {}),
        },
      }),
      { status: this.status, headers },
    )
  }
}

/**
 * Refuses a form that no page of the portal sends (no intent, an id that is not a number): the
 * same explained 400 as a refusal while reading.
 */
export function refuseForm(refusal: FormRefusal, field?: string): never {
  throw new FormRefusedError(refusal, field).toResponse()
}

/** The reading requests may hold in memory together (FORM_MEMORY_BUDGET_MB). */
export function formMemoryBudget(): MemoryBudget {
  return singleton(
    'form-memory-budget',
    () => new MemoryBudget(getEnv().FORM_MEMORY_BUDGET_MB * 1024 * 1024),
  )
}

/** Thrown by the server adapter's body counter when a body passes the server's limit. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large')
  }
}

/**
 * Reads a form posted to the server, checked against `shape` as it arrives; files go to `files`.
 * Throws a Response (4xx, or 503 with Retry-After when too many large requests are being read)
 * for a form that is not one this page sends, so routes need no handling of their own.
 */
export async function readForm(
  request: Request,
  shape: FormShape,
  { files: sink }: { files?: FileSink } = {},
): Promise<ReadForm> {
  try {
    return await read(request, shape, sink)
  } catch (error) {
    if (error instanceof FormRefusedError) throw error.toResponse()
    throw error
  }
}

async function read(
  request: Request,
  shape: FormShape,
  sink: FileSink | undefined,
): Promise<ReadForm> {
  const contentType = request.headers.get('content-type') ?? ''
  if (!request.body) return { formData: new FormData(), files: [] }
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(contentType)) {
    drain(toNodeStream(request.body), declared)
    throw new FormRefusedError('unsupportedType')
  }
  if (
    Number.isFinite(declared) &&
    declared >
      shape.maxTextBytes +
        (shape.maxFiles ? (sink?.maxFileBytes ?? 0) : 0) * shape.maxFiles +
        64 * 1024
  ) {
    drain(toNodeStream(request.body), declared)
    throw new FormRefusedError('formTooLarge')
  }
  const reservation = new Reservation(formMemoryBudget())
  // Enough for one field as the parser holds it, and one piece of a file.
  const base =
    Math.min(Number.isFinite(declared) ? declared : Infinity, shape.maxFieldBytes) +
    (shape.maxFiles > 0 && sink ? CHUNK_BYTES + 64 * 1024 : 0)
  if (!reservation.ensure(base)) {
    drain(toNodeStream(request.body), declared)
    throw new FormRefusedError('busy')
  }
  try {
    return await parse(request.body, contentType, shape, sink, reservation, base, declared)
  } finally {
    reservation.release()
  }
}

function parse(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  shape: FormShape,
  sink: FileSink | undefined,
  reservation: Reservation,
  base: number,
  declared: number,
): Promise<ReadForm> {
  return new Promise<ReadForm>((resolve, reject) => {
    const formData = new FormData()
    const received: ReceivedFile[] = []
    const counter = new FieldCounter(shape)
    const staging: Promise<void>[] = []
    let textBytes = 0
    let stagedBytes = 0
    let settled = false
    let parser: ReturnType<typeof Busboy> | undefined
    // Files being written: ended at once if the form is refused, so their writes stop.
    const active = new Set<Readable>()
    const source = toNodeStream(body)

    // busboy 3.2.6 stalls for good on a part it skips (a name with a bare line break) that is
    // longer than 16 KiB: it stops taking data and never finishes. A write it holds for
    // STALL_MS while no file is being written (the only wait of ours) is such a stall.
    let lastData = Date.now()
    const watchdog = setInterval(() => {
      const held = (parser?.writableLength ?? 0) > 0
      if (held && active.size === 0 && Date.now() - lastData > STALL_MS) {
        fail(new FormRefusedError('malformed'))
      }
    }, STALL_MS / 4)
    watchdog.unref()

    const fail = (error: unknown) => {
      clearInterval(watchdog)
      if (settled) return
      settled = true
      source.unpipe()
      drain(source, declared)
      parser?.removeAllListeners()
      parser?.on('error', () => {})
      for (const stream of active) stream.destroy(new Error('form refused'))
      // Whatever was staged for this request goes with it, before the refusal is answered.
      void Promise.allSettled(staging)
        .then(async () => {
          const blobs = received.flatMap((f) => (f.blob ? [f.blob] : []))
          if (blobs.length && sink) await sink.discard(blobs)
        })
        .catch(() => {})
        .finally(() => reject(error))
    }

    try {
      parser = Busboy({
        headers: { 'content-type': contentType },
        defCharset: 'utf8',
        highWaterMark: 64 * 1024,
        fileHwm: 64 * 1024,
        limits: {
          fieldNameSize: MAX_FIELD_NAME_BYTES + 1,
          fieldSize: shape.maxFieldBytes,
          fields: shape.maxFields + 1,
          files: shape.maxFiles + 1,
          parts: shape.maxFields + shape.maxFiles + 2,
          headerPairs: 16,
          headerSize: 8 * 1024,
        },
      })
    } catch {
      // No boundary, or a content type busboy cannot read.
      drain(source, declared)
      reject(new FormRefusedError('malformed'))
      return
    }

    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (settled) return
      if (nameTruncated) return fail(new FormRefusedError('fieldNameTooLong'))
      const check = counter.add(name, { file: false })
      if (!check.ok) return fail(new FormRefusedError(check.refusal, printable(name)))
      if (valueTruncated) return fail(new FormRefusedError('fieldTooLarge', name))
      textBytes += Buffer.byteLength(value)
      if (textBytes > shape.maxTextBytes) return fail(new FormRefusedError('formTooLarge'))
      if (!reservation.ensure(base + textBytes)) return fail(new FormRefusedError('busy'))
      formData.append(name, value)
    })

    parser.on('file', (name, stream, filename) => {
      if (settled) {
        stream.resume()
        return
      }
      const check = counter.add(name, { file: true })
      if (!check.ok && check.refusal !== 'duplicateField') {
        stream.resume()
        return fail(new FormRefusedError(check.refusal, printable(name)))
      }
      const entry: ReceivedFile = { field: name, filename, blob: null, problem: null }
      // An empty file input arrives as a part with no name and no bytes.
      if (!filename) {
        stream.resume()
        formData.append(name, new File([], ''))
        return
      }
      received.push(entry)
      if (!check.ok) entry.problem = 'tooMany'
      else if (!sink) entry.problem = 'notKept'
      else if (sink.storageRemaining - stagedBytes <= 0) entry.problem = 'storageFull'
      if (entry.problem) {
        stream.resume()
        formData.append(name, placeholder(entry))
        return
      }
      const limit = Math.min(sink!.maxFileBytes, sink!.storageRemaining - stagedBytes)
      active.add(stream)
      stream.once('close', () => active.delete(stream))
      // A file stream destroyed by a refusal emits 'error' after its sink may have stopped
      // listening (a sink that failed, the database locked, has): unheard, it would end the
      // process. The sink sees its own errors through its own listeners.
      stream.on('error', () => {})
      staging.push(
        sink!.stage(stream, limit).then(
          (result) => {
            if ('blob' in result) {
              entry.blob = result.blob
              stagedBytes += result.blob.size
            } else {
              entry.problem = limit < sink!.maxFileBytes ? 'storageFull' : 'oversize'
            }
            formData.append(name, placeholder(entry))
          },
          (error: unknown) => fail(error),
        ),
      )
    })

    const tooMany = () => fail(new FormRefusedError('tooManyFields'))
    parser.on('fieldsLimit', tooMany)
    parser.on('partsLimit', tooMany)
    parser.on('filesLimit', tooMany)
    parser.on('error', (error: unknown) => {
      const message = error instanceof Error ? error.message : ''
      fail(new FormRefusedError(/unexpected end/i.test(message) ? 'incomplete' : 'malformed'))
    })
    parser.on('finish', () => {
      void Promise.all(staging).then(() => {
        clearInterval(watchdog)
        if (settled) return
        settled = true
        resolve({ formData, files: received })
      }, fail)
    })
    source.on('data', () => {
      lastData = Date.now()
    })
    source.on('error', (error: unknown) => {
      fail(
        error instanceof BodyTooLargeError ||
          (error as { cause?: unknown })?.cause instanceof BodyTooLargeError
          ? new FormRefusedError('formTooLarge')
          : new FormRefusedError('incomplete'),
      )
    })
    source.pipe(parser)
  })
}

function toNodeStream(body: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(body as WebReadableStream<Uint8Array>, { highWaterMark: 64 * 1024 })
}

/** What is read and thrown away of a refused body that did not say its length. */
const DRAIN_UNDECLARED_BYTES = 1024 * 1024

/**
 * Reads the rest of a refused request's body without keeping it (no memory, only the time to
 * receive it), so that its answer reaches the sender: a browser still sending a large upload
 * when the connection closes shows a reset instead of the 503 and its Retry-After. A body that
 * declared its length (the server refused any longer than its largest form) is read to its
 * end; one that did not, and goes on past DRAIN_UNDECLARED_BYTES, has its connection closed.
 */
function drain(source: Readable, declared: number): void {
  const limit = Number.isFinite(declared) ? declared : DRAIN_UNDECLARED_BYTES
  let bytes = 0
  source.on('error', () => {})
  source.on('data', (chunk: Uint8Array) => {
    bytes += chunk.byteLength
    if (bytes > limit) source.destroy()
  })
  source.resume()
}

/** A file's stand-in among the form's fields, for the schema's checks of count and size. */
function placeholder(file: ReceivedFile): File {
  return new File([], file.filename, {
    type: file.problem === 'oversize' ? OVERSIZE_TYPE : 'application/octet-stream',
  })
}

/** A field name as it may be shown back: printable ASCII, at most 80 characters. */
function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)
}
