import { randomUUID } from 'node:crypto'
import {
  ORGANISATION_SIZES,
  POSITIONS,
  PUBLICATIONS,
  RESPONDENT_TYPES,
} from '#app/models/response-input.ts'

// Responses as a person fills the form in a browser: every field the page has, in its order,
// the empty ones included, and an empty file part for a file input left alone.

import { prng } from '#tests/helpers/corpus.ts'

export type Random = () => number

/** A small deterministic generator (mulberry32), so that a seed reproduces a run's submissions. */
export const seededRandom: (seed: number) => Random = prng

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!

/** What the drill needs of the respond page: the form's one-time key and its scopes. */
export interface RespondPage {
  submissionKey: string
  /** Per scope (the round, then each control): its controlId value and how many questions. */
  scopes: { controlId: string; questions: number }[]
}

/** Reads the respond page's HTML as a browser's form would see it. */
export function readRespondPage(html: string): RespondPage {
  const key = /name="submissionKey" value="([^"]+)"/.exec(html)?.[1]
  if (!key) throw new Error('The respond page has no submissionKey input')
  const scopes: RespondPage['scopes'] = []
  for (const match of html.matchAll(/name="scopes\[(\d+)\]\.controlId" value="(\d*)"/g)) {
    scopes[Number(match[1])] = { controlId: match[2]!, questions: 0 }
  }
  for (const match of html.matchAll(/name="scopes\[(\d+)\]\.answers\[(\d+)\]"/g)) {
    const scope = scopes[Number(match[1])]
    if (scope) scope.questions = Math.max(scope.questions, Number(match[2]) + 1)
  }
  if (scopes.length === 0 || scopes.some((s) => !s)) {
    throw new Error('The respond page has no scopes, or a gap between them')
  }
  return { submissionKey: key, scopes }
}

interface FilePart {
  name: string
  filename: string
  type: string
  bytes: Buffer
}

/** One response, as the bytes a browser sends; a retry sends the very same bytes. */
export interface DrillSubmission {
  key: string
  /** A word found in no other response, for checking the search index afterwards. */
  marker: string
  attachments: number
  body: Buffer
  contentType: string
}

// A mass campaign: the same letter with small edits, which campaign detection should group.
const CAMPAIGN_LETTERS = [
  'As a member of the public I urge you to ban the export of commercial spyware to governments that target journalists, lawyers and human rights defenders. Licences should be refused wherever there is a clear risk of misuse, and every licence granted should be published with its destination and end user. Spyware vendors must not be able to move their business to another country to escape these rules.',
  "Je vous demande d'interdire l'exportation de logiciels espions vers les gouvernements qui surveillent les journalistes, les avocats et les défenseurs des droits humains. Les licences doivent être refusées dès qu'il existe un risque clair d'abus, et chaque licence accordée doit être publiée avec sa destination et son utilisateur final.",
  'Facial recognition systems used for real-time identification in public spaces should never be exported to states without independent oversight. The draft item must cover retrospective identification and databases built from scraped images, and exporters must carry out human rights due diligence before every sale, not only when the authority asks.',
]
const EDITS: [string, string][] = [
  ['urge', 'ask'],
  ['clear', 'real'],
  ['published', 'made public'],
  ['never', 'not'],
  ['every', 'each'],
  ['demande', 'prie'],
  ['doivent', 'devraient'],
]
const OPENINGS = [
  'I write as a teacher.',
  'I am a software engineer.',
  'My family fled surveillance.',
  'Thank you for consulting the public.',
  '',
]
// Texts of their own: a few sentences, in several languages, some with Japanese so the trigram
// index is written too.
const SENTENCES = [
  'The definition of intrusion software should follow the Wassenaar Arrangement text to avoid divergence.',
  'Exclusions for vulnerability disclosure and penetration testing are essential for our members.',
  'A catch-all clause would give exporters legal certainty only if the authority publishes guidance.',
  'Cloud services supplied from abroad must be treated as exports of the underlying technology.',
  'Small companies cannot afford bespoke human rights impact assessments for every order.',
  'Licence decisions should be shared with other subscribing states through denial notifications.',
  'Die Definition der Überwachungstechnik ist zu weit gefasst und erfasst legitime Netzwerkanalyse.',
  'Wir begrüßen die Konsultation und bitten um eine Übergangsfrist von zwölf Monaten.',
  'La guía de diligencia debida debería incluir ejemplos prácticos para pequeñas empresas.',
  'Las autoridades deberían publicar un informe anual de licencias concedidas y denegadas.',
  '監視技術の輸出管理には、人権デューデリジェンスの明確な指針が必要です。',
  '顔認識システムの輸出は、独立した監督機関のない国には認めるべきではありません。',
]
const ORGANISATIONS = [
  'Nordic Secure Networks AB',
  'Association of Security Exporters',
  'Digital Rights Watch',
  'University Centre for Technology and Human Rights',
  'Metalworkers Union',
  'Export Control Agency',
  'Société Générale de Vidéo',
]
const COUNTRIES = ['DK', 'NO', 'US', 'AU', 'FR', 'DE', 'JP', 'KR', 'ES', 'GB', 'KE', 'BR', 'IN']
// Tiny files of the types the portal accepts, recognised from their bytes.
const FILES = [
  { filename: 'brief.pdf', type: 'application/pdf', bytes: '%PDF-1.4\n1 0 obj<<>>endobj\n' },
  { filename: 'notes.txt', type: 'text/plain', bytes: 'Notes on the draft items.\n' },
]

