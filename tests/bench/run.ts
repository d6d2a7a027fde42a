// `npm run bench` (BENCH_RESPONSES, default 100,000) or `npm run bench -- --full` (1,000,000).
// Builds a synthetic round, measures a minimal baseline server and the real
// portal on this machine in the same run, and prints a table and one line of JSON.
//
// `--database postgres://…` measures the same round on PostgreSQL too, after SQLite: copied
// (db/copy.ts) into a schema of its own that the run drops at the end, then the in-process
// phases, then the portal over HTTP with one app server and with two on the same schema, the
// load spread across both as a proxy would. The baseline stays SQLite's, measured once: each
// configuration's ratios are to the same baseline.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { openDatabase, openSqlite } from '#db/connection.ts'
import { copyDatabase } from '#db/copy.ts'
import { isPostgresUrl, openPostgres } from '#db/postgres.ts'
import { startCommand } from '#tests/helpers/start-command.ts'
import { type BenchSchema, createBenchSchema, vacuumAnalyze } from './bench-schema.ts'
import { generator } from './generate.ts'
import { quantile, runLoad } from './http-load.ts'
import { inProcessPhases } from './in-process.ts'
import { type Figures, figureTable, prefixed, round2 } from './report.ts'
import { runUploadPhase } from './uploads.ts'
import { type PortalRound, loadBaselineDb, loadPortalDb } from './load-db.ts'

const USAGE = `Usage: npm run bench -- [--full] [--database postgres://USER@HOST:PORT/DATABASE] [--keep-schema]

  --full          1,000,000 responses (otherwise BENCH_RESPONSES, default 100,000)
  --database URL  measure PostgreSQL too, in a schema bench_<ms> of that database
  --keep-schema   leave that schema in place at the end (its URL is printed), to examine plans`

function readOptions(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        full: { type: 'boolean', default: false },
        database: { type: 'string' },
        'keep-schema': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    })
    if (values.database !== undefined && !isPostgresUrl(values.database)) {
      throw new Error('--database must be a postgres:// or postgresql:// URL.')
    }
    return { full: values.full, database: values.database, keepSchema: values['keep-schema'] }
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    process.exit(1)
  }
}

const options = readOptions(process.argv.slice(2))
const root = path.resolve(import.meta.dirname, '../..')
const N = options.full ? 1_000_000 : Number(process.env.BENCH_RESPONSES ?? 100_000)
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 5000)
const CONCURRENCY = 50
const PAGE_SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 5)
/** Responses sent at once with every file at its largest (10 × 10 MB each). */
const UPLOAD_CLIENTS = Number(process.env.BENCH_UPLOAD_CLIENTS ?? 24)
const dir = path.join(root, 'tests/.tmp', `bench-${Date.now()}`)
mkdirSync(dir, { recursive: true })
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)

/** Where a configuration's portal keeps its data. */
type Target = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string }
interface Baseline {
  submitRps: number
  pageRps: number
}

/** Servers started and not yet stopped, stopped on the way out whatever happens. */
const running = new Set<ChildProcess>()
/** What each server started has printed so far. */
const outputs = new WeakMap<ChildProcess, () => string>()

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = []
  while (ports.length < count) {
    const port = await freePort()
    if (!ports.includes(port)) ports.push(port)
  }
  return ports
}

