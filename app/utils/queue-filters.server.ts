import { z } from 'zod'
import { parseSearch } from '#app/analysis/search-query.ts'
import type { QueueFilters } from '#app/models/review.server.ts'
import { POSITIONS, RESPONDENT_TYPES } from '#app/models/response-input.ts'

const yesNo = z
  .enum(['yes', 'no'])
  .optional()
  .catch(undefined)
  .transform((v) => (v === undefined ? undefined : v === 'yes'))
const id = z.coerce.number().int().positive().optional().catch(undefined)

// The review queue's filters live in the URL: shareable, bookmarkable, and
// anything unrecognised is ignored rather than an error.
const Filters = z.object({
  q: z.string().max(600).optional().catch(undefined),
  sort: z.enum(['newest', 'oldest', 'relevance']).optional().catch(undefined),
  status: z
    .enum(['received', 'published', 'withheld', 'spam', 'withdrawn'])
    .optional()
    .catch(undefined),
  type: z.enum(RESPONDENT_TYPES).optional().catch(undefined),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional()
    .catch(undefined),
  control: id,
  position: z.enum(POSITIONS).optional().catch(undefined),
  tag: id,
  cluster: id,
  late: yesNo,
  confidential: yesNo,
  attachments: yesNo,
})

export type QueueParams = z.infer<typeof Filters>

/** The queue's filters from a URL, and the search error to show if the search box cannot be read. */
export function readQueueFilters(url: URL): {
  params: QueueParams
  filters: QueueFilters
  searchError: string | null
} {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
  const params = Filters.parse(raw)
  const parsed = params.q?.trim() ? parseSearch(params.q) : null
  return {
    params,
    searchError: parsed && !parsed.ok ? `review.searchError.${parsed.error}` : null,
    filters: {
      status: params.status,
      respondentType: params.type,
      country: params.country,
      controlId: params.control,
      position: params.position,
      tagId: params.tag,
      clusterId: params.cluster,
      late: params.late,
      confidential: params.confidential,
      attachments: params.attachments,
      sort: params.sort,
      search: parsed?.ok ? parsed : undefined,
    },
  }
}
