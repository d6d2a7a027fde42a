import { describe, expect, test } from 'vitest'
import { createConsultation, createResponse } from '#db/factories.ts'
import { clusterSignatures, pairwisePrecisionRecall } from '#app/analysis/campaign-clusters.ts'
import {
  campaignText,
  clusterMemberIds,
  countClusters,
  getCluster,
  memberReads,
  publicCampaignTexts,
  listClusters,
  rebuildCampaigns,
  roundsMissingSignatures,
  listCampaignMembers,
  campaignOf,
  updateCampaigns,
} from '#app/models/campaigns.server.ts'
import { getResponseForRespondent } from '#app/models/responses.server.ts'
import {
  action as queueAction,
  loader as queueLoader,
} from '#app/routes/manage.rounds.$id_.responses.tsx'
import {
  action as responseAction,
  loader as responseLoader,
} from '#app/routes/manage.responses.$responseId.tsx'
import { action as tagsAction } from '#app/routes/manage.rounds.$id_.tags.tsx'
import {
  action as clusterAction,
  loader as clusterLoader,
} from '#app/routes/manage.campaigns.$clusterId.tsx'
import { countQueue, matchingIds } from '#app/models/review.server.ts'
import { loader as campaignsLoader } from '#app/routes/manage.rounds.$id_.campaigns.tsx'
import { getDb } from '#app/utils/db.server.ts'
import { readQueueFilters } from '#app/utils/queue-filters.server.ts'
import { context, pageRequest, signedInUser } from '#tests/helpers/auth.ts'
import { distinctText, editOf, prng, template } from '#tests/helpers/corpus.ts'

async function round() {
  const slug = `review-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`
  return createConsultation(getDb(), {
    slug,
    title: 'Review round',
    publishedAt: new Date().toISOString(),
    controls: [{ reference: 'R1', title: 'Control' }],
  })
}

async function respond(
  roundId: number,
  controlId: number,
  body: string,
  extra: Parameters<typeof createResponse>[1] extends infer T ? Partial<T> : never = {},
) {
  return createResponse(getDb(), {
    consultationId: roundId,
    items: [{ controlId, position: 'support', body }],
    ...extra,
  })
}

async function auditActions(entityType: string, entityId: number | string) {
  const rows = await getDb()
    .selectFrom('audit_log')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .select('action')
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

describe('moderation', () => {
  test('publishes, withholds with a reason the respondent sees, marks spam; never publishes a "do not publish" response; all audited', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const a = await respond(r.id, r.controlIds[0]!, 'First response')
    const b = await respond(r.id, r.controlIds[0]!, 'Second response', {
      publication: 'not_published',
    })
    const post = (id: number, form: Record<string, string>) =>
      responseAction({
        request: pageRequest(`/manage/responses/${id}`, { cookie: official.cookie, form }),
        params: { responseId: String(id) },
        context,
      })

    expect(await post(a.id, { intent: 'moderate', action: 'publish' })).toBeInstanceOf(Response)
    const refused = (await post(b.id, { intent: 'moderate', action: 'publish' })) as unknown as {
      init: ResponseInit
    }
    expect(refused.init.status).toBe(409)
    const noReason = (await post(a.id, { intent: 'moderate', action: 'withhold' })) as unknown as {
      init: ResponseInit
    }
    expect(noReason.init.status).toBe(400)
    await post(a.id, {
      intent: 'moderate',
      action: 'withhold',
      reason: 'Contains personal data of third parties',
    })
    const seen = await getResponseForRespondent(getDb(), {
      trackingNumber: a.trackingNumber,
      key: a.editToken,
    })
    expect([seen?.status, seen?.moderationReason]).toEqual([
      'withheld',
      'Contains personal data of third parties',
    ])
    await post(b.id, { intent: 'moderate', action: 'spam' })
    expect(await auditActions('response', a.id)).toEqual(['response.publish', 'response.withhold'])
    expect(await auditActions('response', b.id)).toEqual(['response.spam'])
  })

  test('a confidentiality claim refused withholds the response and tells its author by mail', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const c = await respond(r.id, r.controlIds[0]!, 'Secret volumes', {
      confidential: { justification: 'Customer list', publicVersion: 'Public summary' },
      contactEmail: 'counsel@example.com',
      status: 'published',
    })
    await responseAction({
      request: pageRequest(`/manage/responses/${c.id}`, {
        cookie: official.cookie,
        form: { intent: 'confidentiality', decision: 'refused' },
      }),
      params: { responseId: String(c.id) },
      context,
    })
    const row = await getDb()
      .selectFrom('responses')
      .where('id', '=', c.id)
      .select(['status', 'confidential_decision'])
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'withheld', confidential_decision: 'refused' })
    expect(await auditActions('response', c.id)).toEqual(['response.confidentiality_refused'])
    const { readdirSync, readFileSync } = await import('node:fs')
    const outbox = process.env.MAIL_OUTBOX!
    const mails = readdirSync(outbox).map((f) => readFileSync(`${outbox}/${f}`, 'utf8'))
    expect(
      mails.some((m) => m.includes('To: counsel@example.com') && m.includes(c.trackingNumber)),
    ).toBe(true)
  })
})

