import { afterAll, afterEach, describe, expect, test } from 'vitest'
import pg from 'pg'
import { createConsultation, createResponse } from '#db/factories.ts'
import { isPostgres } from '#db/postgres.ts'
import { minhashSignature, signatureFromBytes, signatureToBytes } from '#app/analysis/minhash.ts'
import {
  campaignGenerations,
  campaignOf,
  campaignText,
  listCampaignMembers,
  listClusters,
  rebuildCampaigns,
  updateCampaigns,
} from '#app/models/campaigns.server.ts'
import {
  claimJob,
  enqueueJob,
  getJob,
  listRoundJobs,
  requestCancel,
} from '#app/jobs/jobs.server.ts'
import { jobHandlers } from '#app/jobs/kinds.server.ts'
import { type JobHandler, type JobRunner, startJobRunner } from '#app/jobs/runner.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { signedInUser } from '#tests/helpers/auth.ts'
import { distinctText, editOf, prng, template } from '#tests/helpers/corpus.ts'

const postgres = isPostgres(getDb())
/** pg-boss's schema for this file: beside the file's own (see tests/setup/integration.ts). */
const bossSchema = postgres
  ? `${new URL(process.env.DATABASE_URL!).searchParams.get('options')!.match(/search_path=(\w+)/)![1]}_boss`
  : ''
const runners: JobRunner[] = []

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop()
})

afterAll(async () => {
  if (postgres) {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
    await client.connect()
    await client.query(`drop schema if exists ${bossSchema} cascade`)
    await client.end()
  }
})

async function runner(handlers: Partial<typeof jobHandlers> = {}, options = {}) {
  const started = await startJobRunner({
    db: getDb(),
    handlers: { ...jobHandlers, ...handlers },
    postgres: postgres ? { url: process.env.DATABASE_URL!, schema: bossSchema } : undefined,
    pollMs: 200,
    log: () => {},
    ...options,
  })
  runners.push(started)
  return started
}

async function stop(started: JobRunner) {
  runners.splice(runners.indexOf(started), 1)
  await started.stop()
}

