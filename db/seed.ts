// `npm run db:seed`: demo accounts and a demo round, written only where
// missing, so it can run any number of times.
import type { Kysely } from 'kysely'
import { pathToFileURL } from 'node:url'
import { BUSY_TIMEOUT, openDatabase } from './connection.ts'
import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { createConsultation, createResponse, createUser } from './factories.ts'
import { migrateToLatest } from './migrate.ts'
import { openPostgres } from './postgres.ts'
import { databasePath } from './path.ts'
import type { Database, Role } from './schema.ts'
import { demoResponses, demoRound } from './seed-data.ts'

type DB = Kysely<Database>

/** The demo accounts, printed at start-up and listed in README. */
export const demoLogins: { role: Role; email: string; name: string; password: string }[] = [
  { role: 'admin', email: 'admin@example.org', name: 'Ada Admin', password: 'admin-demo-password' },
  {
    role: 'official',
    email: 'official@example.org',
    name: 'Oskar Official',
    password: 'official-demo-password',
  },
  {
    role: 'participant',
    email: 'participant@example.org',
    name: 'Pia Participant',
    password: 'participant-demo-password',
  },
]

const DAY = 86_400_000

/** Midnight-aligned instants relative to `now`, so demo dates read naturally. */
function daysFrom(now: number, days: number, hourUtc: number): string {
  const d = new Date(now + days * DAY)
  d.setUTCHours(hourUtc, 0, 0, 0)
  return d.toISOString()
}

async function seedAccounts(db: DB): Promise<string[]> {
  const lines: string[] = []
  for (const login of demoLogins) {
    const existing = await db
      .selectFrom('users')
      .where('email', '=', login.email)
      .select('id')
      .executeTakeFirst()
    if (existing) continue
    await createUser(db, {
      email: login.email,
      displayName: login.name,
      password: login.password,
      role: login.role,
    })
    lines.push(`Created demo ${login.role} ${login.email}`)
  }
  return lines
}

