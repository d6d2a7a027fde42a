import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startServer } from '../e2e/server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    databasePath: string
  }
}

/** Builds once, then starts the real server for every browser test to share. */
export default async function setup(project: TestProject) {
  const root = path.resolve('.')
  // npm run build: the app, the server and the migrations, as npm start runs them.
  const build = spawnSync(process.execPath, [path.join(root, 'app/server/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error('npm run build failed')
  const server = await startServer()
  project.provide('baseURL', server.url)
  project.provide('databasePath', server.databasePath)
  return () => server.stop()
}