/** A round with `copies` copies of two letters and `distinct` texts of their own. */
async function roundWithCampaigns({ copies = 40, distinct = 20 } = {}) {
  const round = await createConsultation(getDb(), {
    slug: `jobs-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    title: 'Jobs round',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'J1', title: 'Control' }],
  })
  const random = prng(11)
  const letters = [template(random), template(random)]
  const respond = (body: string) =>
    createResponse(getDb(), {
      consultationId: round.id,
      items: [{ controlId: round.controlIds[0]!, position: 'support', body }],
    })
  for (let i = 0; i < copies; i++) {
    const response = await respond(editOf(letters[i % 2]!, random))
    await updateCampaigns(getDb(), { responseId: response.id, consultationId: round.id })
  }
  for (let i = 0; i < distinct; i++) {
    const response = await respond(distinctText(random))
    await updateCampaigns(getDb(), { responseId: response.id, consultationId: round.id })
  }
  return { round, letters, random, respond }
}

/** Every campaign row of a round, by generation: what a rebuild writes and leaves behind. */
async function generationsOnDisk(consultationId: number) {
  const db = getDb()
  const of = async (table: 'campaign_clusters' | 'campaign_members' | 'campaign_buckets') =>
    (
      await db
        .selectFrom(table)
        .where('consultation_id', '=', consultationId)
        .select('generation')
        .distinct()
        .execute()
    )
      .map((r) => r.generation)
      .sort()
  return {
    clusters: await of('campaign_clusters'),
    members: await of('campaign_members'),
    buckets: await of('campaign_buckets'),
  }
}

async function auditOf(jobId: number) {
  return (
    await getDb()
      .selectFrom('audit_log')
      .where('entity_type', '=', 'job')
      .where('entity_id', '=', String(jobId))
      .orderBy('id')
      .select('action')
      .execute()
  ).map((r) => r.action)
}

describe('the job runner', () => {
  test('a job is claimed once, however many workers try at the same moment', async () => {
    const { round } = await roundWithCampaigns({ copies: 2, distinct: 0 })
    const { job } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: null,
    })
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimJob(getDb(), { id: job.id, worker: `w${i}` })),
    )
    expect(claims.filter((c) => c !== null)).toHaveLength(1)
    expect((await getJob(getDb(), { id: job.id }))!.state).toBe('running')
    // Asking again while it runs gives the same job, not a second one.
    const again = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: null,
    })
    expect(again).toMatchObject({ created: false, job: { id: job.id } })
  })

  test('a rebuild runs as a job: progress through its phases, its result, every step audited', async () => {
    const { round } = await roundWithCampaigns()
    const before = await listClusters(getDb(), { consultationId: round.id })
    expect(before.length).toBeGreaterThan(0)
    const seen: { phase: string; done: number; total: number | null }[] = []
    const recording: JobHandler = (context) =>
      jobHandlers['campaigns.rebuild']({
        ...context,
        progress: async (step) => {
          seen.push(step)
          await context.progress(step)
        },
      })
    const started = await runner({ 'campaigns.rebuild': recording })
    const official = await signedInUser('official')
    const { job } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: { id: official.id, role: 'official' },
    })
    await started.idle()
    const done = (await getJob(getDb(), { id: job.id }))!
    expect(done).toMatchObject({ state: 'succeeded', requestedBy: official.id, attempts: 1 })
    expect(done.result).toEqual({ campaigns: before.length })
    expect(done.done).toBe(done.total)
    expect(done.startedAt! <= done.finishedAt!).toBe(true)
    expect([...new Set(seen.map((s) => s.phase))]).toEqual([
      'signing',
      'grouping',
      'writing',
      'catching-up',
      'cleaning',
    ])
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done)
    expect(await auditOf(job.id)).toEqual(['job.queued', 'job.succeeded'])
    // The same campaigns, in a new generation, and nothing left of the old one.
    const after = await listClusters(getDb(), { consultationId: round.id })
    expect(after.map((c) => c.size)).toEqual(before.map((c) => c.size))
    const { live, building } = await campaignGenerations(getDb(), round.id)
    expect(building).toBeNull()
    expect(await generationsOnDisk(round.id)).toEqual({
      clusters: [live],
      members: [live],
      buckets: [live],
    })
    expect((await listRoundJobs(getDb(), { consultationId: round.id }))[0]!.id).toBe(job.id)
    await stop(started)
  })

  test('a job cancelled before it starts never runs; one cancelled while running leaves the old campaigns', async () => {
    const { round } = await roundWithCampaigns()
    const official = await signedInUser('official')
    const actor = { id: official.id, role: 'official' }
    const before = await listCampaignMembers(getDb(), { consultationId: round.id })
    const { job: first } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor,
    })
    expect(await requestCancel(getDb(), { id: first.id, actor })).toBe(true)
    let ran = 0
    const counting: JobHandler = async (context) => {
      ran++
      return jobHandlers['campaigns.rebuild'](context)
    }
    const started = await runner({ 'campaigns.rebuild': counting })
    await started.idle()
    expect(ran).toBe(0)
    expect((await getJob(getDb(), { id: first.id }))!.state).toBe('cancelled')
    expect(await auditOf(first.id)).toEqual(['job.queued', 'job.cancel_requested', 'job.cancelled'])

    // Cancelled half-way, once its new campaigns are partly written.
    let jobId = 0
    const cancelling: JobHandler = (context) =>
      jobHandlers['campaigns.rebuild']({
        ...context,
        progress: async (step) => {
          if (step.phase === 'writing') {
            await requestCancel(getDb(), { id: jobId, actor })
            // Past the runner's wait between two writes of progress, which reads the request.
            await new Promise((resolve) => setTimeout(resolve, 300))
          }
          await context.progress(step)
        },
      })
    await stop(started)
    const second = await runner({ 'campaigns.rebuild': cancelling })
    const { job } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor,
    })
    jobId = job.id
    await second.idle()
    expect((await getJob(getDb(), { id: job.id }))!.state).toBe('cancelled')
    expect(await listCampaignMembers(getDb(), { consultationId: round.id })).toEqual(before)
    const { live, building } = await campaignGenerations(getDb(), round.id)
    expect(building).toBeNull()
    expect(await generationsOnDisk(round.id)).toEqual({
      clusters: [live],
      members: [live],
      buckets: [live],
    })
    await stop(second)
  })

  test('a job whose server died is taken up again, from the start; one that fails says why', async () => {
    const { round } = await roundWithCampaigns({ copies: 6, distinct: 2 })
    const { job } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: null,
    })
    // As a server killed mid-job leaves it: running, its heartbeat a minute old.
    expect(await claimJob(getDb(), { id: job.id, worker: 'killed-server' })).not.toBeNull()
    await getDb()
      .updateTable('jobs')
      .set({ heartbeat_at: new Date(Date.now() - 60_000).toISOString(), progress_done: 5 })
      .where('id', '=', job.id)
      .execute()
    const started = await runner({}, { staleMs: 30_000 })
    await started.idle()
    const resumed = (await getJob(getDb(), { id: job.id }))!
    expect(resumed).toMatchObject({ state: 'succeeded', attempts: 2 })
    expect(await auditOf(job.id)).toEqual(['job.queued', 'job.resumed', 'job.succeeded'])
    await stop(started)

    const failing = await runner({
      'campaigns.rebuild': async () => {
        throw new Error('the disk is full')
      },
    })
    const { job: failed } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: null,
    })
    await failing.idle()
    expect(await getJob(getDb(), { id: failed.id })).toMatchObject({
      state: 'failed',
      error: 'the disk is full',
    })
    await stop(failing)
  })

  test('a new phase is recorded at once, however soon after the last progress it comes', async () => {
    const { round } = await roundWithCampaigns({ copies: 2, distinct: 0 })
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let reached = () => {}
    const inSecondPhase = new Promise<void>((resolve) => (reached = resolve))
    const phased: JobHandler = async ({ progress }) => {
      await progress({ phase: 'signing', done: 1, total: 10 })
      // Well inside the runner's quarter-second between writes of the same phase.
      await progress({ phase: 'catching-up', done: 1, total: 10 })
      reached()
      await held
      return {}
    }
    const started = await runner({ 'campaigns.rebuild': phased })
    const { job } = await enqueueJob(getDb(), {
      kind: 'campaigns.rebuild',
      consultationId: round.id,
      actor: null,
    })
    await inSecondPhase
    try {
      expect(await getJob(getDb(), { id: job.id })).toMatchObject({
        state: 'running',
        phase: 'catching-up',
      })
    } finally {
      release()
    }
    await started.idle()
    expect((await getJob(getDb(), { id: job.id }))!.state).toBe('succeeded')
  })

  test.skipIf(!postgres)('two servers on one queue run each job exactly once', async () => {
    const rounds = await Promise.all(
      [1, 2, 3, 4].map(() => roundWithCampaigns({ copies: 2, distinct: 0 })),
    )
    const runs: number[] = []
    const counting: JobHandler = async ({ job }) => {
      runs.push(job.id)
      await new Promise((resolve) => setTimeout(resolve, 50))
      return {}
    }
    const [a, b] = [
      await runner({ 'campaigns.rebuild': counting }),
      await runner({ 'campaigns.rebuild': counting }),
    ]
    const ids = []
    for (const { round } of rounds) {
      const { job } = await enqueueJob(getDb(), {
        kind: 'campaigns.rebuild',
        consultationId: round.id,
        actor: null,
      })
      ids.push(job.id)
    }
    await a.idle()
    await b.idle()
    expect([...runs].sort((x, y) => x - y)).toEqual(ids)
    for (const id of ids) expect((await getJob(getDb(), { id }))!.state).toBe('succeeded')
    await stop(a)
    await stop(b)
  })
})

describe('a rebuild beside the campaigns people see', () => {
  test('keeps the old campaigns until it switches, and brings in what arrived meanwhile', async () => {
    const { round, letters, random, respond } = await roundWithCampaigns()
    const db = getDb()
    const before = await listCampaignMembers(db, { consultationId: round.id })
    const arrived: number[] = []
    const checked = new Set<string>()
    await rebuildCampaigns(db, {
      consultationId: round.id,
      progress: async ({ phase }) => {
        if (phase === 'catching-up' || phase === 'cleaning') return
        // Mid-build, people still see the old campaigns, exactly.
        const seen = await listCampaignMembers(db, { consultationId: round.id })
        expect(seen.filter((m) => !arrived.includes(m.responseId))).toEqual(before)
        checked.add(phase)
        // A copy of the first letter arrives during each phase, and joins the old campaigns.
        const response = await respond(editOf(letters[0]!, random))
        await updateCampaigns(db, { responseId: response.id, consultationId: round.id })
        arrived.push(response.id)
      },
    })
    expect([...checked].sort()).toEqual(['grouping', 'signing', 'writing'])
    // After the switch, every copy that arrived meanwhile is in the campaign of the first
    // letter's earlier copies.
    const clusters = new Set(
      await Promise.all(arrived.map((id) => campaignOf(db, { responseId: id }))),
    )
    expect(clusters.size).toBe(1)
    const [campaign] = [...clusters]
    expect(campaign).not.toBeNull()
    const after = await listCampaignMembers(db, { consultationId: round.id })
    expect(after.filter((m) => m.clusterId === campaign).length).toBeGreaterThan(
      arrived.length + 10,
    )
    expect(
      await db
        .selectFrom('campaign_pending')
        .where('consultation_id', '=', round.id)
        .selectAll()
        .execute(),
    ).toEqual([])
  })

  test('once its generation is written, a response joins it in its own transaction: none waits to be brought in', async () => {
    const { round, letters, random, respond } = await roundWithCampaigns()
    const db = getDb()
    const pending = async () =>
      (
        await db
          .selectFrom('campaign_pending')
          .where('consultation_id', '=', round.id)
          .select('response_id')
          .execute()
      ).map((r) => r.response_id)
    const copies: Record<string, number> = {}
    const waiting: Record<string, number[]> = {}
    await rebuildCampaigns(db, {
      consultationId: round.id,
      progress: async ({ phase }) => {
        if ((phase !== 'writing' && phase !== 'catching-up') || copies[phase]) return
        const response = await respond(editOf(letters[0]!, random))
        await updateCampaigns(db, { responseId: response.id, consultationId: round.id })
        copies[phase] = response.id
        waiting[phase] = await pending()
      },
    })
    // While the generation is written, a response is noted for the rebuild to bring in; after,
    // it joins the new generation itself.
    expect(waiting.writing).toContain(copies.writing)
    expect(waiting['catching-up']).toEqual([copies.writing])
    expect(await pending()).toEqual([])
    // Both are in the campaign of the letter's earlier copies (its 20), each a member once.
    const campaigns = await Promise.all(
      Object.values(copies).map((id) => campaignOf(db, { responseId: id })),
    )
    expect(campaigns).toHaveLength(2)
    expect(campaigns[0]).not.toBeNull()
    expect(campaigns[1]).toBe(campaigns[0])
    const members = await listCampaignMembers(db, { consultationId: round.id })
    expect(members.filter((m) => m.clusterId === campaigns[0]).length).toBeGreaterThan(20)
    for (const id of Object.values(copies)) {
      expect(members.filter((m) => m.responseId === id)).toHaveLength(1)
    }
  })

  test('a response edited while the rebuild signed is signed again from its new text', async () => {
    const { round, random } = await roundWithCampaigns({ copies: 20, distinct: 4 })
    const db = getDb()
    const members = await listCampaignMembers(db, { consultationId: round.id })
    const copy = members[0]!.responseId
    const oldText = await campaignText(db, copy)
    const newText = distinctText(random)
    await rebuildCampaigns(db, {
      consultationId: round.id,
      progress: async ({ phase }) => {
        if (phase !== 'grouping' || (await campaignText(db, copy)) === newText) return
        // The copy is rewritten as a text of its own, and its transaction stores its signature;
        // then the rebuild's signing, which read the old text first, writes that one over it.
        await db
          .updateTable('response_items')
          .set({ body: newText })
          .where('response_id', '=', copy)
          .execute()
        await updateCampaigns(db, { responseId: copy, consultationId: round.id })
        await db
          .updateTable('response_signatures')
          .set({ signature: Buffer.from(signatureToBytes(minhashSignature(oldText))) })
          .where('response_id', '=', copy)
          .execute()
      },
    })
    const stored = await db
      .selectFrom('response_signatures')
      .where('response_id', '=', copy)
      .select('signature')
      .executeTakeFirstOrThrow()
    expect([...signatureFromBytes(stored.signature)]).toEqual([...minhashSignature(newText)])
  })
})
