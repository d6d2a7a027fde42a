import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { freePort } from '#tests/drills/portal-process.ts'
import { startCommand } from '#tests/helpers/start-command.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

export interface RunningServer {
  url: string
  databasePath: string
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts the built portal exactly as `npm start` does (package.json's start script),
 * on a free port with a database file of its own, and waits until it says it is ready.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const root = path.resolve('.')
  const dir = path.join(root, 'tests/.tmp')
  mkdirSync(dir, { recursive: true })
  const databasePath = path.join(dir, `e2e-${randomUUID()}.sqlite`)
  const port = await freePort()
  const npmStart = startCommand(root)
  const child: ChildProcess = spawn(npmStart.command, npmStart.args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      DEMO_SEED: 'true',
      SESSION_SECRET: 'e2e-secret-not-for-production',
      // Browser tests send many responses from one address.
      SUBMIT_RATE_LIMIT: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000)
    const check = () => {
      if (output.includes('Consultation portal ready at')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    databasePath,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      removeDatabaseFiles(databasePath)
    },
  }
}
