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
  const build = spawnSync(path.join(root, 'node_modules/.bin/remix'), ['build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (build.status !== 0) throw new Error('remix build failed')
  const server = await startServer()
  project.provide('baseURL', server.url)
  project.provide('databasePath', server.databasePath)
  return () => server.stop()
}
