import path from 'node:path'
import { fileURLToPath } from 'node:url'

const defaultPath = fileURLToPath(new URL('./portal.sqlite', import.meta.url))

/** Where the SQLite file lives: `DATABASE_PATH`, or db/portal.sqlite. */
export function databasePath(): string {
  const configured = process.env.DATABASE_PATH?.trim()
  return configured ? path.resolve(configured) : defaultPath
}
