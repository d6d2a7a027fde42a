// Every form the portal takes, given random hostile input (fast-check): wrong and missing fields,
// hostile values and names, duplicated fields, raw invalid UTF-8, files where none belong,
// truncated bodies, missing or wrong multipart boundaries, wrong content types. Every case must
// get a 4xx that says what was wrong (or succeed, when the mutation left a valid form), never an
// exception (a 500); a refused form changes nothing in the database and leaves no staged file;
// and the portal still answers its health check afterwards.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { rebuildCampaigns } from '#app/models/campaigns.server.ts'
import { action as accountAction } from '#app/routes/account.tsx'
import { action as usersAction } from '#app/routes/admin.users.tsx'
import { action as respondAction } from '#app/routes/consultations.$slug_.respond.tsx'
import { loader as healthz } from '#app/routes/healthz.ts'
import { action as clusterAction } from '#app/routes/manage.campaigns.$clusterId.tsx'
import { action as responseAction } from '#app/routes/manage.responses.$responseId.tsx'
import { action as roundAction } from '#app/routes/manage.rounds.$id.tsx'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as editControlAction } from '#app/routes/manage.rounds.$id_.controls.$controlId.tsx'
import { action as newControlAction } from '#app/routes/manage.rounds.$id_.controls.new.tsx'
import { action as exportAction } from '#app/routes/manage.rounds.$id_.export.ts'
import { action as queueAction } from '#app/routes/manage.rounds.$id_.responses.tsx'
import { action as tagsAction } from '#app/routes/manage.rounds.$id_.tags.tsx'
import { action as newRoundAction } from '#app/routes/manage.rounds.new.tsx'
import { action as withdrawAction } from '#app/routes/responses.$trackingNumber.tsx'
import { action as editAction } from '#app/routes/responses.$trackingNumber_.edit.tsx'
import { action as signinAction } from '#app/routes/signin.tsx'
import { action as campaignsAction } from '#app/routes/manage.rounds.$id_.campaigns.tsx'
import { action as jobAction } from '#app/routes/manage.jobs.$id.tsx'
import { action as themesAction } from '#app/routes/manage.rounds.$id_.themes.tsx'
import { enqueueJob } from '#app/jobs/jobs.server.ts'
import { action as signupAction } from '#app/routes/signup.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { TEST_PASSWORD, signedInUser } from '#tests/helpers/auth.ts'
import {
  type Mutation,
  type Transport,
  answer,
  explains,
  fingerprint,
  hostileRequest,
  mutate,
  mutation,
  stagedFiles,
  transport,
} from '#tests/helpers/hostile.ts'
import { PDF, openRound } from '#tests/helpers/responses.ts'

type Fields = [string, string][]
type Call = (request: Request) => Promise<unknown>

interface Target {
  /** The form, as its page posts it. */
  path: string
  /** Valid fields of each of the page's forms (intents). */
  bases: Fields[]
  /** Files a valid form carries. */
  files?: { name: string; filename: string; bytes: Uint8Array }[]
  cookie?: string
  call: Call
  runs: number
}

