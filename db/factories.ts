// Insert helpers shared by the demo seed and the tests. They write rows as
// given (no business rules): tests that need the rules call app/models.
import type { Kysely } from 'kysely'
import { hashPassword } from '#app/auth/password.server.ts'
import { indexResponse } from '#app/models/search-index.server.ts'
import { countNewResponse } from '#app/models/round-counts.server.ts'
import { createSecretToken, createTrackingNumber, hashToken } from '#app/utils/tokens.server.ts'
import type {
  Database,
  OrganisationSize,
  Position,
  Publication,
  RespondentType,
  ResponseStatus,
  Role,
} from './schema.ts'

type DB = Kysely<Database>

export async function createUser(
  db: DB,
  input: { email: string; displayName: string; password: string; role?: Role; now?: string },
): Promise<number> {
  const now = input.now ?? new Date().toISOString()
  const row = await db
    .insertInto('users')
    .values({
      email: input.email.trim().toLowerCase(),
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      role: input.role ?? 'participant',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface ConsultationInput {
  slug: string
  title: string
  summary?: string
  background?: string
  commitments?: number[]
  timeZone?: string
  opensAt?: string | null
  closesAt?: string | null
  publishedAt?: string | null
  lateCommentsAllowed?: boolean
  contactPoint?: string
  createdBy?: number | null
  controls?: { reference: string; title: string; body?: string; questions?: string[] }[]
}

/** A round with its controls and questions; returns the ids created. */
export async function createConsultation(
  db: DB,
  input: ConsultationInput,
): Promise<{ id: number; controlIds: number[]; questionIds: number[][] }> {
  const now = new Date().toISOString()
  const { id } = await db
    .insertInto('consultations')
    .values({
      slug: input.slug,
      title: input.title,
      summary: input.summary ?? '',
      background: input.background ?? '',
      commitments: JSON.stringify(input.commitments ?? [2]),
      time_zone: input.timeZone ?? 'UTC',
      opens_at: input.opensAt ?? null,
      closes_at: input.closesAt ?? null,
      published_at: input.publishedAt ?? null,
      archived_at: null,
      late_comments_allowed: input.lateCommentsAllowed ? 1 : 0,
      contact_point: input.contactPoint ?? '',
      created_by: input.createdBy ?? null,
      created_at: now,
      updated_at: now,
      amended_at: null,
      report_published_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const controlIds: number[] = []
  const questionIds: number[][] = []
  for (const [position, control] of (input.controls ?? []).entries()) {
    const row = await db
      .insertInto('controls')
      .values({
        consultation_id: id,
        position,
        reference: control.reference,
        title: control.title,
        body: control.body ?? '',
        created_at: now,
        updated_at: now,
        amended_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    controlIds.push(row.id)
    const ids: number[] = []
    for (const [qPosition, prompt] of (control.questions ?? []).entries()) {
      const q = await db
        .insertInto('control_questions')
        .values({ control_id: row.id, position: qPosition, prompt })
        .returning('id')
        .executeTakeFirstOrThrow()
      ids.push(q.id)
    }
    questionIds.push(ids)
  }
  return { id, controlIds, questionIds }
}

export interface ResponseInput {
  consultationId: number
  respondentType?: RespondentType
  organisation?: string | null
  authorName?: string | null
  country?: string
  organisationSize?: OrganisationSize | null
  registerId?: string | null
  contactName?: string | null
  contactEmail?: string | null
  publication?: Publication
  confidential?: { justification: string; publicVersion: string } | null
  status?: ResponseStatus
  submittedAt?: string
  userId?: number | null
  items: {
    controlId: number | null
    position: Position
    body: string
    answers?: { questionId: number; answer: string }[]
  }[]
}

/** A response with its items and answers, as if submitted; returns its id and receipt. */
export async function createResponse(
  db: DB,
  input: ResponseInput,
): Promise<{ id: number; trackingNumber: string; editToken: string }> {
  const submittedAt = input.submittedAt ?? new Date().toISOString()
  const status = input.status ?? 'received'
  const trackingNumber = createTrackingNumber()
  const editToken = createSecretToken()
  const { id } = await db
    .insertInto('responses')
    .values({
      consultation_id: input.consultationId,
      tracking_number: trackingNumber,
      edit_token_hash: hashToken(editToken),
      idempotency_key: null,
      user_id: input.userId ?? null,
      respondent_type: input.respondentType ?? 'individual',
      organisation: input.organisation ?? null,
      author_name: input.authorName ?? null,
      country: input.country ?? 'DK',
      organisation_size: input.organisationSize ?? null,
      register_id: input.registerId ?? null,
      contact_name: input.contactName ?? null,
      contact_email: input.contactEmail ?? null,
      publication: input.publication ?? 'named',
      confidential: input.confidential ? 1 : 0,
      confidential_justification: input.confidential?.justification ?? null,
      public_version: input.confidential?.publicVersion ?? null,
      status,
      moderation_reason: null,
      is_late: 0,
      submitted_at: submittedAt,
      updated_at: submittedAt,
      published_at: status === 'published' ? submittedAt : null,
      withdrawn_at: null,
      confidential_decision: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const item of input.items) {
    const row = await db
      .insertInto('response_items')
      .values({
        response_id: id,
        control_id: item.controlId,
        position: item.position,
        body: item.body,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const answer of item.answers ?? []) {
      await db
        .insertInto('response_answers')
        .values({ item_id: row.id, question_id: answer.questionId, answer: answer.answer })
        .execute()
    }
  }
  await indexResponse(db, id)
  await countNewResponse(db, { id })
  return { id, trackingNumber, editToken }
}