function campaignLetter(random: Random): string {
  let text = pick(random, CAMPAIGN_LETTERS)
  for (const [from, to] of EDITS) if (random() < 0.3) text = text.replace(from, to)
  return [pick(random, OPENINGS), text].filter(Boolean).join(' ')
}

function ownText(random: Random): string {
  const count = 2 + Math.floor(random() * 4)
  return Array.from({ length: count }, () => pick(random, SENTENCES)).join(' ')
}

type Part = [name: string, value: string] | FilePart

function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----drill${randomUUID()}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    if (Array.isArray(part)) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part[0]}"\r\n\r\n${part[1]}\r\n`,
        ),
      )
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`,
        ),
        part.bytes,
        Buffer.from('\r\n'),
      )
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** A file input left alone: browsers still send it, with no name and no bytes. */
const noFile = (name: string): FilePart => ({
  name,
  filename: '',
  type: 'application/octet-stream',
  bytes: Buffer.alloc(0),
})

/**
 * A valid response to the page's form: respondent type, country and publication varied, one or
 * two scopes written (often a campaign letter), answers now and then, and an attachment, a
 * contact email or a confidentiality claim now and then.
 */
export function drillResponse(random: Random, page: RespondPage): DrillSubmission {
  const key = page.submissionKey
  const marker = `drill${key.replaceAll('-', '').slice(0, 16)}`
  const respondentType = pick(random, RESPONDENT_TYPES)
  const individual = respondentType === 'individual'
  const confidential = random() < 0.1
  const fields: Part[] = [
    ['submissionKey', key],
    ['website', ''],
    ['respondentType', respondentType],
    ['organisation', individual ? '' : pick(random, ORGANISATIONS)],
    ['authorName', random() < 0.5 ? `Respondent ${Math.floor(random() * 1000)}` : ''],
    ['country', pick(random, COUNTRIES)],
  ]
  if (!individual && random() < 0.6) {
    fields.push(['organisationSize', pick(random, ORGANISATION_SIZES)])
  }
  fields.push(
    ['registerId', random() < 0.2 ? `REG-${Math.floor(random() * 100000)}` : ''],
    ['contactName', ''],
    ['contactEmail', random() < 0.1 ? `drill-${key.slice(0, 8)}@example.org` : ''],
  )
  const written = new Set([Math.floor(random() * page.scopes.length)])
  if (random() < 0.3) written.add(Math.floor(random() * page.scopes.length))
  let markerPlaced = false
  page.scopes.forEach((scope, i) => {
    fields.push([`scopes[${i}].controlId`, scope.controlId])
    const writes = written.has(i)
    if (writes) fields.push([`scopes[${i}].position`, pick(random, POSITIONS)])
    let body = ''
    if (writes) {
      body = random() < 0.6 ? campaignLetter(random) : ownText(random)
      if (!markerPlaced) body += ` ${marker}`
      markerPlaced = true
    }
    fields.push([`scopes[${i}].body`, body])
    for (let q = 0; q < scope.questions; q++) {
      fields.push([`scopes[${i}].answers[${q}]`, writes && random() < 0.4 ? ownText(random) : ''])
    }
  })
  let attachments = 0
  if (random() < 0.15) {
    const file = pick(random, FILES)
    fields.push({ name: 'files', ...file, bytes: Buffer.from(file.bytes) })
    attachments++
  } else {
    fields.push(noFile('files'))
  }
  fields.push(noFile('confidentialFiles'))
  if (confidential) fields.push(['confidential', 'on'])
  fields.push(
    ['confidentialJustification', confidential ? 'Prices and customer names.' : ''],
    ['publicVersion', confidential ? 'Our public version of this response.' : ''],
    ['publication', pick(random, PUBLICATIONS)],
    ['intent', 'submit'],
  )
  return { key, marker, attachments, ...multipart(fields) }
}
