import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSubmit } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { DateTime } from '#app/components/date-time.tsx'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'
import { ErrorSummary, Notice } from '#app/components/forms.tsx'
import { i18next, translatorFor } from '#app/i18next.server.ts'
import { addNote, decideConfidentiality, moderate } from '#app/models/moderation.server.ts'
import { getReviewResponse } from '#app/models/review.server.ts'
import { QuoteNotFoundError, applyTag, listTags, removeTagging } from '#app/models/tags.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { countryName, formatBytes } from '#app/utils/display-names.ts'
import { sendMail } from '#app/utils/mail.server.ts'
import { useLocaleAndZone } from '#app/utils/use-locale.ts'
import { readForm } from '#app/utils/form-reader.server.ts'
import { formShape, lazyShape } from '#app/utils/form-shape.ts'

const Params = z.object({ responseId: z.coerce.number().int().positive() })
const Intent = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('moderate'),
    action: z.enum(['publish', 'withhold', 'spam', 'receive']),
    reason: z.string().trim().max(1000).optional(),
  }),
  z.object({ intent: z.literal('confidentiality'), decision: z.enum(['accepted', 'refused']) }),
  z.object({ intent: z.literal('tag'), tagId: z.coerce.number().int().positive() }),
  z.object({
    intent: z.literal('tag-excerpt'),
    tagId: z.coerce.number().int().positive(),
    itemId: z.coerce.number().int().positive(),
    quote: z.string().min(1).max(5000),
  }),
  z.object({ intent: z.literal('untag'), taggingId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal('note'), body: z.string().trim().min(1).max(10_000) }),
])

async function load(request: Request, params: unknown) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const response = await getReviewResponse(getDb(), { id: parsed.data.responseId })
  if (!response) throw new Response('Not found', { status: 404 })
  return response
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const response = await load(request, params)
  const t = await translatorFor(request)
  const locale = await i18next.getLocale(request)
  return {
    response: { ...response, countryName: countryName(response.country, locale) },
    tags: await listTags(getDb(), { consultationId: response.consultation_id }),
    notice: new URL(request.url).searchParams.get('done'),
    title: `${response.tracking_number} – ${t('review.title')}`,
  }
}

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? [{ title: args.data.title }] : errorMeta(args)

const FORM = lazyShape(() => formShape(Intent))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'official')
  const response = await load(request, params)
  const parsed = Intent.safeParse(Object.fromEntries((await readForm(request, FORM())).formData))
  if (!parsed.success) return data({ error: 'review.bulkInvalid' }, { status: 400 })
  const db = getDb()
  const input = parsed.data
  const consultationId = response.consultation_id
  switch (input.intent) {
    case 'moderate': {
      if (input.action === 'withhold' && !input.reason)
        return data({ error: 'review.reasonRequired' }, { status: 400 })
      const result = await moderate(db, {
        actor: user,
        consultationId,
        ids: [response.id],
        action: input.action,
        reason: input.reason,
      })
      if (result.skipped.length) return data({ error: 'review.cannotPublish' }, { status: 409 })
      break
    }
    case 'confidentiality': {
      const decided = await decideConfidentiality(db, {
        actor: user,
        id: response.id,
        decision: input.decision,
      })
      if (decided?.contactEmail) {
        const t = await translatorFor(request)
        await sendMail({
          to: decided.contactEmail,
          subject: t(`review.mail.${input.decision}Subject`, { tracking: decided.trackingNumber }),
          text: t(`review.mail.${input.decision}Body`, {
            tracking: decided.trackingNumber,
            title: decided.roundTitle,
          }),
        }).catch((error: unknown) =>
          console.error('The confidentiality notice could not be sent:', error),
        )
      }
      break
    }
    case 'tag':
      await applyTag(db, {
        actor: user,
        consultationId,
        tagId: input.tagId,
        responseIds: [response.id],
      })
      break
    case 'tag-excerpt':
      try {
        await applyTag(db, {
          actor: user,
          consultationId,
          tagId: input.tagId,
          responseIds: [],
          excerpt: { itemId: input.itemId, quote: input.quote },
        })
      } catch (error) {
        if (!(error instanceof QuoteNotFoundError)) throw error
        return data({ error: 'review.quoteNotFound', quote: input.quote }, { status: 400 })
      }
      break
    case 'untag':
      await removeTagging(db, { actor: user, consultationId, taggingId: input.taggingId })
      break
    case 'note':
      await addNote(db, { actor: user, responseId: response.id, body: input.body })
      break
  }
  return redirect(`/manage/responses/${response.id}?done=${input.intent}`)
}

