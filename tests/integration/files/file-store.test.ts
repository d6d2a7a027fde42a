// The file store: files written in pieces as they arrive, read back whole or by range, claimed by
// the transaction that stores their response, and swept when nothing claimed them.
import fc from 'fast-check'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '#db/connection.ts'
import { migrateToLatest, migrationProvider } from '#db/migrate.ts'
import {
  CHUNK_BYTES,
  STAGED_LIFETIME_MS,
  blobStream,
  claimBlobs,
  readBlob,
  readBlobRange,
  stageBlob,
  stageBytes,
  sweepBlobs,
} from '#app/models/file-store.server.ts'
import { getDb } from '#app/utils/db.server.ts'

async function streamed(blobId: number): Promise<Uint8Array> {
  return new Uint8Array(await new Response(blobStream(getDb(), blobId)).arrayBuffer())
}

/** Byte-for-byte equality (vitest's toEqual compares a megabyte element by element: minutes). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  )
}

function bytesOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}

/** A source that arrives in pieces of the given sizes, as a request body does. */
async function* arriving(bytes: Uint8Array, pieces: number[]) {
  let offset = 0
  for (const n of pieces) {
    if (offset >= bytes.byteLength) break
    yield bytes.subarray(offset, offset + n)
    offset += n
  }
  if (offset < bytes.byteLength) yield bytes.subarray(offset)
}

describe('writing and reading files in pieces', () => {
  test('sizes at and around a piece come back byte for byte, whole, streamed and by range', async () => {
    for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 7]) {
      const bytes = bytesOf(size, size)
      const blob = await stageBytes(getDb(), { bytes })
      expect(blob.size).toBe(size)
      expect(same(await readBlob(getDb(), blob.id), bytes)).toBe(true)
      expect(same(await streamed(blob.id), bytes)).toBe(true)
      const end = Math.min(size, CHUNK_BYTES + 10)
      const range = await readBlobRange(getDb(), { blobId: blob.id, start: 5, end })
      expect(same(range, bytes.slice(5, end))).toBe(true)
    }
  })

  test('whatever pieces the bytes arrive in, any range reads back as the same bytes (60 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 * CHUNK_BYTES + 100 }),
        fc.array(fc.integer({ min: 1, max: CHUNK_BYTES + 3 }), { maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        async (size, pieces, a, b) => {
          const bytes = bytesOf(size, a)
          const staged = await stageBlob(getDb(), {
            source: arriving(bytes, pieces),
            consultationId: null,
            maxBytes: size,
          })
          expect('blob' in staged).toBe(true)
          if (!('blob' in staged)) return
          const start = size ? a % size : 0
          const end = size ? start + (b % (size - start + 1)) : 0
          const range = await readBlobRange(getDb(), { blobId: staged.blob.id, start, end })
          expect(same(range, bytes.slice(start, end))).toBe(true)
          expect(same(await streamed(staged.blob.id), bytes)).toBe(true)
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)

  test('a file past its limit is read to its end, stored nowhere, and said to be too large', async () => {
    const before = await getDb().selectFrom('file_blobs').select('id').execute()
    const result = await stageBlob(getDb(), {
      source: arriving(bytesOf(3 * CHUNK_BYTES, 1), [CHUNK_BYTES / 2]),
      consultationId: null,
      maxBytes: CHUNK_BYTES,
    })
    expect(result).toEqual({ oversize: true })
    expect(await getDb().selectFrom('file_blobs').select('id').execute()).toEqual(before)
  })

  test('a file whose request breaks off is removed', async () => {
    async function* broken() {
      yield bytesOf(CHUNK_BYTES + 5, 2)
      throw new Error('connection reset')
    }
    const before = await getDb().selectFrom('file_chunks').select('blob_id').execute()
    await expect(
      stageBlob(getDb(), { source: broken(), consultationId: null, maxBytes: 10 * CHUNK_BYTES }),
    ).rejects.toThrow('connection reset')
    expect(await getDb().selectFrom('file_chunks').select('blob_id').execute()).toEqual(before)
  })
})

describe('claiming and sweeping', () => {
  test('a staged file is claimed once; claiming it again fails the transaction', async () => {
    const blob = await stageBytes(getDb(), { bytes: bytesOf(10, 3) })
    await claimBlobs(getDb(), [blob.id])
    await expect(claimBlobs(getDb(), [blob.id])).rejects.toThrow(/no longer staged/)
  })

  test('the sweep removes old staged files and stored ones nothing names, and nothing else', async () => {
    const db = getDb()
    const old = await stageBytes(db, { bytes: bytesOf(100, 4) })
    const young = await stageBytes(db, { bytes: bytesOf(100, 5) })
    const orphan = await stageBytes(db, { bytes: bytesOf(100, 6) })
    await claimBlobs(db, [orphan.id])
    const named = await stageBytes(db, { bytes: bytesOf(100, 7) })
    await claimBlobs(db, [named.id])
    const round = await db
      .insertInto('consultations')
      .values({
        slug: `sweep-${Date.now()}`,
        title: 'Sweep',
        created_at: '2026-01-01',
        updated_at: '2026-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('consultation_documents')
      .values({
        consultation_id: round.id,
        title: 'Kept',
        filename: 'kept.pdf',
        media_type: 'application/pdf',
        size_bytes: 100,
        sha256: named.sha256,
        blob_id: named.id,
        created_at: '2026-01-01',
      })
      .execute()
    await db
      .updateTable('file_blobs')
      .set({ created_at: new Date(Date.now() - STAGED_LIFETIME_MS - 1000).toISOString() })
      .where('id', '=', old.id)
      .execute()
    await sweepBlobs(db, { batch: 1 })
    const left = (await db.selectFrom('file_blobs').select('id').execute()).map((r) => r.id)
    expect(left).toContain(young.id)
    expect(left).toContain(named.id)
    expect(left).not.toContain(old.id)
    expect(left).not.toContain(orphan.id)
    expect(
      await db
        .selectFrom('file_chunks')
        .where('blob_id', 'in', [old.id, orphan.id])
        .select('seq')
        .execute(),
    ).toEqual([])
  })
})

test('the migration moves files stored whole into pieces, and back', async () => {
  const db = openDatabase(':memory:')
  try {
    const migrator = new Migrator({ db, provider: migrationProvider })
    const names = Object.keys(await migrationProvider.getMigrations()).sort()
    const before = names[names.indexOf('2026_12_01_000100_create_file_blobs') - 1]!
    expect((await migrator.migrateTo(before)).error).toBeUndefined()
    await sql`insert into consultations (slug, title, created_at, updated_at)
      values ('old', 'Old', '2026-01-01', '2026-01-01')`.execute(db)
    const content = bytesOf(CHUNK_BYTES + 1234, 9)
    await sql`insert into consultation_documents
      (consultation_id, title, filename, media_type, size_bytes, sha256, content, created_at)
      values (1, 'Old document', 'old.pdf', 'application/pdf', ${content.byteLength}, 'x',
        ${Buffer.from(content)}, '2026-01-01')`.execute(db)
    await migrateToLatest(db)
    const doc = await db
      .selectFrom('consultation_documents')
      .select('blob_id')
      .executeTakeFirstOrThrow()
    expect(same(await readBlob(db, doc.blob_id!), content)).toBe(true)
    expect((await migrator.migrateTo(before)).error).toBeUndefined()
    const { rows } = await sql<{
      content: Uint8Array
    }>`select content from consultation_documents`.execute(db)
    expect(same(new Uint8Array(rows[0]!.content), content)).toBe(true)
  } finally {
    await db.destroy()
  }
})
