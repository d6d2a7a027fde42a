import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getOptionalUser } from '#app/auth/guards.server.ts'
import { getRespondentAttachment } from '#app/models/responses.server.ts'
import { getDb } from '#app/utils/db.server.ts'
import { downloadResponse } from '#app/utils/download.server.ts'

const Params = z.object({
  trackingNumber: z.string().regex(/^CMT-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  attachmentId: z.coerce.number().int().positive(),
})

// An author downloading one of their own attachments: always as a download.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  const user = await getOptionalUser(request)
  const file = await getRespondentAttachment(getDb(), {
    ...parsed.data,
    key: new URL(request.url).searchParams.get('key'),
    userId: user?.id ?? null,
  })
  if (!file) throw new Response('Not found', { status: 404 })
  return downloadResponse(getDb(), {
    blobId: file.blob_id,
    sizeBytes: file.size_bytes,
    filename: file.filename,
    mediaType: file.media_type,
    cacheControl: 'private, no-store',
  })
}
