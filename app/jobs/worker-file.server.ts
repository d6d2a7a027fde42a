import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts one of the portal's worker threads: built beside the server (build/server/NAME.js,
 * found from the Remix bundle in build/ and from the server's in build/server/), or, when the
 * code runs from source (tests, `npm run dev`), app/FOLDER/NAME.ts loaded through tsx's tsImport.
 */
export function startPortalWorker(
  name: string,
  folder: string,
  options: Pick<WorkerOptions, 'workerData'> = {},
): Worker {
  const built = [
    new URL(`./server/${name}.js`, import.meta.url),
    new URL(`./${name}.js`, import.meta.url),
  ].map((url) => fileURLToPath(url))
  for (const file of built) if (existsSync(file)) return new Worker(file, options)
  const sources = [
    fileURLToPath(new URL(`../${folder}/${name}.ts`, import.meta.url)),
    `${process.cwd()}/app/${folder}/${name}.ts`,
  ]
  const source = sources.find((file) => existsSync(file))
  if (!source) throw new Error(`The ${name} is missing: run \`npm run build\`.`)
  // The import condition's file of tsx/esm/api (require.resolve would give the CommonJS one).
  const tsxRoot = path.dirname(createRequire(source).resolve('tsx/package.json'))
  const api = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href
  const url = pathToFileURL(source).href
  return new Worker(
    `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`,
    { ...options, eval: true },
  )
}
