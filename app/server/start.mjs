// `npm start`: builds what changed, then runs the compiled server (build/server/start.server.js)
// on plain Node. Running the TypeScript through tsx cost the server about 70 MB of memory.
import { buildIfNeeded } from './build.mjs'

buildIfNeeded()
await import('../../build/server/start.server.js')
