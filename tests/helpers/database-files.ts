import { rmSync } from 'node:fs'
import { searchFilePath } from '#db/search-file.ts'

/**
 * Removes an embedded portal database a test made: the file, its log and shared memory, and the
 * search index's file beside it (db/search-file.ts), which the server makes as it starts.
 */
export function removeDatabaseFiles(databasePath: string): void {
  for (const file of [databasePath, searchFilePath(databasePath)]) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
  }
}
