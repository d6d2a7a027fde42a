import { fileTypeFromBlob, fileTypeFromBuffer } from 'file-type'
import { type StoredBlob, blobStream, readBlobRange } from '#app/models/file-store.server.ts'
import type { DB } from './db.server.ts'

export interface DetectedType {
  mime: string
  ext: string
}

/**
 * What a file really is, from its bytes (never its name or the browser's
 * claim). file-type reads the magic numbers of binary formats; plain text has
 * none, so text is recognised as valid UTF-8 with no NUL or other binary
 * control characters.
 */
export async function detectFileType(bytes: Uint8Array): Promise<DetectedType | null> {
  const found = await fileTypeFromBuffer(bytes)
  if (found) return { mime: found.mime, ext: found.ext }
  return isPlainText(bytes) ? { mime: 'text/plain', ext: 'txt' } : null
}

/**
 * What a stored file really is, read from the file store: file-type reads only the ranges it needs
 * through a Blob of the file's known size (a DOCX's entries are inflated at most 1 MiB each), and
 * the plain-text check reads the file through once, a piece at a time.
 */
export async function detectStoredType(db: DB, blob: StoredBlob): Promise<DetectedType | null> {
  // What file-type's Blob reader uses of a Blob: its size, and slices read as array buffers.
  const lazy = {
    size: blob.size,
    type: '',
    slice: (start = 0, end = blob.size) => ({
      arrayBuffer: async () => {
        const bytes = await readBlobRange(db, { blobId: blob.id, start, end })
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      },
    }),
  }
  const found = await fileTypeFromBlob(lazy as unknown as Blob)
  if (found) return { mime: found.mime, ext: found.ext }
  return (await isPlainTextStream(blobStream(db, blob.id)))
    ? { mime: 'text/plain', ext: 'txt' }
    : null
}

// Tab, newline and carriage return are text; other C0 controls are not.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

async function isPlainTextStream(stream: ReadableStream<Uint8Array>): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const reader = stream.getReader()
  let any = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      any ||= value.byteLength > 0
      if (BINARY.test(decoder.decode(value, { stream: true }))) return false
    }
    decoder.decode()
    return any
  } catch {
    return false
  } finally {
    await reader.cancel().catch(() => {})
  }
}

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false
  try {
    return !BINARY.test(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return false
  }
}

/** A file name safe to store and to send back: no path, no controls, at most 200 characters. */
export function sanitiseFilename(name: string, fallbackExt: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200)
  return clean || `file.${fallbackExt}`
}
