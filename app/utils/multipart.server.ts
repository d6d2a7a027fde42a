import { unstable_parseMultipartFormData } from '@remix-run/node'
import { OVERSIZE_TYPE } from './oversize.ts'

export { OVERSIZE_TYPE }

/**
 * Parses a multipart form without ever holding more than `maxFileBytes` of
 * one file. A larger file is read to its end and dropped, and stands in the
 * form as an empty File of type OVERSIZE_TYPE, so the form's other fields
 * survive and the error can be shown beside the file field.
 */
export function parseMultipart(
  request: Request,
  { maxFileBytes, maxFieldBytes = 1_000_000 }: { maxFileBytes: number; maxFieldBytes?: number },
): Promise<FormData> {
  // A form sent without files (or by hand) may come url-encoded; anything
  // unreadable is an empty form, which validation then explains.
  if (!request.headers.get('Content-Type')?.includes('multipart/form-data')) {
    return request.formData().catch(() => new FormData())
  }
  return parseParts(request, maxFileBytes, maxFieldBytes).catch((error: unknown) => {
    // A body that is not the multipart it claims is the client's mistake.
    if (error instanceof TypeError) throw new Response('Bad request', { status: 400 })
    throw error
  })
}

function parseParts(
  request: Request,
  maxFileBytes: number,
  maxFieldBytes: number,
): Promise<FormData> {
  return unstable_parseMultipartFormData(request, async ({ filename, contentType, data }) => {
    const chunks: Uint8Array[] = []
    let size = 0
    let over = false
    const limit = filename === undefined ? maxFieldBytes : maxFileBytes
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size > limit) over = true
      else chunks.push(chunk)
    }
    if (filename === undefined) {
      return over ? '' : new TextDecoder().decode(Buffer.concat(chunks))
    }
    if (!filename) return null
    if (over) return new File([], filename, { type: OVERSIZE_TYPE })
    return new File(chunks as BlobPart[], filename, { type: contentType })
  })
}
