// `npm run drill:crash -- --cycles 100 [--clients 16] [--seed N]`: submits responses through the
// real form from concurrent clients while the whole server (npm start's supervisor and the
// server it runs) is killed with SIGKILL at random moments and started again; every submission
// cut off by a kill is sent again with the same key and fields. Afterwards the database must
// hold every acknowledged response exactly once, under the tracking number its receipt gave.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { openDatabase, openSqlite } from '#db/connection.ts'
import { catchUpSearchIndex } from '#app/models/search-index.server.ts'
import { type PortalProcess, freePort, launchPortal } from '#tests/drills/portal-process.ts'
import {
  type DrillSubmission,
  type RespondPage,
  drillResponse,
  readRespondPage,
  seededRandom,
} from '#tests/drills/response-fields.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
/** The demo round, open whenever the demo seed runs. */
const SLUG = 'surveillance-technology-controls-2026'
const RESPOND_PATH = `/consultations/${SLUG}/respond`
const RECEIPT = /^\/responses\/(CMT-[0-9A-Z-]+)\?key=[^&]+&receipt=1$/
/** Both FTS5 tables of the search index (app/models/search-index.server.ts). */
const FTS_TABLES = ['response_fts', 'response_fts_cjk'] as const
/** Far beyond any answer under this load: a request this slow means a server that hangs. */
const REQUEST_TIMEOUT_MS = 30_000
/** Sends of one submission before the drill gives it up as refused. */
const MAX_ATTEMPTS = 30
/** Acknowledged submissions sent again after each restart, to compare their receipts. */
const RECHECKS_PER_RESTART = 2
const PROBLEMS_KEPT = 20

export interface CrashDrillCounts {
  cycles: number
  clients: number
  seed: number
  /** Submissions with a key of their own, each sent once or more. */
  sent: number
  /** Distinct submission keys that got a receipt. */
  acknowledged: number
  /** Acknowledged and in `responses` under the receipt's tracking number. */
  found: number
  lost: number
  /** Keys with more than one response, plus tracking numbers given for two keys. */
  duplicated: number
  /** Submissions cut off by a kill and sent again with the same key and fields. */
  retriedAfterKill: number
  /** Of those, the ones the killed server had stored: the retry got the earlier receipt. */
  storedBeforeKill: number
  /** Submissions being sent at the moments of the kills, summed over the kills. */
  inFlightAtKill: number
  /** Acknowledged submissions sent again after a restart: the receipt must not change. */
  receiptsRechecked: number
  receiptsChanged: number
  /** Private links opened after a restart; each must still open its response. */
  privateLinksOpened: number
  privateLinksFailed: number
  /** Valid submissions answered with anything but a receipt (an error page, a 500 ...). */
  refused: number
  /** Found, but missing from the search index or campaigns, or without its attachment. */
  incomplete: number
  /** Found responses in a campaign, in the trigram index, with an attachment (coverage only). */
  inCampaigns: number
  inCjkIndex: number
  withAttachments: number
  /** Requests that timed out, and connection errors while no kill was under way. */
  timeouts: number
  connectionErrors: number
  /** Files staged by requests a kill cut off: swept an hour later, not an error. */
  stagedFilesLeft: number
  /** The last server checkpointed and closed its database after SIGTERM (no WAL left). */
  cleanStop: boolean
  /** Notes of search_queue the stopped server left for its indexer (indexed before the checks). */
  indexedAfterStop: number
  integrityCheck: string
  ftsIntegrity: Record<string, string>
  /** Whether the whole server was ready again after each kill, in seconds: mean and max. */
  restartSeconds: { mean: number; max: number }
  seconds: number
  /** Nothing lost, duplicated, changed, refused or incomplete, and both integrity checks ok. */
  ok: boolean
  problems: string[]
  /** Findings that do not fail the drill (an unclean stop: see cleanStop). */
  warnings: string[]
}

class NetworkError extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message)
  }
}

interface Answer {
  status: number
  location: string | null
  body: string
}

