import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The command `npm start` runs (package.json's start script), with its Node flags, from root. */
export function startCommand(root: string): { command: string; args: string[] } {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string }
  }
  const [command, ...args] = scripts.start.trim().split(/\s+/)
  if (command === 'node') return { command: process.execPath, args }
  return { command: path.join(root, 'node_modules/.bin', command!), args }
}