export default function ReviewResponse() {
  const { response: r, tags, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { locale } = useLocaleAndZone()
  const submit = useSubmit()
  const quoteRef = useRef<HTMLTextAreaElement>(null)
  const itemRef = useRef<HTMLSelectElement>(null)

  // Keys 1-9 apply the tag with that shortcut, unless typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
      )
        return
      const tag = tags.find((tg) => tg.shortcut === Number(event.key))
      if (!tag) return
      event.preventDefault()
      submit({ intent: 'tag', tagId: String(tag.id) }, { method: 'post' })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [tags, submit])

  // Selecting text in an item fills the excerpt form (which also works by pasting).
  const captureSelection = (itemId: number) => () => {
    const text = window.getSelection()?.toString() ?? ''
    if (!text.trim() || !quoteRef.current || !itemRef.current) return
    quoteRef.current.value = text
    itemRef.current.value = String(itemId)
  }

  const tagOptions = tags.map((tag) => (
    <option key={tag.id} value={tag.id}>
      {tag.parentId ? `— ${tag.name}` : tag.name}
      {tag.shortcut ? ` (${tag.shortcut})` : ''}
    </option>
  ))

  return (
    <>
      <p>
        <Link to={`/manage/rounds/${r.consultation_id}/responses`}>
          {t('review.backToQueue', { title: r.round_title })}
        </Link>
      </p>
      {notice ? <Notice>{t('review.saved')}</Notice> : null}
      {actionData?.error ? (
        <ErrorSummary
          errors={[{ fieldId: null, message: t(actionData.error as 'review.bulkInvalid') }]}
        />
      ) : null}
      <h1>{t('review.responseTitle', { tracking: r.tracking_number })}</h1>
      <dl className="summary-list">
        <dt>{t('receipt.status')}</dt>
        <dd>
          {t(`responseStatus.${r.status}`)}
          {r.moderation_reason ? ` (${r.moderation_reason})` : ''}
          {r.is_late ? `, ${t('receipt.late')}` : ''}
        </dd>
        <dt>{t('receipt.sent')}</dt>
        <dd>
          <DateTime iso={r.submitted_at} />
        </dd>
        <dt>{t('respond.respondentType')}</dt>
        <dd>{t(`respondentTypes.${r.respondent_type}`)}</dd>
        <dt>{t('review.respondent')}</dt>
        <dd>{r.organisation ?? r.author_name ?? t('review.noName')}</dd>
        <dt>{t('respond.country')}</dt>
        <dd>{r.countryName}</dd>
        {r.organisation_size ? (
          <>
            <dt>{t('respond.organisationSize')}</dt>
            <dd>{t(`organisationSizes.${r.organisation_size}`)}</dd>
          </>
        ) : null}
        {r.register_id ? (
          <>
            <dt>{t('respond.registerId')}</dt>
            <dd>{r.register_id}</dd>
          </>
        ) : null}
        <dt>{t('receipt.contact')}</dt>
        <dd>{[r.contact_name, r.contact_email].filter(Boolean).join(', ') || '—'}</dd>
        <dt>{t('respond.publication')}</dt>
        <dd>{t(`publication.${r.publication}`)}</dd>
        {r.cluster_id ? (
          <>
            <dt>{t('review.campaign')}</dt>
            <dd>
              <Link to={`/manage/campaigns/${r.cluster_id}`}>
                {t('review.inCampaign', { count: r.cluster_size ?? 0 })}
              </Link>
            </dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="moderation-heading" className="panel">
        <h2 id="moderation-heading">{t('review.moderation')}</h2>
        <div className="button-group">
          {(['publish', 'spam', 'receive'] as const).map((action) => (
            <Form method="post" key={action}>
              <input type="hidden" name="intent" value="moderate" />
              <input type="hidden" name="action" value={action} />
              <button
                type="submit"
                className="button button--secondary"
                disabled={action === 'publish' && r.publication === 'not_published'}
              >
                {t(`review.${action}`)}
              </button>
            </Form>
          ))}
        </div>
        {r.publication === 'not_published' ? (
          <p className="hint">{t('review.notPublishable')}</p>
        ) : null}
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="moderate" />
          <input type="hidden" name="action" value="withhold" />
          <label htmlFor="withhold-reason">{t('review.reasonForRespondent')}</label>
          <input className="input input--medium" id="withhold-reason" name="reason" required />
          <button type="submit" className="button button--secondary">
            {t('review.withhold')}
          </button>
        </Form>
        {r.confidential ? (
          <>
            <h3>{t('review.confidentialClaim')}</h3>
            <p>
              <strong>{t('respond.justification')}</strong> {r.confidential_justification}
            </p>
            <p>{t(`review.claim.${r.confidential_decision ?? 'pending'}`)}</p>
            <div className="button-group">
              {(['accepted', 'refused'] as const).map((decision) => (
                <Form method="post" key={decision}>
                  <input type="hidden" name="intent" value="confidentiality" />
                  <input type="hidden" name="decision" value={decision} />
                  <button type="submit" className="button button--secondary">
                    {t(`review.claimAction.${decision}`)}
                  </button>
                </Form>
              ))}
            </div>
          </>
        ) : null}
      </section>

      <section aria-labelledby="text-heading" className="panel">
        <h2 id="text-heading">{t('receipt.yourViews')}</h2>
        {r.items.map((item) => (
          <section key={item.id} className="response__item" aria-labelledby={`item-${item.id}`}>
            <h3 id={`item-${item.id}`}>
              {item.reference
                ? `${item.reference}: ${item.title}`
                : t('publicResponses.wholeRound')}
            </h3>
            <p>
              <strong>{t('publicResponses.position')}</strong> {t(`positions.${item.position}`)}
            </p>
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- selection is a convenience; the excerpt form works without it */}
            <p
              className="response__body"
              onMouseUp={captureSelection(item.id)}
              onKeyUp={captureSelection(item.id)}
            >
              {item.body}
            </p>
            {item.answers.map((a, i) => (
              <div key={i}>
                <p>
                  <strong>{a.question}</strong>
                </p>
                <p className="response__body">{a.answer}</p>
              </div>
            ))}
          </section>
        ))}
        {r.confidential ? (
          <section className="response__item">
            <h3>{t('respond.publicVersion')}</h3>
            <p className="response__body">{r.public_version}</p>
          </section>
        ) : null}
        {r.attachments.length ? (
          <>
            <h3>{t('respond.filesHeading')}</h3>
            <ul className="documents">
              {r.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/manage/responses/${r.id}/attachments/${a.id}`}>{a.filename}</a>{' '}
                  <span className="hint">
                    ({formatBytes(a.size_bytes, locale)}
                    {a.confidential ? `, ${t('respond.confidentialFile')}` : ''})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="tags-heading" className="panel">
        <h2 id="tags-heading">{t('review.tagsHeading')}</h2>
        {r.taggings.length ? (
          <ul className="taggings">
            {r.taggings.map((tg) => (
              <li key={tg.id} className="inline-form">
                <span className="tag-chip">{tg.name}</span>
                {tg.quote ? <q className="quote">{tg.quote}</q> : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="untag" />
                  <input type="hidden" name="taggingId" value={tg.id} />
                  <button
                    type="submit"
                    className="link-button"
                    aria-label={t('review.untagLabel', { tag: tg.name })}
                  >
                    {t('review.untag')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('review.noTags')}</p>
        )}
        {tags.length ? (
          <>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="tag" />
              <label htmlFor="tag-whole">{t('review.tagWhole')}</label>
              <select className="select" id="tag-whole" name="tagId">
                {tagOptions}
              </select>
              <button type="submit" className="button button--secondary">
                {t('review.applyTag')}
              </button>
            </Form>
            {tags.some((tg) => tg.shortcut) ? (
              <p className="hint">{t('review.shortcutsHint')}</p>
            ) : null}
            <h3>{t('review.tagExcerpt')}</h3>
            <Form method="post">
              <input type="hidden" name="intent" value="tag-excerpt" />
              <div className="form-group">
                <label className="label" htmlFor="excerpt-item">
                  {t('review.excerptItem')}
                </label>
                <select className="select" id="excerpt-item" name="itemId" ref={itemRef}>
                  {r.items.map((item) => (
                    <option key={item.id} value={item.id}>
                      {item.reference ?? t('publicResponses.wholeRound')}
                    </option>
                  ))}
                </select>
              </div>
              <div className="form-group">
                <label className="label" htmlFor="excerpt-quote">
                  {t('review.excerptQuote')}
                </label>
                <div className="hint" id="excerpt-quote-hint">
                  {t('review.excerptHint')}
                </div>
                <textarea
                  className="textarea"
                  id="excerpt-quote"
                  name="quote"
                  rows={3}
                  ref={quoteRef}
                  aria-describedby="excerpt-quote-hint"
                  defaultValue={actionData && 'quote' in actionData ? String(actionData.quote) : ''}
                />
              </div>
              <div className="form-group">
                <label className="label" htmlFor="excerpt-tag">
                  {t('review.tag')}
                </label>
                <select className="select" id="excerpt-tag" name="tagId">
                  {tagOptions}
                </select>
              </div>
              <button type="submit" className="button button--secondary">
                {t('review.tagExcerptButton')}
              </button>
            </Form>
          </>
        ) : (
          <p>
            <Link to={`/manage/rounds/${r.consultation_id}/tags`}>
              {t('review.createTagsFirst')}
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby="notes-heading" className="panel">
        <h2 id="notes-heading">{t('review.notesHeading')}</h2>
        {r.notes.map((n) => (
          <div key={n.id} className="note">
            <p className="hint">
              {n.author ?? t('review.formerOfficial')}, <DateTime iso={n.created_at} />
            </p>
            <p className="response__body">{n.body}</p>
          </div>
        ))}
        <Form method="post">
          <input type="hidden" name="intent" value="note" />
          <div className="form-group">
            <label className="label" htmlFor="note-body">
              {t('review.addNote')}
            </label>
            <textarea className="textarea" id="note-body" name="body" rows={3} required />
          </div>
          <button type="submit" className="button button--secondary">
            {t('review.saveNote')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="history-heading" className="panel">
        <h2 id="history-heading">{t('review.historyHeading')}</h2>
        <ol className="history">
          {r.history.map((h) => (
            <li key={h.id}>
              <DateTime iso={h.created_at} />:{' '}
              {t(`audit.${h.action}` as 'audit.response.publish', { defaultValue: h.action })}
              {h.actor ? ` (${h.actor})` : ''}
            </li>
          ))}
          <li>
            <DateTime iso={r.submitted_at} />: {t('review.received')}
          </li>
        </ol>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