interface Acknowledged {
  submission: DrillSubmission
  tracking: string
  location: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const round2 = (n: number) => Math.round(n * 100) / 100

/** Whether a server is up to send to, and which one: each start after a kill is a new one. */
function serverState() {
  let generation = 0
  let down = true
  let wake: () => void = () => {}
  let up = new Promise<void>((resolve) => (wake = resolve))
  const killedAt = new Map<number, number>()
  return {
    get generation() {
      return generation
    },
    /** When the server of that generation was killed (ms since the epoch). */
    killedAt: (of: number) => killedAt.get(of),
    get down() {
      return down
    },
    whenUp: () => up,
    markUp() {
      generation++
      down = false
      wake()
    },
    markDown() {
      down = true
      killedAt.set(generation, Date.now())
      up = new Promise<void>((resolve) => (wake = resolve))
    },
  }
}

/**
 * Runs the crash drill against a server of its own (database under tests/.tmp/, removed
 * afterwards) and returns what it counted. The server is built by `npm start` if needed.
 */
export async function runCrashDrill({
  cycles = 10,
  clients = 16,
  seed = Math.floor(Math.random() * 2 ** 31),
  log = (line: string) => console.log(line),
}: {
  cycles?: number
  clients?: number
  seed?: number
  log?: (line: string) => void
} = {}): Promise<CrashDrillCounts> {
  const startedAt = performance.now()
  const random = seededRandom(seed)
  const dir = path.join(root, 'tests/.tmp')
  mkdirSync(dir, { recursive: true })
  const name = `drill-crash-${randomUUID()}`
  const databasePath = path.join(dir, `${name}.sqlite`)
  const outbox = path.join(dir, `${name}-outbox`)
  const removeFiles = () => {
    removeDatabaseFiles(databasePath)
    rmSync(outbox, { recursive: true, force: true })
  }
  process.once('exit', removeFiles)

  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: databasePath,
    DEMO_SEED: 'true',
    // Private links are an HMAC with this secret: they must survive every restart.
    SESSION_SECRET: 'crash-drill-secret-not-for-production',
    SUBMIT_RATE_LIMIT: '100000000',
    MAIL_OUTBOX: outbox,
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 4 })
  const server = serverState()
  const counts: CrashDrillCounts = {
    cycles,
    clients,
    seed,
    sent: 0,
    acknowledged: 0,
    found: 0,
    lost: 0,
    duplicated: 0,
    retriedAfterKill: 0,
    storedBeforeKill: 0,
    inFlightAtKill: 0,
    receiptsRechecked: 0,
    receiptsChanged: 0,
    privateLinksOpened: 0,
    privateLinksFailed: 0,
    refused: 0,
    incomplete: 0,
    inCampaigns: 0,
    inCjkIndex: 0,
    withAttachments: 0,
    timeouts: 0,
    connectionErrors: 0,
    stagedFilesLeft: 0,
    cleanStop: false,
    indexedAfterStop: 0,
    integrityCheck: 'not run',
    ftsIntegrity: {},
    restartSeconds: { mean: 0, max: 0 },
    seconds: 0,
    ok: false,
    problems: [],
    warnings: [],
  }
  const problem = (text: string) => {
    if (counts.problems.length < PROBLEMS_KEPT) counts.problems.push(text)
  }
  const receipts = new Map<string, Acknowledged>()
  /** Submissions cut off by a kill, and when it came. */
  const cutOffAt = new Map<string, number>()
  let inFlight = 0
  let stopping = false

  const send = (method: 'GET' | 'POST', target: string, body?: DrillSubmission): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = body
        ? {
            'Content-Type': body.contentType,
            'Content-Length': String(body.body.length),
            Origin: origin,
          }
        : {}
      const request = http.request(
        { host: '127.0.0.1', port, method, path: target, headers, agent },
        (response) => {
          const status = response.statusCode ?? 0
          const location = response.headers.location ?? null
          response.on('error', (error) => reject(new NetworkError(error.message)))
          // A browser follows a redirect as soon as its headers arrive: so is a receipt taken.
          if (status === 302) {
            resolve({ status, location, body: '' })
            response.resume()
            return
          }
          let text = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => (text += chunk))
          response.on('end', () => resolve({ status, location, body: text }))
          response.on('close', () => {
            if (!response.complete) reject(new NetworkError('response cut off'))
          })
        },
      )
      request.setTimeout(REQUEST_TIMEOUT_MS, () =>
        request.destroy(new NetworkError('timed out', true)),
      )
      request.on('error', (error) =>
        reject(error instanceof NetworkError ? error : new NetworkError(error.message)),
      )
      request.end(body?.body)
    })

  /** GETs a path until some server answers it (a kill cuts a request off: wait and ask again). */
  const get = async (target: string): Promise<Answer | null> => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await server.whenUp()
      const generation = server.generation
      try {
        return await send('GET', target)
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        if (error.timedOut) counts.timeouts++
        else if (!server.down && server.generation === generation) counts.connectionErrors++
      }
    }
    problem(`GET ${target}: no answer in ${MAX_ATTEMPTS} attempts`)
    return null
  }

  /**
   * Sends a submission until it gets an answer from a server that lived to give it; the same
   * bytes each time. Returns the receipt's address, or null if the submission was refused.
   */
  const deliver = async (submission: DrillSubmission, first: boolean): Promise<string | null> => {
    let retried = false
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await server.whenUp()
      const generation = server.generation
      let answer: Answer
      inFlight++
      try {
        answer = await send('POST', RESPOND_PATH, submission)
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        const killed = server.down || server.generation !== generation
        if (error.timedOut) counts.timeouts++
        else if (!killed) counts.connectionErrors++
        if (killed && first && !retried) {
          retried = true
          counts.retriedAfterKill++
          cutOffAt.set(submission.key, server.killedAt(generation) ?? Date.now())
        }
        continue
      } finally {
        inFlight--
      }
      if (answer.status === 302 && answer.location && RECEIPT.test(answer.location)) {
        return answer.location
      }
      counts.refused++
      problem(
        `POST ${submission.key}: ${answer.status} ${answer.location ?? ''} ${answer.body.slice(0, 300)}`,
      )
      return null
    }
    counts.refused++
    problem(`POST ${submission.key}: no answer in ${MAX_ATTEMPTS} attempts`)
    return null
  }

  /** One respondent after another: open the form, fill it in, send it until it is receipted. */
  const client = async () => {
    while (!stopping) {
      const page = await get(RESPOND_PATH)
      if (stopping) return
      if (!page || page.status !== 200) {
        counts.refused++
        problem(`GET ${RESPOND_PATH}: ${page?.status ?? 'no answer'}`)
        await sleep(200)
        continue
      }
      let form: RespondPage
      try {
        form = readRespondPage(page.body)
      } catch (error) {
        counts.refused++
        problem(String(error))
        await sleep(200)
        continue
      }
      const submission = drillResponse(random, form)
      counts.sent++
      const location = await deliver(submission, true)
      if (location) {
        const tracking = RECEIPT.exec(location)![1]!
        receipts.set(submission.key, { submission, tracking, location })
      }
    }
  }

  /** After a restart: receipts already given must come back the same, private links must open. */
  const recheck = async () => {
    const given = [...receipts.values()]
    for (let i = 0; i < RECHECKS_PER_RESTART && given.length > 0; i++) {
      const earlier = given[Math.floor(random() * given.length)]!
      const location = await deliver(earlier.submission, false)
      counts.receiptsRechecked++
      if (location !== earlier.location) {
        counts.receiptsChanged++
        problem(`${earlier.submission.key}: receipt ${earlier.location}, then ${location}`)
      }
      const page = await get(earlier.location.replace('&receipt=1', ''))
      counts.privateLinksOpened++
      if (page?.status !== 200 || !page.body.includes(earlier.tracking)) {
        counts.privateLinksFailed++
        problem(`private link of ${earlier.tracking}: ${page?.status ?? 'no answer'}`)
      }
    }
  }

  let portal: PortalProcess = launchPortal({ root, env })
  const restarts: number[] = []
  try {
    await portal.ready()
    server.markUp()
    log(`Crash drill: ${cycles} cycles, ${clients} clients, seed ${seed}, ${origin}`)
    // A client that fails (a bug of the drill, not a kill) ends the drill with its error.
    let failure: unknown = null
    const guarded = (work: Promise<void>) =>
      work.catch((error: unknown) => void (failure ??= error))
    const running = Array.from({ length: clients }, () => guarded(client()))
    const rechecks: Promise<void>[] = []
    for (let cycle = 1; cycle <= cycles && failure === null; cycle++) {
      const after = 300 + random() * 2700
      await sleep(after)
      server.markDown()
      const cutOff = inFlight
      const killedAt = performance.now()
      await portal.kill()
      portal = launchPortal({ root, env })
      await portal.ready()
      server.markUp()
      const back = (performance.now() - killedAt) / 1000
      restarts.push(back)
      counts.inFlightAtKill += cutOff
      log(
        `cycle ${cycle}/${cycles}: killed ${round2(after / 1000)} s after ready with ${cutOff} submissions in flight, ready again in ${round2(back)} s; ${receipts.size} acknowledged`,
      )
      rechecks.push(guarded(recheck()))
    }
    stopping = true
    await Promise.all([...running, ...rechecks])
    if (failure !== null) throw failure
    await portal.stop()
    // A server that closed its database left no write-ahead log behind.
    counts.cleanStop =
      portal.output().includes('Database checkpointed and closed.') &&
      !existsSync(`${databasePath}-wal`)
    if (!counts.cleanStop) {
      counts.warnings.push(
        `The last server did not checkpoint and close its database after SIGTERM to its process group:\n${portal.output().slice(-600)}`,
      )
    }
    // SQLite's words are written by the server's indexer thread from search_queue: what it had
    // not indexed when its server was killed or stopped is still queued, and is indexed here, as
    // the next server would, before each receipt is looked for in search.
    const catchUp = openDatabase(databasePath)
    try {
      counts.indexedAfterStop = await catchUpSearchIndex(catchUp)
    } finally {
      await catchUp.destroy()
    }
    Object.assign(counts, verify(databasePath, receipts, cutOffAt, problem))
  } finally {
    stopping = true
    server.markUp() // lets any client still waiting see that the drill is over
    await portal.kill().catch(() => {})
    agent.destroy()
    removeFiles()
    process.removeListener('exit', removeFiles)
  }
  counts.acknowledged = receipts.size
  counts.restartSeconds = {
    mean: round2(restarts.reduce((a, b) => a + b, 0) / Math.max(1, restarts.length)),
    max: round2(Math.max(0, ...restarts)),
  }
  counts.seconds = round2((performance.now() - startedAt) / 1000)
  counts.ok =
    counts.lost === 0 &&
    counts.duplicated === 0 &&
    counts.found === counts.acknowledged &&
    counts.receiptsChanged === 0 &&
    counts.privateLinksFailed === 0 &&
    counts.refused === 0 &&
    counts.incomplete === 0 &&
    counts.integrityCheck === 'ok' &&
    FTS_TABLES.every((t) => counts.ftsIntegrity[t] === 'ok')
  return counts
}