async function seedRounds(db: DB, now: number): Promise<string[]> {
  const official = await db
    .selectFrom('users')
    .where('email', '=', 'official@example.org')
    .select('id')
    .executeTakeFirst()
  const opensAt = daysFrom(now, -21, 8)
  const round = await createConsultation(db, {
    slug: demoRound.slug,
    title: demoRound.title,
    summary: demoRound.summary,
    background: demoRound.background,
    commitments: demoRound.commitments,
    timeZone: 'Europe/Copenhagen',
    opensAt,
    closesAt: daysFrom(now, 30, 16),
    publishedAt: daysFrom(now, -28, 8),
    lateCommentsAllowed: false,
    contactPoint: demoRound.contactPoint,
    createdBy: official?.id ?? null,
    controls: demoRound.controls,
  })
  for (const response of demoResponses) {
    const submitted = Math.max(Date.parse(opensAt) + 3_600_000, now - response.daysAgo * DAY)
    await createResponse(db, {
      consultationId: round.id,
      respondentType: response.respondentType,
      organisation: response.organisation,
      // The demo's named individuals chose to be shown under their own name.
      authorName:
        response.respondentType === 'individual' && response.publication === 'named'
          ? response.contactName
          : null,
      country: response.country,
      organisationSize: response.organisationSize,
      registerId: response.registerId,
      contactName: response.contactName,
      contactEmail: response.contactEmail,
      publication: response.publication,
      confidential: response.confidential,
      status: response.status,
      submittedAt: new Date(submitted).toISOString(),
      items: response.items.map((item) => {
        const controlId = item.control === null ? null : (round.controlIds[item.control] ?? null)
        const questionIds = item.control === null ? [] : (round.questionIds[item.control] ?? [])
        return {
          controlId,
          position: item.position,
          body: item.body,
          answers: item.answers
            .map((answer, i) => ({ questionId: questionIds[i], answer }))
            .filter((a): a is { questionId: number; answer: string } =>
              Boolean(a.questionId && a.answer.trim()),
            ),
        }
      }),
    })
  }

  const now_ = new Date(now).toISOString()
  for (const [index, tag] of [
    ['Scope and definitions', 'Whether the control catches too much or too little', '#1d70b8'],
    [
      'Research and security testing exemptions',
      'Vulnerability research, penetration testing, academic work',
      '#00703c',
    ],
    ['Licensing burden', 'Processing times, costs and guidance for exporters', '#6f3c00'],
    ['Human-rights due diligence', 'End-user screening and the UN Guiding Principles', '#4c2c92'],
  ].entries()) {
    await db
      .insertInto('tags')
      .values({
        consultation_id: round.id,
        parent_id: null,
        name: tag[0]!,
        description: tag[1]!,
        colour: tag[2]!,
        shortcut: index + 1,
        created_at: now_,
        updated_at: now_,
      })
      .execute()
  }

  await createConsultation(db, {
    slug: 'cloud-biometric-identification-services-2027',
    title: 'Cloud-delivered biometric identification services: scoping consultation',
    summary:
      'Should export controls reach facial-recognition and other biometric identification delivered as an online service rather than shipped as hardware or software?',
    background:
      'Biometric identification is increasingly sold as a hosted service. This scoping round asks whether, and how, controls on the supply of such services to end users who could misuse them for serious human rights violations should be framed.',
    commitments: [1, 2, 4],
    timeZone: 'Europe/Oslo',
    opensAt: daysFrom(now, 14, 8),
    closesAt: daysFrom(now, 74, 16),
    publishedAt: daysFrom(now, -2, 8),
    contactPoint: 'Export Control Policy Unit, consultations@example.org',
    createdBy: official?.id ?? null,
    controls: [
      {
        reference: 'Scoping question A',
        title: 'Remote biometric identification offered as a service',
        body: 'Whether access to hosted biometric identification, matching faces or other biometric data against reference databases on behalf of a customer, should require a licence when the customer is an end user of concern.',
        questions: ['How do providers know who their customers are today?'],
      },
      {
        reference: 'Scoping question B',
        title: 'Training data and model weights for biometric identification',
        body: 'Whether trained biometric identification models, and the data sets used to train them, should be treated as controlled technology.',
        questions: ['What would a workable technical threshold look like?'],
      },
    ],
  })
  return [
    `Seeded the demo round "${demoRound.title}" with ${demoRound.controls.length} proposed controls and ${demoResponses.length} responses, and an upcoming scoping round`,
  ]
}

/** Seeds demo accounts (where missing) and, when there is no round yet, the demo rounds. */
export async function seedIfEmpty(db: DB, now = Date.now()): Promise<string[]> {
  const lines = await seedAccounts(db)
  const anyRound = await db.selectFrom('consultations').select('id').limit(1).executeTakeFirst()
  if (!anyRound) {
    lines.push(...(await db.transaction().execute((trx) => seedRounds(trx, now))))
    const demo = await db
      .selectFrom('consultations')
      .where('slug', '=', demoRound.slug)
      .select('id')
      .executeTakeFirstOrThrow()
    const campaigns = await rebuildCampaigns(db, { consultationId: demo.id })
    lines.push(`Found ${campaigns} mass campaign(s) among the demo responses`)
  }
  return lines
}

// Run as `npm run db:seed`. Not when bundled into the server (build/server/start.server.js),
// where import.meta.url is the bundle's, which is the process's script too.
if (
  import.meta.url.endsWith('/db/seed.ts') &&
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href
) {
  const url = process.env.DATABASE_URL
  const db = url
    ? openPostgres(url, { max: 1 })
    : openDatabase(databasePath(), { busyTimeoutMs: BUSY_TIMEOUT.tool })
  try {
    await migrateToLatest(db)
    const lines = await seedIfEmpty(db)
    console.log(
      lines.length ? lines.join('\n') : 'Nothing to seed: the demo data is already there.',
    )
  } catch (error) {
    console.error('Seeding failed:', error)
    process.exitCode = 1
  } finally {
    await db.destroy()
  }
}
