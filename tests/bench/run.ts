// `npm run bench` (BENCH_RESPONSES, default 100,000) or `npm run bench -- --full` (1,000,000).
// Builds a synthetic round, measures a minimal baseline server and the real
// portal on this machine in the same run, and prints a table and one line of JSON.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseSearch } from '#app/analysis/search-query.ts'
import { pairwisePrecisionRecall } from '#app/analysis/campaign-clusters.ts'
import { rebuildCampaigns, updateCampaigns } from '#app/models/campaigns.server.ts'
import { listQueue } from '#app/models/review.server.ts'
import { openDatabase } from '#db/connection.ts'
import { startCommand } from '#tests/helpers/start-command.ts'
import { generator } from './generate.ts'
import { quantile, runLoad } from './http-load.ts'
import { runUploadPhase } from './uploads.ts'
import { loadBaselineDb, loadPortalDb } from './load-db.ts'

const root = path.resolve(import.meta.dirname, '../..')
const full = process.argv.includes('--full')
const N = full ? 1_000_000 : Number(process.env.BENCH_RESPONSES ?? 100_000)
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 5000)
const CONCURRENCY = 50
const PAGE_SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 5)
/** Responses sent at once with every file at its largest (10 × 10 MB each). */
const UPLOAD_CLIENTS = Number(process.env.BENCH_UPLOAD_CLIENTS ?? 24)
const dir = path.join(root, 'tests/.tmp', `bench-${Date.now()}`)
mkdirSync(dir, { recursive: true })
const figures: Record<string, number | string> = { responses: N }
const log = (line: string) => console.log(line)
const round2 = (n: number) => Math.round(n * 100) / 100

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

function start(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 120_000)
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes(ready)) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)))
  })
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
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

