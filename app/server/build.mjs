// Builds what `npm start` runs, with no TypeScript loader at run time (see README, decisions):
//   build/index.js         the Remix app (remix build)
//   build/server/*.js      the server (start.server.ts with what it imports) and the worker
//                          threads of the campaign rebuild (app/analysis/campaign-worker.ts)
//                          of the report's layout (app/reports/report-worker.ts) and of the
//                          search indexer (app/jobs/search-worker.ts) and of themes
//                          (app/analysis/theme-worker.ts)
//   build/server/migrations/*.js   the migrations, which the server reads from that folder
// `node app/server/build.mjs` builds; `buildIfNeeded()` builds when a source is newer than the build.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const outputs = [
  path.join(root, 'build', 'index.js'),
  path.join(root, 'build', 'server', 'start.server.js'),
  path.join(root, 'build', 'server', 'campaign-worker.js'),
  path.join(root, 'build', 'server', 'report-worker.js'),
  path.join(root, 'build', 'server', 'search-worker.js'),
  path.join(root, 'build', 'server', 'theme-worker.js'),
]
const SOURCE = /\.(ts|tsx|css|json)$/

const modifiedAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0)

function newestSourceTime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const time = entry.isDirectory()
      ? newestSourceTime(full)
      : SOURCE.test(entry.name)
        ? statSync(full).mtimeMs
        : 0
    if (time > newest) newest = time
  }
  return newest
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (result.status !== 0) {
    console.error('The build failed: see the messages above.')
    process.exit(1)
  }
}

const esbuild = [
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--packages=external',
  '--log-level=warning',
]

/** Builds the app, the server and the migrations. */
export function build() {
  run(bin('remix'), ['build'])
  run(bin('esbuild'), [
    'app/server/start.server.ts',
    'app/analysis/campaign-worker.ts',
    'app/reports/report-worker.ts',
    'app/jobs/search-worker.ts',
    'app/analysis/theme-worker.ts',
    '--outdir=build/server',
    '--entry-names=[name]',
    ...esbuild,
  ])
  // The migrator runs every file it finds there: none may outlive its source.
  rmSync(path.join(root, 'build', 'server', 'migrations'), { recursive: true, force: true })
  const migrations = readdirSync(path.join(root, 'db', 'migrations')).filter((f) =>
    /^\d.*\.ts$/.test(f),
  )
  run(bin('esbuild'), [
    ...migrations.map((f) => `db/migrations/${f}`),
    '--outdir=build/server/migrations',
    ...esbuild,
  ])
}

/** Builds when the build is missing, or a source under app/ or db/, remix.config.js or package-lock.json is newer. */
export function buildIfNeeded() {
  const builtAt = Math.min(...outputs.map(modifiedAt))
  const sourcesAt = Math.max(
    newestSourceTime(path.join(root, 'app')),
    newestSourceTime(path.join(root, 'db')),
    modifiedAt(path.join(root, 'remix.config.js')),
    // Updated packages: the browser bundles include them.
    modifiedAt(path.join(root, 'package-lock.json')),
  )
  if (builtAt > sourcesAt) return
  console.log(builtAt ? 'Sources changed: rebuilding…' : 'Building the app…')
  build()
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) build()
