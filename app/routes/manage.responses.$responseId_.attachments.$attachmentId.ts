import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireRole } from '#app/auth/guards.server.ts'
import { getAttachmentForOfficial } from '#app/models/review.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { downloadResponse } from '#app/utils/download.server.ts'

const Params = z.object({
  responseId: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
})

// An attachment for an official: always a download, never rendered in our origin.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'official')
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const file = await getAttachmentForOfficial(getDb(), parsed.data)
  if (!file) throw new Response('Not found', { status: 404 })
  return downloadResponse(getDb(), {
    blobId: file.blob_id,
    sizeBytes: file.size_bytes,
    filename: file.filename,
    mediaType: file.media_type,
    cacheControl: 'private, no-store',
  })
}