async function main() {
  log(
    `Benchmark at ${N.toLocaleString('en')} responses on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
  )
  // npm run build: the app, the server and the migrations, as npm start runs them.
  spawnSync(process.execPath, [path.join(root, 'app/server/build.mjs')], {
    cwd: root,
    stdio: 'ignore',
  })

  // 1. The synthetic round.
  const portalDb = path.join(dir, 'portal.sqlite')
  let t = performance.now()
  const gen = generator(2026)
  const loaded = await loadPortalDb(portalDb, N, gen.next)
  log(
    `loaded ${N.toLocaleString('en')} responses into the portal database in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )

  // 2. Campaign clustering: a full rebuild, then the cost of one more response.
  const db = openDatabase(portalDb)
  t = performance.now()
  await rebuildCampaigns(db, { consultationId: loaded.roundId })
  const rebuildSeconds = (performance.now() - t) / 1000
  figures.cluster_rps = Math.round(N / rebuildSeconds)
  const clusterRows = await db
    .selectFrom('responses')
    .where('cluster_id', 'is not', null)
    .select(['id', 'cluster_id'])
    .execute()
  const found = new Map<number, number[]>()
  // Appended in place: copying the list at each member is quadratic in a campaign's size.
  const append = (map: Map<number, number[]>, key: number, id: number) => {
    const list = map.get(key)
    if (list) list.push(id)
    else map.set(key, [id])
  }
  for (const r of clusterRows) append(found, r.cluster_id!, r.id)
  const truth = new Map<number, number[]>()
  loaded.campaigns.forEach((c, i) => {
    if (c !== null) append(truth, c, loaded.ids[i]!)
  })
  const pr = pairwisePrecisionRecall([...found.values()], [...truth.values()])
  figures.cluster_precision = round2(pr.precision * 1000) / 1000
  figures.cluster_recall = round2(pr.recall * 1000) / 1000
  const extra = generator(99)
  const incremental: number[] = []
  // Each update runs inside the transaction that stores its response, as a submission runs it:
  // what it adds to that transaction, not a commit of its own per statement.
  for (let i = 0; i < 500; i++) {
    const r = extra.next()
    const now = new Date().toISOString()
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('responses')
        .values({
          consultation_id: loaded.roundId,
          tracking_number: `BENCH-${i}`,
          edit_token_hash: 'x',
          idempotency_key: null,
          user_id: null,
          respondent_type: r.respondentType,
          organisation: null,
          author_name: null,
          country: r.country,
          organisation_size: null,
          register_id: null,
          contact_name: null,
          contact_email: null,
          publication: r.publication,
          confidential: 0,
          confidential_justification: null,
          public_version: null,
          status: 'received',
          moderation_reason: null,
          is_late: 0,
          submitted_at: now,
          updated_at: now,
          published_at: null,
          withdrawn_at: null,
          confidential_decision: null,
          cluster_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('response_items')
        .values({
          response_id: id,
          control_id: loaded.controlIds[r.control]!,
          position: r.position,
          body: r.body,
        })
        .execute()
      const t0 = performance.now()
      await updateCampaigns(trx, { responseId: id, consultationId: loaded.roundId })
      incremental.push(performance.now() - t0)
    })
  }
  figures.cluster_incremental_ms = round2(quantile(incremental, 0.5))
  figures.cluster_incremental_mean_ms = round2(
    incremental.reduce((sum, ms) => sum + ms, 0) / incremental.length,
  )
  log(
    `clustering: rebuild ${figures.cluster_rps} responses/s, incremental ${figures.cluster_incremental_ms} ms, precision ${figures.cluster_precision}, recall ${figures.cluster_recall}`,
  )

  // 3. Search at full size, in process (the database work an official's search costs).
  const queries: [string, Record<string, unknown>][] = [
    ['common word', { q: 'surveillance' }],
    ['rare word', { q: 'harmonisation' }],
    ['phrase', { q: '"human rights"' }],
    ['prefix', { q: 'encrypt*' }],
    ['filtered', { q: 'spyware', respondentType: 'company', country: 'DK' }],
  ]
  let searchP95 = 0
  for (const [name, spec] of queries) {
    const parsed = parseSearch(String(spec.q))
    if (!parsed.ok) throw new Error(name)
    const times: number[] = []
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now()
      await listQueue(db, {
        consultationId: loaded.roundId,
        filters: {
          search: parsed,
          respondentType: spec.respondentType as never,
          country: spec.country as string | undefined,
        },
      })
      times.push(performance.now() - t0)
    }
    const p95 = quantile(times.slice(5), 0.95)
    figures[`search_${name.replace(' ', '_')}_p50_ms`] = round2(quantile(times.slice(5), 0.5))
    figures[`search_${name.replace(' ', '_')}_p95_ms`] = round2(p95)
    searchP95 = Math.max(searchP95, p95)
  }
  figures.search_p95_ms = round2(searchP95)
  log(`search: worst p95 ${figures.search_p95_ms} ms`)
  await db.destroy()

  // 4. The baseline server.
  const baselineDb = path.join(dir, 'baseline.sqlite')
  loadBaselineDb(baselineDb, N, generator(2026).next)
  const baselinePort = await freePort()
  const baseline = await start(
    path.join(root, 'node_modules/.bin/tsx'),
    ['tests/bench/baseline-server.tsx', baselineDb, String(baselinePort)],
    {},
    'baseline ready',
  )
  const bodyGen = generator(7)
  const baseSubmit = await runLoad({
    port: baselinePort,
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
    port: baselinePort,
    concurrency: CONCURRENCY,
    durationMs: PAGE_SECONDS * 1000,
    request: () => ({ method: 'GET', path: '/' }),
  })
  figures.baseline_page_rps = Math.round(basePage.ok / (basePage.elapsedMs / 1000))
  await stop(baseline)
  log(
    `baseline: ${figures.baseline_submit_rps} submissions/s, ${figures.baseline_page_rps} pages/s`,
  )

  // 5. The portal, started as `npm start` starts it, in production mode.
  const port = await freePort()
  const npmStart = startCommand(root)
  const portal = await start(
    npmStart.command,
    npmStart.args,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: portalDb,
      SESSION_SECRET: 'bench-secret',
      DEMO_SEED: 'true',
      SUBMIT_RATE_LIMIT: '100000000',
      API_RATE_LIMIT: '100000000',
      MAIL_OUTBOX: path.join(dir, 'outbox'),
    },
    'Consultation portal ready at',
  )
  const origin = `http://127.0.0.1:${port}`
  const keys: string[] = []
  const submitGen = generator(11)
  const submit = await runLoad({
    port,
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
        'scopes[1].controlId': String(loaded.controlIds[r.control]),
        'scopes[1].position': r.position,
        'scopes[1].body': r.body,
      })
      return {
        method: 'POST',
        path: `/consultations/${loaded.slug}/respond`,
        headers: { 'Content-Type': type, Origin: origin },
        body,
      }
    },
  })
  figures.rss_after_submit_mb = currentRssMb(portal.pid!)
  figures.submit_rps = Math.round(submit.ok / (submit.elapsedMs / 1000))
  figures.submit_p50_ms = round2(quantile(submit.latencies, 0.5))
  figures.submit_p99_ms = round2(quantile(submit.latencies, 0.99))
  figures.submit_ratio = round2(figures.submit_rps / (figures.baseline_submit_rps as number))
  figures.submit_failed = submit.failed
  const check = openDatabase(portalDb)
  const acknowledged = keys.filter((_, i) => submit.answers[i])
  let stored = 0
  for (let i = 0; i < acknowledged.length; i += 500) {
    const rows = await check
      .selectFrom('responses')
      .where('idempotency_key', 'in', acknowledged.slice(i, i + 500))
      .select('id')
      .execute()
    stored += rows.length
  }
  await check.destroy()
  figures.submit_missing = acknowledged.length - stored
  log(
    `portal submissions: ${figures.submit_rps}/s (${figures.submit_ratio}× baseline), p50 ${figures.submit_p50_ms} ms, p99 ${figures.submit_p99_ms} ms, ${figures.submit_missing} acknowledged missing`,
  )

  const page = await runLoad({
    port,
    concurrency: CONCURRENCY,
    durationMs: PAGE_SECONDS * 1000,
    request: () => ({ method: 'GET', path: `/consultations/${loaded.slug}` }),
  })
  figures.page_rps = Math.round(page.ok / (page.elapsedMs / 1000))
  figures.page_p99_ms = round2(quantile(page.latencies, 0.99))
  figures.page_ratio = round2(figures.page_rps / (figures.baseline_page_rps as number))
  const api = await runLoad({
    port,
    concurrency: CONCURRENCY,
    durationMs: PAGE_SECONDS * 1000,
    request: () => ({ method: 'GET', path: `/api/v1/consultations/${loaded.slug}/comments` }),
  })
  figures.rss_after_pages_mb = currentRssMb(portal.pid!)
  figures.api_rps = Math.round(api.ok / (api.elapsedMs / 1000))
  figures.api_p99_ms = round2(quantile(api.latencies, 0.99))
  log(
    `portal pages: round page ${figures.page_rps}/s (${figures.page_ratio}× baseline, p99 ${figures.page_p99_ms} ms), API ${figures.api_rps}/s (p99 ${figures.api_p99_ms} ms)`,
  )

  // Exports, through HTTP as an official downloads them.
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
  // Downloaded with node:http, as the load tests send: fetch's web streams cost the client about
  // 1.6 times the CPU per byte (381 against 608 MB/s here from a bare server), CPU the server
  // shares on this machine.
  const download = (format: string, full = false) =>
    new Promise<{ seconds: number; bytes: number; lines: number }>((resolve, reject) => {
      const t0 = performance.now()
      const body = new URLSearchParams({ format, ...(full ? { full: 'yes' } : {}) }).toString()
      const request = http.request(
        `${origin}/manage/rounds/${loaded.roundId}/export`,
        {
          method: 'POST',
          headers: {
            Origin: origin,
            Cookie: cookie,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume()
            reject(new Error(`the ${format} export answered ${response.statusCode}`))
            return
          }
          let bytes = 0
          let lines = 0
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            // indexOf scans natively: a loop over every byte of a 1.5 GB export would slow the client.
            for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
          })
          response.on('end', () =>
            resolve({ seconds: (performance.now() - t0) / 1000, bytes, lines }),
          )
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(body)
    })
  const csv = await download('csv', true)
  figures.csv_rows = csv.lines - 1
  figures.csv_rows_per_s = Math.round((csv.lines - 1) / csv.seconds)
  figures.rss_after_csv_mb = currentRssMb(portal.pid!)
  const pdf = await download('pdf')
  figures.pdf_s = round2(pdf.seconds)

  // Maximum-size submissions at once: files go to the database in pieces as they arrive, and
  // those past the memory budget are told to retry, so the server's memory stays put.
  let uploadPeak = 0
  const sampler = setInterval(() => {
    uploadPeak = Math.max(uploadPeak, currentRssMb(portal.pid!))
  }, 100)
  const uploads = await runUploadPhase({
    port,
    origin,
    path: `/consultations/${loaded.slug}/respond`,
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
  })
  clearInterval(sampler)
  figures.upload_clients = UPLOAD_CLIENTS
  figures.upload_stored = uploads.stored
  figures.upload_busy_answers = uploads.busy
  figures.upload_failed = uploads.failed
  figures.upload_mb_per_s = round2(uploads.megabytes / uploads.seconds)
  figures.upload_peak_rss_mb = round2(uploadPeak)
  log(
    `uploads: ${uploads.stored} of ${UPLOAD_CLIENTS} responses of 10 × 10 MB stored (${uploads.busy} told to retry, ${uploads.failed} failed) at ${figures.upload_mb_per_s} MB/s; server RSS peak during them ${figures.upload_peak_rss_mb} MB`,
  )
  figures.peak_rss_mb = peakRssMb(portal.pid!)
  await stop(portal)
  log(
    `exports: CSV ${figures.csv_rows_per_s} rows/s (${csv.bytes.toLocaleString('en')} bytes), PDF ${figures.pdf_s} s; server peak RSS ${figures.peak_rss_mb} MB`,
  )

  rmSync(dir, { recursive: true, force: true })
  console.log('\n| figure | value |\n| --- | --- |')
  for (const [k, v] of Object.entries(figures)) console.log(`| ${k} | ${v} |`)
  console.log(JSON.stringify(figures))
}

main().catch((error: unknown) => {
  console.error(error)
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
