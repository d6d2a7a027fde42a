import {
  type StoredBlob,
  deleteBlobs,
  roundStorageBytes,
  stageBlob,
} from '#app/models/file-store.server.ts'
import { type DB, getDb } from './db.server.ts'
import { diskRoomForFiles } from './disk-space.server.ts'
import { getEnv } from './env.server.ts'
import type { FileSink } from './form-reader.server.ts'

const MiB = 1024 * 1024

/**
 * Room for files on the disk the database writes to: SQLite's file's. On PostgreSQL the files
 * go to the database server's disk, which this server cannot see; its own full disk is refused
 * by the server (53100, a 503) without anything half-stored.
 */
function diskRoom(): number {
  const env = getEnv()
  return env.DATABASE_URL ? Number.POSITIVE_INFINITY : diskRoomForFiles(env.DATABASE_PATH)
}

/** Where respondents' files go: the file store, within their round's cap and the disk's room. */
export async function attachmentSink(db: DB, consultationId: number): Promise<FileSink> {
  const env = getEnv()
  const roundLeft = env.ROUND_STORAGE_MAX_MB * MiB - (await roundStorageBytes(db, consultationId))
  return {
    maxFileBytes: env.ATTACHMENT_MAX_BYTES,
    storageRemaining: Math.min(roundLeft, diskRoom()),
    stage: (source, maxBytes) => stageBlob(db, { source, consultationId, maxBytes }),
    discard: (blobs) =>
      deleteBlobs(
        db,
        blobs.map((b) => b.id),
      ),
  }
}

/** Where officials' supporting documents go: the file store, within the disk's room. */
export function documentSink(db: DB, maxFileBytes: number): FileSink {
  return {
    maxFileBytes,
    storageRemaining: diskRoom(),
    stage: (source, maxBytes) => stageBlob(db, { source, consultationId: null, maxBytes }),
    discard: (blobs) =>
      deleteBlobs(
        db,
        blobs.map((b) => b.id),
      ),
  }
}

/** Removes files a request staged that nothing will claim. */
export async function discardFiles(staged: StoredBlob[]): Promise<void> {
  if (staged.length)
    await deleteBlobs(
      getDb(),
      staged.map((b) => b.id),
    )
}
