import { statfsSync } from 'node:fs'
import path from 'node:path'
import { getEnv } from './env.server.ts'

// The free space of the disk that holds the database, read at most once a second: files are
// refused (with a message, the form's text kept) before they could fill it.

let last: { at: number; dir: string; free: number } | undefined

/** Free bytes on the disk holding `file` (Infinity for an in-memory database). */
export function freeDiskBytes(file: string): number {
  if (file === ':memory:') return Infinity
  const dir = path.dirname(file)
  const now = Date.now()
  if (last && last.dir === dir && now - last.at < 1000) return last.free
  let free = Infinity
  try {
    const stats = statfsSync(dir)
    free = stats.bavail * stats.bsize
  } catch {
    // A file system that cannot say: the database's own errors are then the guard.
  }
  last = { at: now, dir, free }
  return free
}

/** How many bytes of files may still be stored beside `file`, keeping DISK_MIN_FREE_MB free. */
export function diskRoomForFiles(file: string): number {
  return Math.max(0, freeDiskBytes(file) - getEnv().DISK_MIN_FREE_MB * 1024 * 1024)
}
