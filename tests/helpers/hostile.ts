// Hostile input for the property tests: values, field names and whole bodies as an attacker
// would send them, and a way to call a route as Remix would and read what it answered.
import fc from 'fast-check'
import { sql } from 'kysely'
import { getDb } from '#app/utils/db.server.ts'

const encoder = new TextEncoder()

/** Text no form should choke on: controls, NUL, direction overrides, odd Unicode, markup. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u202e',
      '\u2066',
      '\u200b',
      '\ufeff',
      '\ufffd',
      '\ud800',
      'e\u0301',
      '🏳️‍🌈',
      '"',
      "'",
      '\\',
      '<',
      '>',
      '&',
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '\n',
      'a',
      ' ',
    ),
    maxLength: 80,
  }),
  fc.constantFrom(
    '<script>window.__pwned=1</script>',
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example","x")',
    '../../etc/passwd',
    '%00',
    '0x7fffffff',
    '-1',
    '1e309',
    'NaN',
    '[object Object]',
    'true',
    '',
    ' ',
  ),
  // Past every text limit, and past the reader's limit of one field.
  fc.constantFrom(50_001, 300_000).map((n) => 'x'.repeat(n)),
)

/** Field names an attacker would try: huge indexes, deep nesting, prototype keys, junk. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'scopes[5000000].body',
    'scopes[1].answers[3000000]',
    'scopes[99999999999999999999].body',
    '__proto__',
    '__proto__[polluted]',
    'constructor.prototype.polluted',
    'intent[]',
    'files[0]',
    '',
    ' ',
    'a'.repeat(300),
  ),
  fc.nat({ max: 200 }).map((n) => `x${'[0]'.repeat(n)}`),
  fc.nat({ max: 200 }).map((n) => `x${'.y'.repeat(n)}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
)

export type Value = string | Uint8Array
export interface Part {
  name: string
  value: Value
  /** Makes the part a file. */
  filename?: string
  type?: string
}

const bytes = (v: Value) => (typeof v === 'string' ? encoder.encode(v) : v)

/** application/x-www-form-urlencoded, byte by byte (raw bytes become %XX, valid UTF-8 or not). */
export function urlEncoded(parts: Part[]): Uint8Array {
  const pct = (b: Uint8Array) =>
    [...b]
      .map((x) =>
        /[A-Za-z0-9_.~-]/.test(String.fromCharCode(x))
          ? String.fromCharCode(x)
          : `%${x.toString(16).padStart(2, '0')}`,
      )
      .join('')
  return encoder.encode(parts.map((p) => `${pct(bytes(p.name))}=${pct(bytes(p.value))}`).join('&'))
}

/** multipart/form-data as a browser writes it, with the given boundary. */
export function multipart(parts: Part[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = []
  for (const part of parts) {
    const file =
      part.filename === undefined
        ? ''
        : `; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}`
    chunks.push(
      encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n`,
      ),
      bytes(part.value),
      encoder.encode('\r\n'),
    )
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`))
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

/** How a body is sent: the encodings a browser uses, and the ways an attacker breaks them. */
export type Transport =
  | { kind: 'urlencoded' }
  | { kind: 'multipart' }
  | { kind: 'truncated'; at: number }
  | { kind: 'wrongBoundary' }
  | { kind: 'noBoundary' }
  | { kind: 'contentType'; value: string }

export const transport: fc.Arbitrary<Transport> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'urlencoded' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'multipart' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((at) => ({ kind: 'truncated' as const, at })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrongBoundary' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'noBoundary' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('application/json', 'text/plain', 'multipart/mixed', '', 'x'.repeat(500))
      .map((value) => ({ kind: 'contentType' as const, value })),
  },
)

/** A POST of `parts` to `path`, sent the given way, as from one of our pages (Origin set). */
export function hostileRequest(
  path: string,
  parts: Part[],
  how: Transport,
  { cookie }: { cookie?: string } = {},
): Request {
  const boundary = '----portalFuzz7MA4YWxkTrZu0gW'
  const hasFiles = parts.some((p) => p.filename !== undefined)
  let body: Uint8Array
  let type: string
  switch (how.kind) {
    case 'urlencoded':
      if (!hasFiles) {
        body = urlEncoded(parts)
        type = 'application/x-www-form-urlencoded'
        break
      }
    // A form with files is always multipart.
    // falls through
    case 'multipart':
      body = multipart(parts, boundary)
      type = `multipart/form-data; boundary=${boundary}`
      break
    case 'truncated': {
      const whole = multipart(parts, boundary)
      body = whole.subarray(0, Math.floor(whole.byteLength * how.at))
      type = `multipart/form-data; boundary=${boundary}`
      break
    }
    case 'wrongBoundary':
      body = multipart(parts, boundary)
      type = 'multipart/form-data; boundary=somethingElse'
      break
    case 'noBoundary':
      body = multipart(parts, boundary)
      type = 'multipart/form-data'
      break
    case 'contentType':
      body = urlEncoded(parts)
      type = how.value
      break
  }
  const headers = new Headers({ Origin: 'http://localhost' })
  if (type) headers.set('Content-Type', type)
  if (cookie) headers.set('Cookie', cookie)
  return new Request(`http://localhost${path}`, { method: 'POST', headers, body: body as BodyInit })
}

/** A form's fields changed as an attacker would. */
export type Mutation =
  | { kind: 'value'; index: number; value: string }
  | { kind: 'rawValue'; index: number; value: Uint8Array }
  | { kind: 'extra'; name: string; value: string }
  | { kind: 'duplicate'; index: number }
  | { kind: 'drop'; index: number }
  | { kind: 'file'; name: string; filename: string; value: Uint8Array }

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      index: fc.nat(),
      value: hostileText,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rawValue' as const),
      index: fc.nat(),
      value: fc.uint8Array({ maxLength: 64 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      name: hostileName,
      value: hostileText,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('file' as const),
      name: fc.constantFrom('files', 'confidentialFiles', 'file', 'body', 'x'),
      filename: fc.oneof(
        hostileText.map((t) => t.slice(0, 200)),
        fc.constantFrom('a.pdf', 'a.png', '../../x.docx', 'a"b.txt'),
      ),
      value: fc.uint8Array({ maxLength: 256 }),
    }),
  },
)

