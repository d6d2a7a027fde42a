/**
 * A stored file sent back as a download, never rendered in our origin: an
 * attachment disposition (ASCII fallback name plus the UTF-8 one), and a
 * sandboxing CSP in case a browser renders it anyway.
 */
export function downloadResponse(file: {
  content: Uint8Array
  filename: string
  mediaType: string
  cacheControl: string
  etag?: string
}): Response {
  const ascii = file.filename.replace(/[^\x20-\x7e]|"/g, '_')
  const headers: Record<string, string> = {
    'Content-Type': file.mediaType,
    'Content-Length': String(file.content.byteLength),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    'Cache-Control': file.cacheControl,
    'Content-Security-Policy': "default-src 'none'; sandbox",
  }
  if (file.etag) headers.ETag = `"${file.etag}"`
  return new Response(new Uint8Array(file.content), { headers })
}