/** Reads the stopped server's database: every receipt against what was stored. */
function verify(
  databasePath: string,
  receipts: Map<string, Acknowledged>,
  cutOffAt: Map<string, number>,
  problem: (text: string) => void,
): Partial<CrashDrillCounts> {
  const db = openSqlite(databasePath)
  try {
    const byKey = db.prepare<
      [string],
      { id: number; tracking: string; cluster: number | null; submittedAt: string }
    >(
      `select r.id, r.tracking_number as tracking, m.cluster_id as cluster,
         r.submitted_at as submittedAt
       from responses r
       join consultations c on c.id = r.consultation_id
       left join campaign_members m on m.consultation_id = r.consultation_id
         and m.generation = c.campaign_generation and m.response_id = r.id
       where r.idempotency_key = ?`,
    )
    const searched = db.prepare<[string], { id: number }>(
      'select rowid as id from response_fts where response_fts match ?',
    )
    const inCjk = db.prepare<[number], { one: number }>(
      'select 1 as one from response_fts_cjk where rowid = ?',
    )
    const signed = db.prepare<[number], { one: number }>(
      'select 1 as one from response_signatures where response_id = ?',
    )
    const files = db.prepare<[number], { n: number }>(
      `select count(*) as n from attachments a join file_blobs b on b.id = a.blob_id
       where a.response_id = ? and b.state = 'stored'`,
    )
    const counts = {
      found: 0,
      lost: 0,
      duplicated: 0,
      incomplete: 0,
      inCampaigns: 0,
      inCjkIndex: 0,
      withAttachments: 0,
      storedBeforeKill: 0,
    }
    const keyOfTracking = new Map<string, string>()
    for (const [key, receipt] of receipts) {
      const other = keyOfTracking.get(receipt.tracking)
      if (other !== undefined) {
        counts.duplicated++
        problem(`${receipt.tracking} was given for ${other} and for ${key}`)
      }
      keyOfTracking.set(receipt.tracking, key)
      const row = byKey.all(key).find((r) => r.tracking === receipt.tracking)
      if (!row) {
        counts.lost++
        problem(`${key}: receipt ${receipt.tracking}, no such response`)
        continue
      }
      counts.found++
      const hits = searched.all(`"${receipt.submission.marker}"`).map((h) => h.id)
      const attached = files.get(row.id)?.n ?? 0
      if (
        hits.length !== 1 ||
        hits[0] !== row.id ||
        !signed.get(row.id) ||
        attached !== receipt.submission.attachments
      ) {
        counts.incomplete++
        problem(
          `${receipt.tracking}: search hits ${JSON.stringify(hits)}, signature ${Boolean(signed.get(row.id))}, files ${attached}/${receipt.submission.attachments}`,
        )
      }
      if (row.cluster !== null) counts.inCampaigns++
      if (inCjk.get(row.id)) counts.inCjkIndex++
      if (attached > 0) counts.withAttachments++
      const cutOff = cutOffAt.get(key)
      // Written by the server that was killed: its retry was answered with the earlier receipt.
      if (cutOff !== undefined && row.submittedAt < new Date(cutOff).toISOString()) {
        counts.storedBeforeKill++
      }
    }
    // Over every key, receipted or not: the unique index should make this impossible.
    const twice = db
      .prepare<[], { key: string; n: number }>(
        `select idempotency_key as key, count(*) as n from responses
         where idempotency_key is not null group by idempotency_key having count(*) > 1`,
      )
      .all()
    for (const { key, n } of twice) problem(`${key}: ${n} responses`)
    counts.duplicated += twice.length
    const integrity = db
      .prepare<[], { integrity_check: string }>('pragma integrity_check')
      .all()
      .map((r) => r.integrity_check)
      .join('; ')
    const ftsIntegrity: Record<string, string> = {}
    for (const table of FTS_TABLES) {
      try {
        db.prepare(`insert into ${table}(${table}) values ('integrity-check')`).run()
        ftsIntegrity[table] = 'ok'
      } catch (error) {
        ftsIntegrity[table] = error instanceof Error ? error.message : String(error)
      }
    }
    const staged = db
      .prepare<[], { n: number }>(`select count(*) as n from file_blobs where state = 'staged'`)
      .get()!.n
    return { ...counts, integrityCheck: integrity, ftsIntegrity, stagedFilesLeft: staged }
  } finally {
    db.close()
  }
}