function start(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  ready: string,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.add(child)
    child.once('exit', () => running.delete(child))
    let out = ''
    outputs.set(child, () => out)
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`did not start:\n${out}`))
    }, 120_000)
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes(ready)) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited ${code}:\n${out}`))
    })
  })
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

/** The longest the server held its event loop while serving, from the line it prints at its stop. */
function eventLoopMaxMs(child: ChildProcess): number | null {
  const line = /Event loop delay while serving \(\d+ s\): max ([\d.]+) ms/.exec(
    outputs.get(child)?.() ?? '',
  )
  return line ? Number(line[1]) : null
}

/** Peak resident memory (VmHWM) of a process and its descendants, in MB. */
function peakRssMb(pid: number): number {
  let peak = 0
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
      peak = Math.max(peak, kb / 1024)
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8')
          .split(' ')
          .filter(Boolean))
          visit(Number(child))
      }
    } catch {
      // The process may be gone, or /proc not there (not Linux).
    }
  }
  visit(pid)
  return round2(peak)
}

/** Resident memory now (VmRSS) of a process and its descendants, in MB. */
function currentRssMb(pid: number): number {
  let total = 0
  const visit = (p: number) => {
    try {
      total = Math.max(
        total,
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      )
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8')
          .split(' ')
          .filter(Boolean))
          visit(Number(child))
      }
    } catch {
      // Gone, or not Linux.
    }
  }
  visit(pid)
  return round2(total)
}

function multipart(fields: Record<string, string>) {
  const boundary = `----bench${randomUUID()}`
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    type: `multipart/form-data; boundary=${boundary}`,
  }
}

/** The minimal server the portal's ratios are to, on SQLite: submissions and a page. */
async function baselinePhase(figures: Figures): Promise<Baseline> {
  const baselineDb = path.join(dir, 'baseline.sqlite')
  loadBaselineDb(baselineDb, N, generator(2026).next)
  const [baselinePort] = await freePorts(1)
  const baseline = await start(
    path.join(root, 'node_modules/.bin/tsx'),
    ['tests/bench/baseline-server.tsx', baselineDb, String(baselinePort)],
    {},
    'baseline ready',
  )
  try {
    const bodyGen = generator(7)
    const baseSubmit = await runLoad({
      ports: [baselinePort!],
      concurrency: CONCURRENCY,
      total: SUBMISSIONS,
      request: () => ({
        method: 'POST',
        path: '/submit',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(
          new URLSearchParams({ author: 'Bench', body: bodyGen.next().body }).toString(),
        ),
      }),
    })
    figures.baseline_submit_rps = Math.round(baseSubmit.ok / (baseSubmit.elapsedMs / 1000))
    const basePage = await runLoad({
      ports: [baselinePort!],
      concurrency: CONCURRENCY,
      durationMs: PAGE_SECONDS * 1000,
      request: () => ({ method: 'GET', path: '/' }),
    })
    figures.baseline_page_rps = Math.round(basePage.ok / (basePage.elapsedMs / 1000))
  } finally {
    await stop(baseline)
  }
  log(
    `baseline: ${figures.baseline_submit_rps} submissions/s, ${figures.baseline_page_rps} pages/s`,
  )
  return {
    submitRps: figures.baseline_submit_rps as number,
    pageRps: figures.baseline_page_rps as number,
  }
}

/**
 * The portal over HTTP, started as `npm start` starts it, in production mode: `servers`
 * processes on the one database (several only on PostgreSQL), the load spread across them.
 * Memory figures are the largest server's.
 */
async function portalPhases({
  target,
  servers,
  round,
  baseline,
  say,
}: {
  target: Target
  servers: number
  round: PortalRound
  baseline: Baseline
  say: typeof log
}): Promise<Figures> {
  const figures: Figures = {}
  const ports = await freePorts(servers)
  const origin = `http://127.0.0.1:${ports[0]}`
  // What a proxy forwards to each server: the Host the browser sent, the public one (Remix
  // refuses an action whose Origin is not its Host, whatever PUBLIC_URL says).
  const host = new URL(origin).host
  const npmStart = startCommand(root)
  const env = {
    HOST: '127.0.0.1',
    ...(target.engine === 'sqlite'
      ? { DATABASE_PATH: target.file, DATABASE_URL: undefined }
      : { DATABASE_URL: target.url }),
    // Behind a proxy every server is told the one public origin (the first server's stands in
    // for the proxy's), which browsers then send as Origin to each of them.
    ...(servers > 1 ? { PUBLIC_URL: origin } : {}),
    SESSION_SECRET: 'bench-secret',
    DEMO_SEED: 'true',
    SUBMIT_RATE_LIMIT: '100000000',
    API_RATE_LIMIT: '100000000',
    MAIL_OUTBOX: path.join(dir, 'outbox'),
    LOG_EVENT_LOOP: 'true',
  }
  // BENCH_SERVER_NODE_FLAGS: Node's flags for the servers, such as `--cpu-prof
  // --cpu-prof-dir=DIR` to find what held their thread (not allowed in NODE_OPTIONS).
  const nodeFlags =
    npmStart.command === process.execPath
      ? (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)
      : []
  const portals: ChildProcess[] = []
  /** When each phase began (ms since the epoch), to tell which held the event loop. */
  const phases: { name: string; at: number }[] = []
  const rss = () => Math.max(...portals.map((p) => currentRssMb(p.pid!)))
  try {
    // One after the other: the first prepares the database, and a source changed meanwhile
    // (`npm start` rebuilds then) is not built by two at once.
    for (const port of ports) {
      portals.push(
        await start(
          npmStart.command,
          [...nodeFlags, ...npmStart.args],
          { ...env, PORT: String(port) },
          'Consultation portal ready at',
        ),
      )
    }

    const mark = (name: string) => phases.push({ name, at: Date.now() })
    mark('submit')
    const keys: string[] = []
    const submitGen = generator(11)
    const submit = await runLoad({
      ports,
      concurrency: CONCURRENCY,
      total: SUBMISSIONS,
      ok: (s) => s === 302,
      request: (i) => {
        const r = submitGen.next()
        keys[i] = randomUUID()
        const { body, type } = multipart({
          submissionKey: keys[i]!,
          respondentType: r.respondentType,
          organisation: r.respondentType === 'individual' ? '' : 'Bench Organisation',
          country: r.country,
          publication: r.publication,
          'scopes[0].controlId': '',
          'scopes[1].controlId': String(round.controlIds[r.control]),
          'scopes[1].position': r.position,
          'scopes[1].body': r.body,
        })
        return {
          method: 'POST',
          path: `/consultations/${round.slug}/respond`,
          headers: { 'Content-Type': type, Origin: origin, Host: host },
          body,
        }
      },
    })
    figures.rss_after_submit_mb = rss()
    figures.submit_rps = Math.round(submit.ok / (submit.elapsedMs / 1000))
    figures.submit_p50_ms = round2(quantile(submit.latencies, 0.5))
    figures.submit_p99_ms = round2(quantile(submit.latencies, 0.99))
    figures.submit_ratio = round2(figures.submit_rps / baseline.submitRps)
    figures.submit_failed = submit.failed
    const check =
      target.engine === 'sqlite' ? openDatabase(target.file) : openPostgres(target.url, { max: 1 })
    const acknowledged = keys.filter((_, i) => submit.answers[i])
    let stored = 0
    try {
      for (let i = 0; i < acknowledged.length; i += 500) {
        const rows = await check
          .selectFrom('responses')
          .where('idempotency_key', 'in', acknowledged.slice(i, i + 500))
          .select('id')
          .execute()
        stored += rows.length
      }
    } finally {
      await check.destroy()
    }
    figures.submit_missing = acknowledged.length - stored
    say(
      `portal submissions: ${figures.submit_rps}/s (${figures.submit_ratio}× baseline), p50 ${figures.submit_p50_ms} ms, p99 ${figures.submit_p99_ms} ms, ${figures.submit_missing} acknowledged missing`,
    )

    mark('pages')
    const page = await runLoad({
      ports,
      concurrency: CONCURRENCY,
      durationMs: PAGE_SECONDS * 1000,
      request: () => ({
        method: 'GET',
        path: `/consultations/${round.slug}`,
        headers: { Host: host },
      }),
    })
    figures.page_rps = Math.round(page.ok / (page.elapsedMs / 1000))
    figures.page_p99_ms = round2(quantile(page.latencies, 0.99))
    figures.page_ratio = round2(figures.page_rps / baseline.pageRps)
    const api = await runLoad({
      ports,
      concurrency: CONCURRENCY,
      durationMs: PAGE_SECONDS * 1000,
      request: () => ({
        method: 'GET',
        path: `/api/v1/consultations/${round.slug}/comments`,
        headers: { Host: host },
      }),
    })
    figures.rss_after_pages_mb = rss()
    figures.api_rps = Math.round(api.ok / (api.elapsedMs / 1000))
    figures.api_p99_ms = round2(quantile(api.latencies, 0.99))
    say(
      `portal pages: round page ${figures.page_rps}/s (${figures.page_ratio}× baseline, p99 ${figures.page_p99_ms} ms), API ${figures.api_rps}/s (p99 ${figures.api_p99_ms} ms)`,
    )

    // Exports, through HTTP as an official downloads them (from the first server: one download
    // is one server's work however many there are).
    const signin = await fetch(`${origin}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'official@example.org',
        password: 'official-demo-password',
      }),
    })
    const cookie = (signin.headers.get('set-cookie') ?? '').split(';')[0]!
    const official = { Origin: origin, Cookie: cookie }

    mark('analysis')
    // The officials' analysis page, one request at a time as an official reads it, a quarter of
    // a second apart: each time its kept statistics expire, one of them counts again.
    const analysisTimes: number[] = []
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now()
      const answer = await fetch(`${origin}/manage/rounds/${round.roundId}/analysis`, {
        headers: official,
      })
      await answer.arrayBuffer()
      if (answer.status !== 200) throw new Error(`the analysis page answered ${answer.status}`)
      analysisTimes.push(performance.now() - t0)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    figures.analysis_page_p50_ms = round2(quantile(analysisTimes, 0.5))
    figures.analysis_page_p95_ms = round2(quantile(analysisTimes, 0.95))
    figures.analysis_page_max_ms = round2(Math.max(...analysisTimes))
    say(
      `analysis page: p50 ${figures.analysis_page_p50_ms} ms, p95 ${figures.analysis_page_p95_ms} ms, worst ${figures.analysis_page_max_ms} ms`,
    )

    // Submissions while a full campaign rebuild runs as a job, as many at once as before.
    mark('rebuild')
    const rebuildAsked = performance.now()
    const asked = await fetch(`${origin}/manage/rounds/${round.roundId}/campaigns`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...official, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    const jobId = Number(/\/manage\/jobs\/(\d+)/.exec(asked.headers.get('location') ?? '')?.[1])
    const jobs =
      target.engine === 'sqlite' ? openDatabase(target.file) : openPostgres(target.url, { max: 1 })
    const duringRebuild: number[] = []
    /** The submissions' latencies by the rebuild's phase (its job's), to tell which costs them. */
    const byPhase = new Map<string, number[]>()
    let duringFailed = 0
    try {
      const jobRow = async () =>
        jobId
          ? ((await jobs
              .selectFrom('jobs')
              .where('id', '=', jobId)
              .select(['state', 'phase'])
              .executeTakeFirst()) ?? { state: 'missing', phase: null })
          : { state: 'succeeded', phase: null }
      const jobState = async () => (await jobRow()).state
      for (
        let row = await jobRow();
        ['queued', 'running'].includes(row.state);
        row = await jobRow()
      ) {
        const during = await runLoad({
          ports,
          concurrency: CONCURRENCY,
          durationMs: 2000,
          ok: (status) => status === 302,
          request: () => {
            const r = submitGen.next()
            const { body, type } = multipart({
              submissionKey: randomUUID(),
              respondentType: r.respondentType,
              organisation: r.respondentType === 'individual' ? '' : 'Bench Organisation',
              country: r.country,
              publication: r.publication,
              'scopes[0].controlId': '',
              'scopes[1].controlId': String(round.controlIds[r.control]),
              'scopes[1].position': r.position,
              'scopes[1].body': r.body,
            })
            return {
              method: 'POST',
              path: `/consultations/${round.slug}/respond`,
              headers: { 'Content-Type': type, Origin: origin, Host: host },
              body,
            }
          },
        })
        duringRebuild.push(...during.latencies)
        duringFailed += during.failed
        // Counted in the phase the job was in as the window began.
        const phase = row.phase ?? row.state
        byPhase.set(phase, [...(byPhase.get(phase) ?? []), ...during.latencies])
      }
      const finished = await jobState()
      if (finished !== 'succeeded') throw new Error(`the rebuild job ended ${finished}`)
    } finally {
      await jobs.destroy()
    }
    figures.rebuild_job_s = round2((performance.now() - rebuildAsked) / 1000)
    figures.rebuild_submissions = duringRebuild.length
    figures.rebuild_submit_failed = duringFailed
    figures.rebuild_submit_p50_ms = round2(quantile(duringRebuild, 0.5))
    figures.rebuild_submit_p99_ms = round2(quantile(duringRebuild, 0.99))
    figures.rebuild_submit_p99_ratio = round2(
      figures.rebuild_submit_p99_ms / (figures.submit_p99_ms as number),
    )
    say(
      `rebuild: submissions' p99 by its phase: ${[...byPhase].map(([phase, times]) => `${phase} ${round2(quantile(times, 0.99))} ms (${times.length})`).join(', ')}`,
    )
    say(
      `rebuild as a job: ${figures.rebuild_job_s} s; ${duringRebuild.length} submissions meanwhile, p99 ${figures.rebuild_submit_p99_ms} ms (${figures.rebuild_submit_p99_ratio}× their p99 without one), ${duringFailed} failed`,
    )

    // Downloaded with node:http, as the load tests send: fetch's web streams cost the client about
    // 1.6 times the CPU per byte (381 against 608 MB/s here from a bare server), CPU the server
    // shares on this machine.
    // A large round's export is a job: the POST answers with its page, the file comes from the
    // job's download once it is done. Timed from the POST to the file's last byte.
    const jobsDb =
      target.engine === 'sqlite' ? openDatabase(target.file) : openPostgres(target.url, { max: 1 })
    const fetchFile = (
      method: 'GET' | 'POST',
      url: string,
      body?: string,
    ): Promise<{ status: number; location: string | null; bytes: number; lines: number }> =>
      new Promise((resolve, reject) => {
        const request = http.request(
          url,
          {
            method,
            headers: {
              Origin: origin,
              Cookie: cookie,
              ...(body === undefined
                ? {}
                : {
                    'Content-Type': 'application/x-www-form-urlencoded',
                    'Content-Length': Buffer.byteLength(body),
                  }),
            },
          },
          (response) => {
            let bytes = 0
            let lines = 0
            response.on('data', (chunk: Buffer) => {
              bytes += chunk.length
              // indexOf scans natively: a loop over every byte of a 1.5 GB export would slow the client.
              for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
            })
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                location: response.headers.location ?? null,
                bytes,
                lines,
              }),
            )
            response.on('error', reject)
          },
        )
        request.on('error', reject)
        request.end(body)
      })
    const download = async (format: string, full = false) => {
      const t0 = performance.now()
      const body = new URLSearchParams({ format, ...(full ? { full: 'yes' } : {}) }).toString()
      let answer = await fetchFile('POST', `${origin}/manage/rounds/${round.roundId}/export`, body)
      const jobId = Number(/\/manage\/jobs\/(\d+)/.exec(answer.location ?? '')?.[1])
      if (answer.status === 302 && jobId) {
        for (;;) {
          const row = await jobsDb
            .selectFrom('jobs')
            .where('id', '=', jobId)
            .select('state')
            .executeTakeFirst()
          if (row?.state === 'succeeded') break
          if (!row || !['queued', 'running'].includes(row.state)) {
            throw new Error(`the ${format} export's job ended ${row?.state}`)
          }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        answer = await fetchFile('GET', `${origin}/manage/jobs/${jobId}/download`)
      }
      if (answer.status !== 200) throw new Error(`the ${format} export answered ${answer.status}`)
      return { seconds: (performance.now() - t0) / 1000, bytes: answer.bytes, lines: answer.lines }
    }
    mark('exports')
    const csv = await download('csv', true)
    figures.csv_rows = csv.lines - 1
    figures.csv_rows_per_s = Math.round((csv.lines - 1) / csv.seconds)
    figures.rss_after_csv_mb = rss()
    const pdf = await download('pdf')
    figures.pdf_s = round2(pdf.seconds)
    await jobsDb.destroy()

    // Maximum-size submissions at once: files go to the database in pieces as they arrive, and
    // those past the memory budget are told to retry, so the server's memory stays put.
    mark('uploads')
    let uploadPeak = 0
    const sampler = setInterval(() => {
      uploadPeak = Math.max(uploadPeak, rss())
    }, 100)
    const uploads = await runUploadPhase({
      ports,
      origin,
      path: `/consultations/${round.slug}/respond`,
      fields: {
        respondentType: 'ngo',
        organisation: 'Bench Upload Organisation',
        country: 'NO',
        publication: 'named',
        'scopes[0].controlId': '',
        'scopes[0].position': 'support',
        'scopes[0].body': 'A response with every file at its largest.',
      },
      clients: UPLOAD_CLIENTS,
      files: 10,
      fileBytes: 10 * 1024 * 1024 - 1024,
    }).finally(() => clearInterval(sampler))
    figures.upload_clients = UPLOAD_CLIENTS
    figures.upload_stored = uploads.stored
    figures.upload_busy_answers = uploads.busy
    figures.upload_failed = uploads.failed
    figures.upload_mb_per_s = round2(uploads.megabytes / uploads.seconds)
    figures.upload_peak_rss_mb = round2(uploadPeak)
    say(
      `uploads: ${uploads.stored} of ${UPLOAD_CLIENTS} responses of 10 × 10 MB stored (${uploads.busy} told to retry, ${uploads.failed} failed) at ${figures.upload_mb_per_s} MB/s; server RSS peak during them ${figures.upload_peak_rss_mb} MB`,
    )
    figures.peak_rss_mb = Math.max(...portals.map((p) => peakRssMb(p.pid!)))
    say(
      `exports: CSV ${figures.csv_rows_per_s} rows/s (${csv.bytes.toLocaleString('en')} bytes), PDF ${figures.pdf_s} s; server peak RSS ${figures.peak_rss_mb} MB`,
    )
  } finally {
    await Promise.all(portals.map(stop))
    // BENCH_SERVER_LOGS=DIR keeps what each server printed (with LOG_EVENT_LOOP's lines: the
    // seconds, statements and collections that held its thread), to find what held it.
    if (process.env.BENCH_SERVER_LOGS) {
      mkdirSync(process.env.BENCH_SERVER_LOGS, { recursive: true })
      portals.forEach((portal, i) =>
        writeFileSync(
          path.join(process.env.BENCH_SERVER_LOGS!, `${target.engine}-${servers}-${i}.log`),
          outputs.get(portal)?.() ?? '',
        ),
      )
    }
  }
  // The seconds in which a server held its event loop over 50 ms (its LOG_EVENT_LOOP lines),
  // each counted in the phase it ended in: lag_<phase>_max_ms.
  for (const { name } of phases) figures[`lag_${name}_max_ms`] = 0
  for (const portal of portals) {
    for (const line of (outputs.get(portal)?.() ?? '').split('\n')) {
      const held = /^(\S+) event loop held (\d+) ms/.exec(line)
      if (!held) continue
      const at = Date.parse(held[1]!)
      const phase = phases.filter((p) => p.at <= at).at(-1)
      if (!phase) continue
      const key = `lag_${phase.name}_max_ms`
      figures[key] = Math.max(figures[key] as number, Number(held[2]))
    }
  }
  say(
    `event loop held per phase (ms, worst second): ${phases.map((p) => `${p.name} ${figures[`lag_${p.name}_max_ms`]}`).join(', ')}`,
  )
  const lags = portals.map(eventLoopMaxMs).filter((ms): ms is number => ms !== null)
  if (lags.length) {
    figures.event_loop_max_lag_ms = Math.max(...lags)
    say(`event loop: held ${figures.event_loop_max_lag_ms} ms at most while serving`)
  }
  return figures
}

