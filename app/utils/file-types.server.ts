import { fileTypeFromBuffer } from 'file-type'

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

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // Tab, newline and carriage return are text; other C0 controls are not.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)
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
