import { blobStream } from '#app/models/file-store.server.ts'
import type { DB } from './db.server.ts'

/**
 * A stored file sent back as a download, never rendered in our origin: an
 * attachment disposition (ASCII fallback name plus the UTF-8 one), and a
 * sandboxing CSP in case a browser renders it anyway. The bytes stream from
 * the file store a piece at a time, as fast as the client reads them.
 */
export function downloadResponse(
  db: DB,
  file: {
    blobId: number | null
    sizeBytes: number
    filename: string
    mediaType: string
    cacheControl: string
    etag?: string
  },
): Response {
  if (file.blobId === null) throw new Response('Not found', { status: 404 })
  const ascii = file.filename.replace(/[^\x20-\x7e]|"/g, '_')
  const headers: Record<string, string> = {
    'Content-Type': file.mediaType,
    'Content-Length': String(file.sizeBytes),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    'Cache-Control': file.cacheControl,
    'Content-Security-Policy': "default-src 'none'; sandbox",
  }
  if (file.etag) headers.ETag = `"${file.etag}"`
  return new Response(blobStream(db, file.blobId), { headers })
}