function printReport(counts: CrashDrillCounts): void {
  const rows: [string, string | number][] = [
    ['acknowledged (keys with a receipt)', counts.acknowledged],
    ['found under their tracking number', counts.found],
    ['lost', counts.lost],
    ['duplicated', counts.duplicated],
    ['retried after a kill', counts.retriedAfterKill],
    ['  of which stored before the kill', counts.storedBeforeKill],
    ['in flight at the kills', counts.inFlightAtKill],
    ['receipts rechecked / changed', `${counts.receiptsRechecked} / ${counts.receiptsChanged}`],
    [
      'private links opened / failed',
      `${counts.privateLinksOpened} / ${counts.privateLinksFailed}`,
    ],
    ['refused', counts.refused],
    ['incomplete (search, campaign, files)', counts.incomplete],
    [
      'in campaigns / trigram index / with files',
      `${counts.inCampaigns} / ${counts.inCjkIndex} / ${counts.withAttachments}`,
    ],
    ['timeouts / connection errors', `${counts.timeouts} / ${counts.connectionErrors}`],
    ['staged files left (swept after 1 h)', counts.stagedFilesLeft],
    [
      'restart after a kill, mean / max (s)',
      `${counts.restartSeconds.mean} / ${counts.restartSeconds.max}`,
    ],
    ['clean stop after SIGTERM', counts.cleanStop ? 'yes' : 'no'],
    ['left to index at the stop (indexed before checking)', counts.indexedAfterStop],
    ['PRAGMA integrity_check', counts.integrityCheck],
    ...FTS_TABLES.map((t): [string, string] => [
      `FTS5 integrity-check ${t}`,
      counts.ftsIntegrity[t] ?? '',
    ]),
    ['seconds', counts.seconds],
  ]
  for (const [label, value] of rows) console.log(`${label.padEnd(44)} ${value}`)
  for (const text of counts.problems) console.log(`problem: ${text}`)
  for (const text of counts.warnings) console.log(`warning: ${text}`)
  console.log(counts.ok ? 'Crash drill passed.' : 'Crash drill FAILED.')
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href

if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      cycles: { type: 'string', default: '10' },
      clients: { type: 'string', default: '16' },
      seed: { type: 'string' },
    },
  })
  const number = (name: string, value: string | undefined) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`)
    return n
  }
  // The servers run in process groups of their own: Ctrl-C must not leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
  runCrashDrill({
    cycles: number('cycles', values.cycles),
    clients: number('clients', values.clients),
    seed: values.seed === undefined ? undefined : number('seed', values.seed),
  }).then(
    (counts) => {
      printReport(counts)
      console.log(JSON.stringify(counts))
      process.exitCode = counts.ok ? 0 : 1
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    },
  )
}