/** inProcessPhases on PostgreSQL, in a process of its own (see in-process.ts for why). */
async function inProcessOnPostgres(
  url: string,
  round: PortalRound,
  figures: Figures,
  say: typeof log,
): Promise<void> {
  const roundFile = path.join(dir, 'round.json')
  const out = path.join(dir, 'in-process-postgres.json')
  writeFileSync(roundFile, JSON.stringify(round))
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['tests/bench/in-process.ts', roundFile, url, out],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  running.add(child)
  createInterface({ input: child.stdout }).on('line', say)
  const [code] = (await once(child, 'exit')) as [number | null]
  running.delete(child)
  if (code !== 0) throw new Error(`The in-process phases on PostgreSQL exited ${code}.`)
  Object.assign(figures, JSON.parse(readFileSync(out, 'utf8')) as Figures)
}

/**
 * The same round on PostgreSQL: copied from SQLite's database as it was loaded (before any
 * phase wrote to it), then the in-process phases and the portal with one and two servers.
 */
async function postgresPhases({
  schema,
  snapshot,
  round,
  baseline,
}: {
  schema: BenchSchema
  snapshot: string
  round: PortalRound
  baseline: Baseline
}): Promise<{ one: Figures; two: Figures }> {
  const one: Figures = {}
  const say = (label: string) => (line: string) => log(`PostgreSQL, ${label}: ${line}`)
  let t = performance.now()
  const copy = await copyDatabase({
    from: snapshot,
    to: schema.url,
    log: (line) => log(`  copy: ${line}`),
  })
  if (!copy.ok) throw new Error('The copy to PostgreSQL did not verify: see its lines above.')
  one.copy_s = round2((performance.now() - t) / 1000)
  t = performance.now()
  await vacuumAnalyze(schema.url)
  one.vacuum_analyze_s = round2((performance.now() - t) / 1000)
  log(
    `copied to PostgreSQL (schema ${schema.name}) in ${one.copy_s} s, search index included; VACUUM (ANALYZE) ${one.vacuum_analyze_s} s`,
  )

  await inProcessOnPostgres(schema.url, round, one, say('in process'))
  const target: Target = { engine: 'postgres', url: schema.url }
  Object.assign(
    one,
    await portalPhases({ target, servers: 1, round, baseline, say: say('1 server') }),
  )
  const two = await portalPhases({ target, servers: 2, round, baseline, say: say('2 servers') })
  return { one, two }
}