const client = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`

// Cases per form; the response form, which anyone may post, gets the most.
const RUNS = { respond: 400, public: 150, officials: 100 }

// No job runner here: a job running beside the cases would change the database that each
// refused case must leave as it was. A valid rebuild or export waits its 1.5 s and is queued.

/** A case, short enough to read in a failure message. */
function caseOf(parts: { name: string; value: unknown; filename?: string }[], how: Transport) {
  const short = (v: unknown) => {
    const text = typeof v === 'string' ? v : `bytes(${(v as Uint8Array).byteLength})`
    return text.length > 60 ? `${text.slice(0, 40)}…(${text.length})` : text
  }
  return JSON.stringify({
    how,
    parts: parts.map((p) => [short(p.name), short(p.value), p.filename ?? null]),
  })
}

/** Runs the property for one form; returns how many cases ran. */
async function fuzz(target: Target): Promise<number> {
  let cases = 0
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: target.bases.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      transport,
      async (which, mutations: Mutation[], how: Transport) => {
        cases++
        const before = await fingerprint()
        const staged = await stagedFiles()
        const parts = mutate(target.bases[which]!, mutations)
        for (const f of target.files ?? []) {
          parts.push({
            name: f.name,
            value: f.bytes,
            filename: f.filename,
            type: 'application/pdf',
          })
        }
        const request = hostileRequest(target.path, parts, how, { cookie: target.cookie })
        const outcome = await Promise.race([
          answer(() => target.call(request)).catch((error: unknown) => {
            // What would have been a 500: say which form and case.
            throw new Error(`${target.path} ${caseOf(parts, how)} threw ${String(error)}`, {
              cause: error,
            })
          }),
          new Promise<never>((_, reject) =>
            setTimeout(
              () =>
                reject(
                  new Error(
                    `no answer in 10 s: ${JSON.stringify([parts.map((p) => p.name), mutations, how])}`,
                  ),
                ),
              10_000,
            ),
          ),
        ])
        const seen = `${target.path} ${caseOf(parts, how)} -> ${JSON.stringify(outcome.body).slice(0, 300)}`
        expect(outcome.status, seen).toBeLessThan(500)
        if (outcome.status >= 400) {
          expect(explains(outcome.body), seen).toBe(true)
          expect(await fingerprint(), seen).toBe(before)
        }
        if (outcome.location) expect(outcome.location).toMatch(/^\/(?!\/)/)
        expect(await stagedFiles(), seen).toBe(staged)
      },
    ),
    { numRuns: target.runs },
  )
  const health = await answer(() => healthz())
  expect(health.status).toBe(200)
  return cases
}

let official: Awaited<ReturnType<typeof signedInUser>>
let admin: Awaited<ReturnType<typeof signedInUser>>
let round: Awaited<ReturnType<typeof openRound>>

beforeAll(async () => {
  official = await signedInUser('official')
  admin = await signedInUser('admin')
  round = await openRound()
})

const responseFields = (): Fields => [
  ['submissionKey', randomUUID()],
  ['respondentType', 'ngo'],
  ['organisation', 'Digital Rights Watch'],
  ['country', 'NO'],
  ['publication', 'named'],
  ['contactEmail', 'someone@example.org'],
  ['scopes[0].controlId', ''],
  ['scopes[0].position', 'support'],
  ['scopes[0].body', 'The round as a whole.'],
  ['scopes[1].controlId', String(round.controlIds[0])],
  ['scopes[1].position', 'support_with_changes'],
  ['scopes[1].body', 'Please cover zero-click exploits.'],
  ['scopes[1].answers[0]', 'Mostly, yes.'],
  ['scopes[1].answers[1]', 'Little.'],
  ['scopes[2].controlId', String(round.controlIds[1])],
]

describe('respondents’ forms, given hostile input', { timeout: 180_000 }, () => {
  test(`the response form (${RUNS.respond} cases, with and without a file)`, async () => {
    const slug = round.slug
    const call: Call = (request) =>
      respondAction({ request, params: { slug }, context: { clientAddress: client() } })
    // A fresh submission key each time, so that valid cases store a new response.
    const target: Target = {
      path: `/consultations/${slug}/respond`,
      get bases() {
        return [responseFields()]
      },
      call,
      runs: RUNS.respond / 2,
    }
    const withFile: Target = {
      ...target,
      get bases() {
        return [responseFields()]
      },
      files: [{ name: 'files', filename: 'evidence.pdf', bytes: PDF }],
    }
    const first = await getDb()
      .selectFrom('responses')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow()
    expect((await fuzz(target)) + (await fuzz(withFile))).toBe(RUNS.respond)
    // What was stored is text as the rules allow: no control characters but tab and newline.
    const items = await getDb()
      .selectFrom('response_items as i')
      .innerJoin('responses as r', 'r.id', 'i.response_id')
      .where('r.id', '>', first.id ?? 0)
      .select(['i.body', 'r.organisation', 'r.country'])
      .execute()
    expect(items.length).toBeGreaterThan(0)
    // eslint-disable-next-line no-control-regex -- the point is that there are none
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/
    for (const item of items) {
      expect(`${item.body}${item.organisation ?? ''}`).not.toMatch(controls)
      expect(item.country).toMatch(/^[A-Z]{2}$/)
    }
  })

  test(`editing and withdrawing through the private link (${RUNS.public} cases each)`, async () => {
    const own = await createResponse(getDb(), {
      consultationId: round.id,
      items: [{ controlId: round.controlIds[0]!, position: 'support', body: 'Original text.' }],
    })
    const key = encodeURIComponent(own.editToken)
    const params = { trackingNumber: own.trackingNumber }
    const edit: Target = {
      path: `/responses/${own.trackingNumber}/edit?key=${key}`,
      get bases() {
        return [responseFields()]
      },
      call: (request) => editAction({ request, params, context: { clientAddress: client() } }),
      runs: RUNS.public,
    }
    expect(await fuzz(edit)).toBe(RUNS.public)
    const withdraw: Target = {
      path: `/responses/${own.trackingNumber}?key=${key}`,
      bases: [[['intent', 'withdraw']]],
      call: (request) => withdrawAction({ request, params, context: { clientAddress: client() } }),
      runs: RUNS.public,
    }
    expect(await fuzz(withdraw)).toBe(RUNS.public)
  })

  test(`signing in, signing up and the account page (${RUNS.public} cases each)`, async () => {
    const participant = await signedInUser('participant')
    const signin: Target = {
      path: '/signin',
      bases: [
        [
          ['email', participant.email],
          ['password', 'not the password at all'],
          ['redirectTo', '/account'],
        ],
      ],
      call: (request) =>
        signinAction({ request, params: {}, context: { clientAddress: client() } }),
      runs: RUNS.public,
    }
    const signup: Target = {
      path: '/signup',
      get bases(): Fields[] {
        return [
          [
            ['displayName', 'New Person'],
            ['email', `new-${randomUUID()}@example.org`],
            ['password', 'a long enough new password'],
          ],
        ]
      },
      call: (request) =>
        signupAction({ request, params: {}, context: { clientAddress: client() } }),
      runs: RUNS.public,
    }
    const account: Target = {
      path: '/account',
      cookie: participant.cookie,
      bases: [
        [
          ['intent', 'name'],
          ['displayName', 'Renamed'],
        ],
        [
          ['intent', 'password'],
          ['currentPassword', 'a wrong current password'],
          ['newPassword', 'another long new password'],
        ],
        [
          ['intent', 'revoke'],
          ['sessionId', '999999'],
        ],
        [
          ['intent', 'delete'],
          ['password', 'a wrong current password'],
        ],
      ],
      call: (request) =>
        accountAction({ request, params: {}, context: { clientAddress: client() } }),
      runs: RUNS.public,
    }
    for (const target of [signin, signup, account]) expect(await fuzz(target)).toBe(RUNS.public)
    // The account survived: nothing hostile signed it out or deleted it.
    expect(
      await getDb()
        .selectFrom('users')
        .where('email', '=', participant.email)
        .select('id')
        .execute(),
    ).toHaveLength(1)
  })
})

describe('officials’ and admins’ forms, given hostile input', { timeout: 180_000 }, () => {
  test(`every form of a round's pages (${RUNS.officials} cases each)`, async () => {
    const db = getDb()
    const draft = await createConsultation(db, {
      slug: `hostile-${randomUUID().slice(0, 8)}`,
      title: 'A draft round',
      controls: [{ reference: 'H1', title: 'Control', questions: ['Why?'] }],
    })
    const id = String(draft.id)
    const controlId = String(draft.controlIds[0])
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        createResponse(db, {
          consultationId: round.id,
          items: [
            {
              controlId: round.controlIds[0]!,
              position: 'oppose',
              body: 'The same campaign letter, sent by many people, word for word, again and again.',
            },
          ],
        }),
      ),
    )
    await rebuildCampaigns(db, { consultationId: round.id })
    const cluster = await db
      .selectFrom('campaign_clusters')
      .where('consultation_id', '=', round.id)
      .select('id')
      .executeTakeFirstOrThrow()
    const tag = await db
      .insertInto('tags')
      .values({
        consultation_id: round.id,
        name: `tag-${randomUUID().slice(0, 6)}`,
        description: '',
        colour: '#1d70b8',
        parent_id: null,
        shortcut: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Two themes to accept, rename, merge and split (as a themes job would have saved them).
    const themeIds: string[] = []
    for (const n of [1, 2]) {
      const now = new Date().toISOString()
      const summary = {
        key: `en-${n}`,
        language: 'en',
        phrases: [`campaign letter ${n}`],
        responses: 1,
        units: 1,
        share: 0.5,
        unitShare: 0.5,
        positions: [['oppose', 1]],
        groups: [['ngo', 1]],
        quotes: [],
        minority: false,
      }
      const { id } = await db
        .insertInto('themes')
        .values({
          consultation_id: round.id,
          control_id: null,
          scope_tag_id: null,
          state: 'proposed',
          language: 'en',
          name: null,
          summary: JSON.stringify(summary),
          centre: JSON.stringify({ terms: ['campaign'], weights: [1] }),
          tag_id: null,
          members_job_id: 0,
          sort_order: n,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      themeIds.push(String(id))
    }
    const roundFields = (slug: string): Fields => [
      ['title', 'A round'],
      ['slug', slug],
      ['summary', 'Summary'],
      ['background', '# Background'],
      ['commitments', '2'],
      ['commitments', '3'],
      ['timeZone', 'Europe/Oslo'],
      ['opensAt', '2030-01-01T09:00'],
      ['closesAt', '2030-02-01T17:00'],
      ['contactPoint', 'consultations@example.gov'],
    ]
    const ctx = { context: { clientAddress: '192.0.2.1' } }
    // A job of another round, for its page's Cancel form.
    const { job } = await enqueueJob(db, {
      kind: 'campaigns.rebuild',
      consultationId: draft.id,
      actor: null,
    })
    const targets: Target[] = [
      {
        path: '/manage/rounds/new',
        get bases() {
          return [roundFields(`r-${randomUUID().slice(0, 8)}`)]
        },
        call: (request) => newRoundAction({ request, params: {}, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${id}`,
        bases: [
          [['intent', 'details'], ...roundFields(`d-${randomUUID().slice(0, 8)}`)],
          [
            ['intent', 'transition'],
            ['transition', 'schedule'],
          ],
          [
            ['intent', 'move-down'],
            ['controlId', controlId],
          ],
          [
            ['intent', 'remove-document'],
            ['documentId', '999999'],
          ],
          [
            ['intent', 'add-document'],
            ['title', 'Impact assessment'],
          ],
        ],
        files: [{ name: 'file', filename: 'assessment.pdf', bytes: PDF }],
        call: (request) => roundAction({ request, params: { id }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${id}/controls/new`,
        bases: [
          [
            ['reference', `Item ${randomUUID().slice(0, 4)}`],
            ['title', 'A control'],
            ['body', 'Text'],
            ['questions', 'One?\nTwo?'],
          ],
        ],
        call: (request) => newControlAction({ request, params: { id }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${id}/controls/${controlId}`,
        bases: [
          [
            ['reference', 'H1'],
            ['title', 'Renamed control'],
            ['body', 'Text'],
            ['questions', 'Why?'],
          ],
        ],
        call: (request) => editControlAction({ request, params: { id, controlId }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${round.id}/tags`,
        get bases(): Fields[] {
          return [
            [
              ['intent', 'create'],
              ['name', `t-${randomUUID().slice(0, 6)}`],
              ['description', 'd'],
              ['colour', '#1d70b8'],
              ['parentId', ''],
              ['shortcut', ''],
            ],
            [
              ['intent', 'merge'],
              ['fromId', '999998'],
              ['intoId', '999999'],
            ],
            [
              ['intent', 'delete'],
              ['tagId', '999999'],
              ['confirm', 'on'],
            ],
          ]
        },
        call: (request) => tagsAction({ request, params: { id: String(round.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${round.id}/responses`,
        bases: [
          [
            ['intent', 'tag'],
            ['scope', 'selected'],
            ['tagId', String(tag.id)],
            ...responses.map((r): [string, string] => ['ids', String(r.id)]),
          ],
          [
            ['intent', 'withhold'],
            ['reason', 'Off topic'],
            ['ids', String(responses[0]!.id)],
          ],
        ],
        call: (request) => queueAction({ request, params: { id: String(round.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/responses/${responses[0]!.id}`,
        bases: [
          [
            ['intent', 'note'],
            ['body', 'An internal note'],
          ],
          [
            ['intent', 'moderate'],
            ['action', 'publish'],
          ],
          [
            ['intent', 'tag'],
            ['tagId', String(tag.id)],
          ],
        ],
        call: (request) =>
          responseAction({ request, params: { responseId: String(responses[0]!.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/campaigns/${cluster.id}`,
        bases: [
          [['intent', 'publish']],
          [
            ['intent', 'tag'],
            ['tagId', String(tag.id)],
          ],
        ],
        call: (request) =>
          clusterAction({ request, params: { clusterId: String(cluster.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${round.id}/analysis`,
        bases: [
          [
            ['intent', 'save'],
            ['controlId', String(round.controlIds[0])],
            ['tagId', ''],
            ['body', 'What was said.'],
          ],
          [
            ['intent', 'publish-report'],
            ['publish', 'no'],
          ],
        ],
        call: (request) => analysisAction({ request, params: { id: String(round.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        // A rebuild takes no field: whatever is sent, it is queued once, or refused.
        path: `/manage/rounds/${round.id}/campaigns`,
        bases: [[]],
        call: (request) => campaignsAction({ request, params: { id: String(round.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        // Finding themes queues a job (once while it is active); a draft needs themes found;
        // a name has a bound; a merge or split is a job, refused first if it cannot be done.
        path: `/manage/rounds/${round.id}/themes`,
        bases: [
          [['intent', 'find']],
          [
            ['intent', 'find'],
            ['controlId', String(round.controlIds[0])],
          ],
          [['intent', 'draft']],
          [
            ['intent', 'rename'],
            ['themeId', themeIds[1]!],
            ['name', 'Licensing delays'],
          ],
          [
            ['intent', 'merge'],
            ['themeId', themeIds[1]!],
            ['otherId', themeIds[0]!],
          ],
          [
            ['intent', 'split'],
            ['themeId', themeIds[1]!],
          ],
          [
            ['intent', 'accept'],
            ['themeId', themeIds[0]!],
          ],
        ],
        call: (request) => themesAction({ request, params: { id: String(round.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/jobs/${job.id}`,
        bases: [[['intent', 'cancel']]],
        call: (request) => jobAction({ request, params: { id: String(job.id) }, ...ctx }),
        runs: RUNS.officials,
      },
      {
        path: `/manage/rounds/${round.id}/export`,
        bases: [[['format', 'json']]],
        call: async (request) => {
          const result = await exportAction({ request, params: { id: String(round.id) }, ...ctx })
          // Read a streamed export to its end, as a client would.
          if (!(result instanceof Response)) return result
          const body = await result.arrayBuffer()
          return new Response(body, { status: result.status, headers: result.headers })
        },
        runs: RUNS.officials,
      },
    ]
    for (const target of targets) {
      target.cookie = official.cookie
      expect(await fuzz(target)).toBe(RUNS.officials)
    }
  })

  test(`an admin's users page (${RUNS.officials} cases)`, async () => {
    const someone = await signedInUser('participant')
    const users: Target = {
      path: '/admin/users',
      cookie: admin.cookie,
      get bases(): Fields[] {
        return [
          [
            ['intent', 'create'],
            ['email', `official-${randomUUID()}@example.gov`],
            ['displayName', 'An Official'],
            ['password', TEST_PASSWORD],
            ['role', 'official'],
          ],
          [
            ['intent', 'role'],
            ['userId', String(someone.id)],
            ['role', 'participant'],
          ],
        ]
      },
      call: (request) => usersAction({ request, params: {}, context: { clientAddress: client() } }),
      runs: RUNS.officials,
    }
    expect(await fuzz(users)).toBe(RUNS.officials)
  })
})
