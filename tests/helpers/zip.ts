// A minimal ZIP writer for hostile DOCX/ODT files in tests: entries deflated (or stored) with
// declared sizes that may lie, as a zip bomb's do.
import { deflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  data: Uint8Array
  /** Store uncompressed (an ODT's mimetype must be). */
  store?: boolean
  /** The uncompressed size the headers declare (default: the truth). */
  declaredSize?: number
}

function crc32(data: Uint8Array): number {
  let crc = ~0
  for (const byte of data) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

/** The bytes of a ZIP archive holding `entries`. */
export function zip(entries: ZipEntry[]): Uint8Array {
  const local: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const body = entry.store ? Buffer.from(entry.data) : deflateRawSync(entry.data)
    const crc = crc32(entry.data)
    const size = entry.declaredSize ?? entry.data.byteLength
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt16LE(entry.store ? 0 : 8, 8)
    head.writeUInt32LE(crc, 14)
    head.writeUInt32LE(body.byteLength, 18)
    head.writeUInt32LE(size, 22)
    head.writeUInt16LE(name.byteLength, 26)
    local.push(head, name, body)
    const dir = Buffer.alloc(46)
    dir.writeUInt32LE(0x02014b50, 0)
    dir.writeUInt16LE(20, 4)
    dir.writeUInt16LE(20, 6)
    dir.writeUInt16LE(entry.store ? 0 : 8, 10)
    dir.writeUInt32LE(crc, 16)
    dir.writeUInt32LE(body.byteLength, 20)
    dir.writeUInt32LE(size, 24)
    dir.writeUInt16LE(name.byteLength, 28)
    dir.writeUInt32LE(offset, 42)
    central.push(dir, name)
    offset += head.byteLength + name.byteLength + body.byteLength
  }
  const dirBytes = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dirBytes.byteLength, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...local, dirBytes, end]))
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

/** A DOCX as file-type recognises it, with an optional extra entry. */
export function docx(extra: ZipEntry[] = []): Uint8Array {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ...extra,
  ])
}