async function main() {
  const started = performance.now()
  log(
    `Benchmark at ${N.toLocaleString('en')} responses on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
  )
  // Before anything long: a database that cannot be reached fails the run now.
  const schema = options.database ? await createBenchSchema(options.database) : null
  const cleanUp = async () => {
    await Promise.all([...running].map(stop))
    if (schema && !options.keepSchema) await schema.drop()
    rmSync(dir, { recursive: true, force: true })
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the servers and removing the run's data.`)
      void cleanUp().finally(() => process.exit(130))
    })
  }
  try {
    // npm run build: the app, the server and the migrations, as npm start runs them.
    spawnSync(process.execPath, [path.join(root, 'app/server/build.mjs')], {
      cwd: root,
      stdio: 'ignore',
    })

    // 1. The synthetic round.
    const portalDb = path.join(dir, 'portal.sqlite')
    const t = performance.now()
    const round = await loadPortalDb(portalDb, N, generator(2026).next)
    log(
      `loaded ${N.toLocaleString('en')} responses into the portal database in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
    // PostgreSQL starts from the round as loaded, as SQLite's phases do.
    const snapshot = path.join(dir, 'loaded.sqlite')
    if (schema) {
      const sqlite = openSqlite(portalDb)
      sqlite.prepare('vacuum into ?').run(snapshot)
      sqlite.close()
    }

    // 2-3. Clustering and search, in process.
    const sqliteFigures: Figures = { responses: N }
    const db = openDatabase(portalDb)
    try {
      await inProcessPhases(db, round, sqliteFigures, log)
    } finally {
      await db.destroy()
    }

    // 4. The baseline server; 5. the portal.
    const baseline = await baselinePhase(sqliteFigures)
    Object.assign(
      sqliteFigures,
      await portalPhases({
        target: { engine: 'sqlite', file: portalDb },
        servers: 1,
        round,
        baseline,
        say: log,
      }),
    )

    const pg = schema && (await postgresPhases({ schema, snapshot, round, baseline }))
    log(`whole run ${((performance.now() - started) / 1000).toFixed(0)} s`)
    // Without PostgreSQL, the table and the line of JSON are what they have always been.
    const columns = pg
      ? [
          { name: 'SQLite', figures: sqliteFigures },
          { name: 'PostgreSQL, 1 server', figures: pg.one },
          { name: 'PostgreSQL, 2 servers', figures: pg.two },
        ]
      : [{ name: 'value', figures: sqliteFigures }]
    console.log(`\n${figureTable(columns).join('\n')}`)
    console.log(
      JSON.stringify({
        ...sqliteFigures,
        ...(pg && { ...prefixed('pg1_', pg.one), ...prefixed('pg2_', pg.two) }),
      }),
    )
    if (schema && options.keepSchema) log(`\nThe schema is kept: ${schema.url}`)
  } finally {
    await cleanUp()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
