// Officials' and admins' forms naming a round, control, tag, document, response, campaign, summary
// or user that does not exist get a 404 (never a 500 from a failed foreign key or a missing row),
// and change nothing. Found by the fuzzing: a number such as '0x7fffffff' reads as an id.
import { describe, expect, test } from 'vitest'
import { createConsultation } from '#db/factories.ts'
import { action as usersAction } from '#app/routes/admin.users.tsx'
import { action as clusterAction } from '#app/routes/manage.campaigns.$clusterId.tsx'
import { action as responseAction } from '#app/routes/manage.responses.$responseId.tsx'
import { action as roundAction } from '#app/routes/manage.rounds.$id.tsx'
import { action as analysisAction } from '#app/routes/manage.rounds.$id_.analysis.tsx'
import { action as editControlAction } from '#app/routes/manage.rounds.$id_.controls.$controlId.tsx'
import { action as newControlAction } from '#app/routes/manage.rounds.$id_.controls.new.tsx'
import { action as tagsAction } from '#app/routes/manage.rounds.$id_.tags.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { answer, fingerprint } from '#tests/helpers/hostile.ts'

const NONE = '2147483647'

describe('ids that do not exist', () => {
  test('are a 404 in every officials’ and admins’ form, and change nothing', async () => {
    const official = await signedInUser('official')
    const admin = await signedInUser('admin')
    const round = await createConsultation(getDb(), {
      slug: `missing-${Date.now()}`,
      title: 'A round',
      controls: [{ reference: 'M1', title: 'Control' }],
    })
    const id = String(round.id)
    const as = (cookie: string, path: string, form: Record<string, string>) =>
      pageRequest(path, { cookie, form })
    const tag = { name: 'n', description: '', colour: '#1d70b8', parentId: '', shortcut: '' }
    const control = { reference: 'M2', title: 't', body: '', questions: '' }
    const cases: [string, () => Promise<unknown>][] = [
      [
        'move a missing control',
        () =>
          roundAction({
            request: as(official.cookie, `/manage/rounds/${id}`, {
              intent: 'move-down',
              controlId: NONE,
            }),
            params: { id },
            context,
          }),
      ],
      [
        'remove a missing control',
        () =>
          roundAction({
            request: as(official.cookie, `/manage/rounds/${id}`, {
              intent: 'remove-control',
              controlId: NONE,
            }),
            params: { id },
            context,
          }),
      ],
      [
        'remove a missing document',
        () =>
          roundAction({
            request: as(official.cookie, `/manage/rounds/${id}`, {
              intent: 'remove-document',
              documentId: NONE,
            }),
            params: { id },
            context,
          }),
      ],
      [
        'open a missing round',
        () =>
          roundAction({
            request: as(official.cookie, `/manage/rounds/${NONE}`, {
              intent: 'transition',
              transition: 'open',
            }),
            params: { id: NONE },
            context,
          }),
      ],
      [
        'edit a missing control',
        () =>
          editControlAction({
            request: as(official.cookie, `/manage/rounds/${id}/controls/${NONE}`, control),
            params: { id, controlId: NONE },
            context,
          }),
      ],
      [
        'add a control to a missing round',
        () =>
          newControlAction({
            request: as(official.cookie, `/manage/rounds/${NONE}/controls/new`, control),
            params: { id: NONE },
            context,
          }),
      ],
      [
        'edit a missing tag',
        () =>
          tagsAction({
            request: as(official.cookie, `/manage/rounds/${id}/tags`, {
              intent: 'update',
              tagId: NONE,
              ...tag,
            }),
            params: { id },
            context,
          }),
      ],
      [
        'create a tag in a missing round',
        () =>
          tagsAction({
            request: as(official.cookie, `/manage/rounds/${NONE}/tags`, {
              intent: 'create',
              ...tag,
            }),
            params: { id: NONE },
            context,
          }),
      ],
      [
        'merge missing tags',
        () =>
          tagsAction({
            request: as(official.cookie, `/manage/rounds/${id}/tags`, {
              intent: 'merge',
              fromId: NONE,
              intoId: '2147483646',
            }),
            params: { id },
            context,
          }),
      ],
      [
        'change a missing user’s role',
        () =>
          usersAction({
            request: as(admin.cookie, '/admin/users', {
              intent: 'role',
              userId: NONE,
              role: 'official',
            }),
            params: {},
            context,
          }),
      ],
      [
        'note on a missing response',
        () =>
          responseAction({
            request: as(official.cookie, `/manage/responses/${NONE}`, {
              intent: 'note',
              body: 'x',
            }),
            params: { responseId: NONE },
            context,
          }),
      ],
      [
        'publish a missing campaign',
        () =>
          clusterAction({
            request: as(official.cookie, `/manage/campaigns/${NONE}`, { intent: 'publish' }),
            params: { clusterId: NONE },
            context,
          }),
      ],
      [
        'summarise a missing round',
        () =>
          analysisAction({
            request: as(official.cookie, `/manage/rounds/${NONE}/analysis`, {
              intent: 'save',
              controlId: '',
              tagId: '',
              body: 'x',
            }),
            params: { id: NONE },
            context,
          }),
      ],
      [
        'approve a missing summary',
        () =>
          analysisAction({
            request: as(official.cookie, `/manage/rounds/${id}/analysis`, {
              intent: 'approve',
              summaryId: NONE,
            }),
            params: { id },
            context,
          }),
      ],
      [
        'publish a missing round’s report',
        () =>
          analysisAction({
            request: as(official.cookie, `/manage/rounds/${NONE}/analysis`, {
              intent: 'publish-report',
              publish: 'yes',
            }),
            params: { id: NONE },
            context,
          }),
      ],
    ]
    for (const [name, run] of cases) {
      const before = await fingerprint()
      const out = await answer(run)
      expect(out.status, name).toBe(404)
      expect(await fingerprint(), name).toBe(before)
    }
  })
})
