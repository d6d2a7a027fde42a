import { unstable_parseMultipartFormData } from '@remix-run/node'

/** The media type given to a file that was over the limit: its bytes were not kept. */
export const OVERSIZE_TYPE = 'application/x-portal-oversize'

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
