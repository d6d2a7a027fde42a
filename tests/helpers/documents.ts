import path from 'node:path'
import { inflateRawSync } from 'node:zlib'

/** All the text of a PDF, page after page (pdfjs-dist). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const document = await pdfjs.getDocument({
    data: bytes,
    verbosity: 0,
    standardFontDataUrl: `${path.resolve('node_modules/pdfjs-dist/standard_fonts')}/`,
  }).promise
  const pages: string[] = []
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n)
    const content = await page.getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '))
  }
  return pages.join('\n')
}

/** The raw text of a DOCX (mammoth). */
export async function docxText(bytes: Uint8Array): Promise<string> {
  const mammoth = await import('mammoth')
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) })
  return value
}

/**
 * What a PDF reader could follow or run: its open action, document and page scripts, attachments
 * and every page's annotations (links included), as JSON-able values (pdfjs-dist).
 */
export async function pdfActions(bytes: Uint8Array): Promise<unknown[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const document = await pdfjs.getDocument({
    // pdfjs takes the buffer over: the caller's bytes stay readable.
    data: bytes.slice(),
    verbosity: 0,
    standardFontDataUrl: `${path.resolve('node_modules/pdfjs-dist/standard_fonts')}/`,
  }).promise
  const found: unknown[] = []
  const open: unknown = await document.getOpenAction()
  if (open) found.push({ openAction: open })
  const scripts: unknown = await document.getJSActions()
  if (scripts) found.push({ documentScripts: scripts })
  const attachments: unknown = await document.getAttachments()
  if (attachments) found.push({ attachments: Object.keys(attachments) })
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n)
    for (const annotation of (await page.getAnnotations()) as { subtype?: string }[])
      found.push({ page: n, annotation })
    const pageScripts: unknown = await page.getJSActions()
    if (pageScripts && Object.keys(pageScripts).length) found.push({ page: n, pageScripts })
  }
  return found
}

/** Every part of a DOCX (a ZIP archive) as text, by name, read with node:zlib alone. */
export function docxParts(bytes: Uint8Array): Map<string, string> {
  const zip = Buffer.from(bytes)
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) throw new Error('not a ZIP archive')
  const count = zip.readUInt16LE(end + 10)
  let entry = zip.readUInt32LE(end + 16)
  const parts = new Map<string, string>()
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(entry) !== 0x02014b50) throw new Error('bad ZIP central directory')
    const method = zip.readUInt16LE(entry + 10)
    const size = zip.readUInt32LE(entry + 20)
    const nameLength = zip.readUInt16LE(entry + 28)
    const extraLength = zip.readUInt16LE(entry + 30)
    const commentLength = zip.readUInt16LE(entry + 32)
    const local = zip.readUInt32LE(entry + 42)
    const name = zip.toString('utf8', entry + 46, entry + 46 + nameLength)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + size)
    parts.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'))
    entry += 46 + nameLength + extraLength + commentLength
  }
  return parts
}