describe('tagging', () => {
  test('a taxonomy is created, renamed, nested two levels, merged and deleted, every step audited', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const post = (form: Record<string, string>) =>
      tagsAction({
        request: pageRequest(`/manage/rounds/${r.id}/tags`, { cookie: official.cookie, form }),
        params: { id: String(r.id) },
        context,
      })
    await post({
      intent: 'create',
      name: 'Scope',
      description: '',
      colour: '#1d70b8',
      parentId: '',
      shortcut: '1',
    })
    await post({
      intent: 'create',
      name: 'Definitions',
      description: 'Sub',
      colour: '#00703c',
      parentId: '',
      shortcut: '',
    })
    const tags = await getDb()
      .selectFrom('tags')
      .where('consultation_id', '=', r.id)
      .select(['id', 'name'])
      .orderBy('id')
      .execute()
    const [scope, definitions] = tags
    await post({
      intent: 'update',
      tagId: String(definitions!.id),
      name: 'Definitions of spyware',
      description: '',
      colour: '#00703c',
      parentId: String(scope!.id),
      shortcut: '2',
    })
    await post({
      intent: 'create',
      name: 'Grandchild',
      description: '',
      colour: '#1d70b8',
      parentId: String(definitions!.id),
      shortcut: '',
    }).then((res) => {
      expect((res as unknown as { init: ResponseInit }).init.status).toBe(409)
    })
    const dup = (await post({
      intent: 'create',
      name: 'Scope',
      description: '',
      colour: '#1d70b8',
      parentId: '',
      shortcut: '',
    })) as unknown as { data: { errors: string[] } }
    expect(dup.data.errors).toEqual(['validation.tagNameTaken'])

    const x = await respond(r.id, r.controlIds[0]!, 'Tagged twice')
    await responseAction({
      request: pageRequest(`/manage/responses/${x.id}`, {
        cookie: official.cookie,
        form: { intent: 'tag', tagId: String(scope!.id) },
      }),
      params: { responseId: String(x.id) },
      context,
    })
    await responseAction({
      request: pageRequest(`/manage/responses/${x.id}`, {
        cookie: official.cookie,
        form: { intent: 'tag', tagId: String(definitions!.id) },
      }),
      params: { responseId: String(x.id) },
      context,
    })
    await post({ intent: 'merge', fromId: String(definitions!.id), intoId: String(scope!.id) })
    const left = await getDb()
      .selectFrom('response_tags')
      .where('response_id', '=', x.id)
      .select('tag_id')
      .execute()
    expect(left).toEqual([{ tag_id: scope!.id }])
    const noConfirm = (await post({ intent: 'delete', tagId: String(scope!.id) })) as unknown as {
      init: ResponseInit
    }
    expect(noConfirm.init.status).toBe(400)
    await post({ intent: 'delete', tagId: String(scope!.id), confirm: 'on' })
    expect(
      await getDb().selectFrom('tags').where('consultation_id', '=', r.id).select('id').execute(),
    ).toEqual([])
    const actions = (
      await getDb()
        .selectFrom('audit_log')
        .where('entity_type', '=', 'tag')
        .where('actor_id', '=', official.id)
        .select('action')
        .orderBy('id')
        .execute()
    ).map((a) => a.action)
    expect(actions).toEqual([
      'tag.created',
      'tag.created',
      'tag.updated',
      'response.tagged',
      'response.tagged',
      'tag.merged',
      'tag.deleted',
    ])
  })

  test('an excerpt is tagged with its quote and offsets; a quote not in the text is refused', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const tagId = (
      await getDb()
        .insertInto('tags')
        .values({
          consultation_id: r.id,
          parent_id: null,
          name: 'Exemptions',
          shortcut: null,
          created_at: '',
          updated_at: '',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    const x = await respond(
      r.id,
      r.controlIds[0]!,
      'We ask for an exemption for coordinated vulnerability disclosure and research.',
    )
    const item = await getDb()
      .selectFrom('response_items')
      .where('response_id', '=', x.id)
      .select('id')
      .executeTakeFirstOrThrow()
    const post = (quote: string) =>
      responseAction({
        request: pageRequest(`/manage/responses/${x.id}`, {
          cookie: official.cookie,
          form: { intent: 'tag-excerpt', tagId: String(tagId), itemId: String(item.id), quote },
        }),
        params: { responseId: String(x.id) },
        context,
      })
    expect(await post('coordinated vulnerability disclosure')).toBeInstanceOf(Response)
    const tagging = await getDb()
      .selectFrom('response_tags')
      .where('response_id', '=', x.id)
      .selectAll()
      .executeTakeFirstOrThrow()
    const start =
      'We ask for an exemption for coordinated vulnerability disclosure and research.'.indexOf(
        'coordinated',
      )
    expect([tagging.quote, tagging.excerpt_start, tagging.excerpt_end]).toEqual([
      'coordinated vulnerability disclosure',
      start,
      start + 36,
    ])
    const wrong = (await post('not in the text')) as unknown as {
      init: ResponseInit
      data: { error: string; quote: string }
    }
    expect(wrong.init.status).toBe(400)
    expect(wrong.data).toEqual({ error: 'review.quoteNotFound', quote: 'not in the text' })
  })

  test('a whole search result is tagged, and moderated, in one action', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const tagId = (
      await getDb()
        .insertInto('tags')
        .values({
          consultation_id: r.id,
          parent_id: null,
          name: 'Brokers',
          shortcut: null,
          created_at: '',
          updated_at: '',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    const matching = []
    for (let i = 0; i < 60; i++)
      matching.push(
        await respond(r.id, r.controlIds[0]!, `Spyware brokers must be licensed, response ${i}.`),
      )
    const other = await respond(r.id, r.controlIds[0]!, 'Nothing about that topic here.')
    const url = `/manage/rounds/${r.id}/responses?q=brokers`
    const page = await queueLoader({
      request: pageRequest(url, { cookie: official.cookie }),
      params: { id: String(r.id) },
      context,
    })
    expect(page.total).toEqual({ count: 60, more: false })
    expect(page.rows).toHaveLength(50)
    // Counted only up to what one action takes: beyond it, "more than".
    const filters = readQueueFilters(new URL(`http://localhost${url}`)).filters
    expect(await countQueue(getDb(), { consultationId: r.id, filters, max: 25 })).toEqual({
      count: 25,
      more: true,
    })
    expect(await countQueue(getDb(), { consultationId: r.id, filters, max: 60 })).toEqual({
      count: 60,
      more: false,
    })
    expect(await matchingIds(getDb(), { consultationId: r.id, filters, max: 25 })).toHaveLength(25)
    expect(page.nextCursor).not.toBeNull()
    const result = (await queueAction({
      request: pageRequest(url, {
        cookie: official.cookie,
        form: { intent: 'tag', scope: 'all', tagId: String(tagId) },
      }),
      params: { id: String(r.id) },
      context,
    })) as Response
    expect(new URL(result.headers.get('Location')!, 'http://x').searchParams.get('done')).toBe(
      'tag:60',
    )
    const tagged = await getDb()
      .selectFrom('response_tags')
      .where('tag_id', '=', tagId)
      .select('response_id')
      .execute()
    expect(new Set(tagged.map((t) => t.response_id))).toEqual(new Set(matching.map((m) => m.id)))
    expect(tagged.map((t) => t.response_id)).not.toContain(other.id)

    await queueAction({
      request: pageRequest(url, {
        cookie: official.cookie,
        form: { intent: 'publish', scope: 'selected', ids: String(matching[0]!.id) },
      }),
      params: { id: String(r.id) },
      context,
    })
    const published = await getDb()
      .selectFrom('responses')
      .where('consultation_id', '=', r.id)
      .where('status', '=', 'published')
      .select('id')
      .execute()
    expect(published).toEqual([{ id: matching[0]!.id }])
    const filtered = await queueLoader({
      request: pageRequest(`/manage/rounds/${r.id}/responses?tag=${tagId}&status=published`, {
        cookie: official.cookie,
      }),
      params: { id: String(r.id) },
      context,
    })
    expect(filtered.rows.map((row) => row.id)).toEqual([matching[0]!.id])
  })
})

/** A round's clusters, as lists of response ids. */
async function clustersOf(roundId: number): Promise<number[][]> {
  const rows = await listCampaignMembers(getDb(), { consultationId: roundId })
  const byCluster = new Map<number, number[]>()
  for (const row of rows)
    byCluster.set(row.clusterId, [...(byCluster.get(row.clusterId) ?? []), row.responseId])
  return [...byCluster.values()]
}

describe('mass-campaign detection', () => {
  test('a round whose signatures are missing is found for a rebuild at start, and only that round', async () => {
    const db = getDb()
    const [stale, fresh] = [await round(), await round()]
    const random = prng(31)
    const letter = template(random)
    for (const r of [stale, fresh]) {
      for (let i = 0; i < 6; i++) {
        const x = await respond(r.id, r.controlIds[0]!, editOf(letter, random))
        await updateCampaigns(db, { responseId: x.id, consultationId: r.id })
      }
    }
    // As after the migration that dropped the old signatures, or responses loaded by hand.
    await db
      .deleteFrom('response_signatures')
      .where('response_id', 'in', (eb) =>
        eb.selectFrom('responses').where('consultation_id', '=', stale.id).select('id'),
      )
      .execute()
    await db.deleteFrom('campaign_members').where('consultation_id', '=', stale.id).execute()
    const missing = await roundsMissingSignatures(db)
    expect(missing).toContain(stale.id)
    expect(missing).not.toContain(fresh.id)
    await rebuildCampaigns(db, { consultationId: stale.id })
    expect((await clustersOf(stale.id)).map((c) => c.length)).toEqual([6])
    expect(await roundsMissingSignatures(db)).not.toContain(stale.id)
  })

  test('groups 500 lightly edited copies into their campaigns and leaves 500 distinct texts alone', async () => {
    const r = await round()
    const db = getDb()
    const random = prng(2026)
    const templates = Array.from({ length: 5 }, () => template(random))
    const truth: number[][] = templates.map(() => [])
    const distinct: number[] = []
    const order = Array.from({ length: 1000 }, (_, i) => i).sort(() => random() - 0.5)
    for (const n of order) {
      const isCopy = n < 500
      const body = isCopy ? editOf(templates[n % 5]!, random) : distinctText(random)
      const response = await respond(r.id, r.controlIds[0]!, body)
      await updateCampaigns(db, { responseId: response.id, consultationId: r.id })
      if (isCopy) truth[n % 5]!.push(response.id)
      else distinct.push(response.id)
    }
    const clusters = (await listCampaignMembers(db, { consultationId: r.id })).map((m) => ({
      id: m.responseId,
      cluster_id: m.clusterId,
    }))
    const found = await clustersOf(r.id)
    const { precision, recall } = pairwisePrecisionRecall(found, truth)
    expect(precision).toBeGreaterThanOrEqual(0.99)
    expect(recall).toBeGreaterThanOrEqual(0.98)
    const stray = distinct.filter((id) => clusters.some((c) => c.id === id))
    expect(stray.length).toBeLessThanOrEqual(5)

    // A full rebuild finds the same campaigns, as well or better.
    await rebuildCampaigns(db, { consultationId: r.id })
    const rebuilt = await clustersOf(r.id)
    const afterRebuild = pairwisePrecisionRecall(rebuilt, truth)
    expect(afterRebuild.precision).toBeGreaterThanOrEqual(0.99)
    expect(afterRebuild.recall).toBeGreaterThanOrEqual(0.98)
    const listed = await listClusters(db, { consultationId: r.id })
    expect(listed.slice(0, 5).reduce((sum, c) => sum + c.size, 0)).toBeGreaterThanOrEqual(490)
    // The list's pages are slices of the whole list, each with the same statuses.
    expect(await countClusters(db, { consultationId: r.id })).toBe(listed.length)
    const pages = []
    for (let offset = 0; offset < listed.length; offset += 2)
      pages.push(...(await listClusters(db, { consultationId: r.id, limit: 2, offset })))
    expect(pages).toEqual(listed)
    // Read a few members at a time, a campaign's statuses and public text are the same.
    const largest = listed[0]!
    const members = (await clusterMemberIds(db, { clusterId: largest.id })).sort((a, b) => a - b)
    const unpublished = members.slice(0, 10)
    await db
      .updateTable('responses')
      .set({ status: 'published', publication: 'named', confidential: 0 })
      .where('id', 'in', members)
      .execute()
    await db
      .updateTable('responses')
      .set({ status: 'received' })
      .where('id', 'in', unpublished)
      .execute()
    const whole = await listClusters(db, { consultationId: r.id })
    const wholeText = await publicCampaignTexts(db, {
      consultationId: r.id,
      clusterIds: [largest.id],
    })
    const slice = memberReads.slice
    memberReads.slice = 3
    try {
      expect(await listClusters(db, { consultationId: r.id })).toEqual(whole)
      expect(whole[0]!.statuses).toEqual({ published: members.length - 10, received: 10 })
      const sliced = await publicCampaignTexts(db, {
        consultationId: r.id,
        clusterIds: [largest.id],
      })
      expect(sliced).toEqual(wholeText)
      expect(sliced.get(largest.id)).toBe(await campaignText(db, members[10]!))
    } finally {
      memberReads.slice = slice
    }
    const official = await signedInUser('official')
    for (const query of ['', '?page=9', '?page=x']) {
      const page = await campaignsLoader({
        request: pageRequest(`/manage/rounds/${r.id}/campaigns${query}`, {
          cookie: official.cookie,
        }),
        params: { id: String(r.id) },
        context,
      })
      // Fewer than 50 campaigns: one page, whichever is asked for.
      expect(page.paging).toEqual({
        page: 1,
        pageCount: 1,
        total: listed.length,
        first: 1,
        last: listed.length,
      })
      expect(page.clusters.map((c) => c.id)).toEqual(listed.map((c) => c.id))
    }
    expect(clusterSignatures).toBeTypeOf('function')

    // The rebuilt buckets serve the incremental path: a new copy joins its campaign.
    const late = await respond(r.id, r.controlIds[0]!, editOf(templates[2]!, random))
    const joined = await updateCampaigns(db, { responseId: late.id, consultationId: r.id })
    expect(joined).toBe(await campaignOf(db, { responseId: truth[2]![0]! }))
  }, 120_000)

  test('a whole campaign is withheld as spam in one action, and leaves the public pages', async () => {
    const r = await round()
    const db = getDb()
    const official = await signedInUser('official')
    const random = prng(7)
    const letter = template(random)
    const ids: number[] = []
    for (let i = 0; i < 12; i++) {
      const x = await respond(r.id, r.controlIds[0]!, editOf(letter, random), {
        status: 'published',
      })
      await updateCampaigns(db, { responseId: x.id, consultationId: r.id })
      ids.push(x.id)
    }
    const cluster = { cluster_id: await campaignOf(db, { responseId: ids[0]! }) }
    expect(cluster.cluster_id).not.toBeNull()
    // The size is kept by addition as letters arrive: it must match the members.
    const kept = await db
      .selectFrom('campaign_clusters')
      .where('id', '=', cluster.cluster_id!)
      .select('size')
      .executeTakeFirstOrThrow()
    const members = await db
      .selectFrom('campaign_members')
      .where('cluster_id', '=', cluster.cluster_id!)
      .select('response_id')
      .execute()
    expect([kept.size, members.length]).toEqual([12, 12])
    // Its page lists the members a page at a time; an action still takes every member.
    const byPage = async (page: number) => {
      const shown = await getCluster(db, { clusterId: cluster.cluster_id!, page, perPage: 5 })
      return [shown!.page, shown!.pageCount, shown!.firstNumber, shown!.members.map((m) => m.id)]
    }
    expect(await byPage(1)).toEqual([1, 3, 1, ids.slice(0, 5)])
    expect(await byPage(3)).toEqual([3, 3, 11, ids.slice(10)])
    expect(await byPage(40)).toEqual([3, 3, 11, ids.slice(10)])
    for (const query of ['', '?page=2', '?page=x']) {
      const loaded = (await clusterLoader({
        request: pageRequest(`/manage/campaigns/${cluster.cluster_id}${query}`, {
          cookie: official.cookie,
        }),
        params: { clusterId: String(cluster.cluster_id) },
        context,
      })) as { cluster: { page: number; members: { id: number }[] } }
      // Twelve members fit on one page of 200: any page asked for is that one.
      expect([loaded.cluster.page, loaded.cluster.members.map((m) => m.id)]).toEqual([1, ids])
    }
    await clusterAction({
      request: pageRequest(`/manage/campaigns/${cluster.cluster_id}`, {
        cookie: official.cookie,
        form: { intent: 'spam' },
      }),
      params: { clusterId: String(cluster.cluster_id) },
      context,
    })
    const statuses = await db
      .selectFrom('responses')
      .where('id', 'in', ids)
      .select('status')
      .distinct()
      .execute()
    expect(statuses).toEqual([{ status: 'spam' }])
    const audited = await db
      .selectFrom('audit_log')
      .where('action', '=', 'response.spam')
      .where('entity_id', 'in', ids.map(String))
      .select('entity_id')
      .execute()
    expect(audited).toHaveLength(12)
  })
})

describe('the response view', () => {
  test('shows every field, attachments, notes and history to officials', async () => {
    const r = await round()
    const official = await signedInUser('official')
    const x = await respond(r.id, r.controlIds[0]!, 'Body text', {
      contactEmail: 'person@example.org',
      contactName: 'Person',
    })
    await responseAction({
      request: pageRequest(`/manage/responses/${x.id}`, {
        cookie: official.cookie,
        form: { intent: 'note', body: 'Follow up with the sector team.' },
      }),
      params: { responseId: String(x.id) },
      context,
    })
    const page = await responseLoader({
      request: pageRequest(`/manage/responses/${x.id}`, { cookie: official.cookie }),
      params: { responseId: String(x.id) },
      context,
    })
    expect(page.response.contact_email).toBe('person@example.org')
    expect(page.response.notes.map((n) => n.body)).toEqual(['Follow up with the sector team.'])
    expect(page.response.history.map((h) => h.action)).toEqual(['response.note_added'])
  })
})
