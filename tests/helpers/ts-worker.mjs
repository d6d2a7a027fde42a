// Runs a TypeScript worker module from the sources (the server runs its workers compiled):
// new Worker('tests/helpers/ts-worker.mjs', { workerData: { entry: <file URL of the .ts> } }).
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
