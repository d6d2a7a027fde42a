import { randomUUID } from 'node:crypto'
import { createConsultation } from '#db/factories.ts'
import { getDb } from '#app/utils/db.server.ts'

const day = 86_400_000

/** An open round with two controls (two questions on the first). */
export async function openRound(
  overrides: { closesAt?: string; lateCommentsAllowed?: boolean } = {},
) {
  const slug = `round-${randomUUID().slice(0, 8)}`
  const round = await createConsultation(getDb(), {
    slug,
    title: `Round ${slug}`,
    publishedAt: new Date(Date.now() - 2 * day).toISOString(),
    opensAt: new Date(Date.now() - day).toISOString(),
    closesAt: overrides.closesAt ?? new Date(Date.now() + 10 * day).toISOString(),
    lateCommentsAllowed: overrides.lateCommentsAllowed,
    controls: [
      {
        reference: 'Draft item 1',
        title: 'Spyware',
        questions: ['Is the scope right?', 'What would it cost?'],
      },
      { reference: 'Draft item 2', title: 'Biometrics', questions: [] },
    ],
  })
  return { slug, ...round }
}

/** The fields of a valid response on the first control, to be overridden per test. */
export function validFields(
  round: { controlIds: number[] },
  overrides: Record<string, string | string[]> = {},
) {
  return {
    submissionKey: randomUUID(),
    respondentType: 'ngo',
    organisation: 'Digital Rights Watch',
    country: 'NO',
    publication: 'named',
    'scopes[0].controlId': '',
    'scopes[1].controlId': String(round.controlIds[0]),
    'scopes[1].position': 'support_with_changes',
    'scopes[1].body': 'Please cover zero-click exploits.',
    'scopes[1].answers[0]': 'Mostly, yes.',
    'scopes[1].answers[1]': '',
    'scopes[2].controlId': String(round.controlIds[1]),
    ...overrides,
  } as Record<string, string | string[]>
}

export interface Upload {
  field: 'files' | 'confidentialFiles'
  name: string
  bytes: Uint8Array
  type?: string
}

/** A multipart POST as the browser sends the response form. */
export function responseRequest(
  path: string,
  fields: Record<string, string | string[]>,
  { uploads = [], cookie }: { uploads?: Upload[]; cookie?: string } = {},
): Request {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v)
  }
  for (const u of uploads)
    form.append(
      u.field,
      new File([u.bytes as BlobPart], u.name, { type: u.type ?? 'application/octet-stream' }),
    )
  const headers = new Headers({ Origin: 'http://localhost' })
  if (cookie) headers.set('Cookie', cookie)
  return new Request(`http://localhost${path}`, { method: 'POST', body: form, headers })
}

export const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
export const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
  0, 0, 0, 1, 8, 2, 0, 0, 0,
])
