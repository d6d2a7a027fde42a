import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getOptionalUser, hasRole } from '#app/auth/guards.server.ts'
import { getConsultationDocument } from '#app/models/consultations.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { downloadResponse } from '#app/utils/download.server.ts'

const Params = z.object({
  slug: z.string().min(1).max(200),
  documentId: z.coerce.number().int().positive(),
})

// A supporting document, always as a download: never rendered in our origin.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const user = await getOptionalUser(request)
  const doc = await getConsultationDocument(getDb(), {
    ...parsed.data,
    includeDrafts: Boolean(user && hasRole(user.role, 'official')),
  })
  if (!doc) throw new Response('Not found', { status: 404 })
  return downloadResponse(getDb(), {
    blobId: doc.blob_id,
    sizeBytes: doc.size_bytes,
    filename: doc.filename,
    mediaType: doc.media_type,
    cacheControl: 'private, max-age=300',
    etag: doc.sha256,
  })
}