/** Applies mutations to a valid form's fields. */
export function mutate(fields: [string, string][], mutations: Mutation[]): Part[] {
  const parts: Part[] = fields.map(([name, value]) => ({ name, value }))
  for (const m of mutations) {
    const at = parts.length ? ('index' in m ? m.index % parts.length : 0) : -1
    switch (m.kind) {
      case 'value':
      case 'rawValue':
        if (at >= 0) parts[at] = { ...parts[at]!, value: m.value }
        break
      case 'extra':
        parts.push({ name: m.name, value: m.value })
        break
      case 'duplicate':
        if (at >= 0) parts.push({ ...parts[at]! })
        break
      case 'drop':
        if (at >= 0) parts.splice(at, 1)
        break
      case 'file':
        parts.push({ name: m.name, value: m.value, filename: m.filename })
        break
    }
  }
  return parts
}

export interface Outcome {
  status: number
  /** The answer's data: a JSON or text body, or what an action returned with data(). */
  body: unknown
  location: string | null
}

interface DataWithInit {
  type: 'DataWithResponseInit'
  data: unknown
  init: ResponseInit | null
}

const isDataWithInit = (v: unknown): v is DataWithInit =>
  typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'DataWithResponseInit'

async function readResponse(response: Response): Promise<Outcome> {
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON: the text is the message.
  }
  return { status: response.status, body, location: response.headers.get('Location') }
}

/**
 * Calls a loader or action as Remix does and reads its answer, thrown or returned. Anything
 * else thrown is what would have been a 500: it propagates and fails the property.
 */
export async function answer(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run()
    if (result instanceof Response) return readResponse(result)
    if (isDataWithInit(result))
      return { status: result.init?.status ?? 200, body: result.data, location: null }
    return { status: 200, body: result, location: null }
  } catch (error) {
    if (error instanceof Response) return readResponse(error)
    if (isDataWithInit(error))
      return { status: error.init?.status ?? 500, body: error.data, location: null }
    throw error
  }
}

/**
 * Whether a refusal says what was wrong: the form reader's reason, an API message, a form's
 * field or form errors, or a page's message key.
 */
export function explains(body: unknown): boolean {
  if (typeof body === 'string') return body.trim().length > 0
  if (typeof body !== 'object' || body === null) return false
  const b = body as Record<string, unknown>
  const error = b.error as Record<string, unknown> | string | undefined
  if (typeof error === 'string' && error) return true
  if (error && typeof error === 'object' && (error.reason || error.message)) return true
  if (Array.isArray(b.errors) && b.errors.length) return true
  if (typeof b.message === 'string' && b.message) return true
  if (b.tooLarge === true) return true
  const result = (b.result ?? b) as { error?: Record<string, unknown> | null } | null
  if (result?.error && Object.values(result.error).some((e) => Array.isArray(e) && e.length)) {
    return true
  }
  return false
}

/** Rows of every table a form may write, and the newest change: the same before and after a refusal. */
export async function fingerprint(): Promise<string> {
  const tables = [
    'users',
    'consultations',
    'controls',
    'control_questions',
    'consultation_documents',
    'responses',
    'response_items',
    'response_answers',
    'response_drafts',
    'response_notes',
    'attachments',
    'file_blobs',
    'file_chunks',
    'tags',
    'response_tags',
    'summaries',
    'audit_log',
  ]
  const counts = await Promise.all(
    tables.map(async (t) => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(
        getDb(),
      )
      return `${t}=${rows[0]!.n}`
    }),
  )
  const { rows } = await sql<{ r: string | null; c: string | null; u: string | null }>`select
      (select max(updated_at) from responses) as r,
      (select max(updated_at) from consultations) as c,
      (select max(updated_at) from users) as u`.execute(getDb())
  return [...counts, JSON.stringify(rows[0])].join(' ')
}

/** Files staged by requests and never claimed: none may be left once a request is answered. */
export async function stagedFiles(): Promise<number> {
  const row = await getDb()
    .selectFrom('file_blobs')
    .where('state', '=', 'staged')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
