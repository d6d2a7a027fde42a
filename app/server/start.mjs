// `npm start`: builds what changed, then runs the compiled server (build/server/start.server.js)
// on plain Node as a child process, and starts it again if it ever stops abnormally: a crash,
// an out-of-memory abort, a kill. Running the TypeScript through tsx cost the server about 70 MB.
//
// A server that stops before it is ready (a missing SESSION_SECRET, a failed migration) is a
// configuration error: the supervisor exits with its code instead of trying again. After it has
// served, each abnormal stop is logged with its cause and followed by a restart, 1 s later at
// first, then 2, 4 ... up to 30 s while it keeps failing; a run of a minute resets the wait.
// SIGTERM and SIGINT go to the server, which finishes its requests, and then the supervisor ends.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildIfNeeded } from './build.mjs'

/** The server's JavaScript heap, in MB: about 50 MB is live at a million responses. */
const HEAP_MB = 160
const server = fileURLToPath(new URL('../../build/server/start.server.js', import.meta.url))
const MAX_WAIT_MS = 30_000
const STEADY_MS = 60_000

buildIfNeeded()

let child
let stopping = false
let failures = 0

function run() {
  const startedAt = Date.now()
  let ready = false
  // Node's flags given to the supervisor go to the server too (`node --cpu-prof
  // app/server/start.mjs` profiles the server), but for the inspector's, whose port is taken.
  const flags = process.execArgv.filter((flag) => !flag.startsWith('--inspect'))
  child = spawn(process.execPath, [...flags, `--max-old-space-size=${HEAP_MB}`, server], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  })
  child.on('message', (message) => {
    if (message === 'ready') ready = true
  })
  // 'close', not 'exit': it comes once the child's channel is closed too, so a 'ready' sent just
  // before a crash has been read by then.
  child.on('close', (code, signal) => {
    if (stopping) {
      // A server killed by a signal while stopping did not finish its shutdown: say so.
      if (signal) console.error(`The server was stopped by ${signal} before it finished.`)
      process.exit(code ?? (signal ? 1 : 0))
    }
    if (!ready) {
      // It never served: restarting would fail the same way.
      process.exit(code ?? 1)
    }
    const ranMs = Date.now() - startedAt
    if (ranMs >= STEADY_MS) failures = 0
    failures++
    const wait = Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - 1))
    const cause = signal ? `signal ${signal}` : `exit code ${code}`
    console.error(
      `The server stopped unexpectedly (${cause}) after ${Math.round(ranMs / 1000)} s; ` +
        `starting it again in ${wait / 1000} s (restart ${failures} in a row).`,
    )
    setTimeout(run, wait)
  })
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal)
    else process.exit(0)
  })
}

run()
