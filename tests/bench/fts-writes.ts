// How long FTS5's writes hold the thread at a million responses (README, Decisions, 2026-12-02,
// evening): an experiment, not part of `npm run bench`.
//   npx tsx tests/bench/fts-writes.ts FILE [automerge|steps|both] [GROUPS] [PAGES]
// FILE is a portal database, loaded with BENCH_RESPONSES synthetic responses (default 1,000,000)
// when it does not exist. It is never written: each run works on a copy of its search file
// (db/search-file.ts; VACUUM INTO, beside it), removed at the end, so every mode starts from the
// same index. The measured statements are those FTS5 ran inside the portal's own transactions
// until the index moved to that file and a thread of its own (2026-12-03). Each group is a transaction
// of ten responses, each in its savepoint with a few-row upsert after its search entry, as
// submissions are written. automerge: FTS5 merges as it writes (the portal's setting). steps:
// automerge off, and up to 8 merge steps of PAGES pages after each group, as a merger between
// requests would run them. both: FTS5's automerge, and the steps with usermerge USERMERGE
// (default 2), so that the steps merge before FTS5 would.
import { existsSync, rmSync } from 'node:fs'
import { openSqlite } from '../../db/connection.ts'
import { generator } from './generate.ts'
import { loadPortalDb } from './load-db.ts'

const [file, mode = 'automerge', groupsArg = '10000', pagesArg = '4'] = process.argv.slice(2)
const whole = (text: string | undefined, min: number, max: number) => {
  const n = Number(text)
  return Number.isInteger(n) && n >= min && n <= max ? n : null
}
const groups = whole(groupsArg, 1, 1_000_000)
const pages = whole(pagesArg, 1, 10_000)
const usermerge = mode === 'both' ? whole(process.env.USERMERGE ?? '2', 2, 16) : 4
if (!file || !['automerge', 'steps', 'both'].includes(mode) || !groups || !pages || !usermerge) {
  console.error(
    'Usage: npx tsx tests/bench/fts-writes.ts FILE [automerge|steps|both] [GROUPS 1–1,000,000] [PAGES 1–10,000]\n' +
      '(USERMERGE, for both: 2–16)',
  )
  process.exit(1)
}
if (!existsSync(file)) {
  await loadPortalDb(file, Number(process.env.BENCH_RESPONSES ?? 1_000_000), generator(2026).next)
}
const copy = `${file}.fts-writes-${process.pid}.sqlite`
const source = openSqlite(file)
source.prepare('vacuum search into ?').run(copy)
source.close()
const db = openSqlite(copy, { search: false })
db.exec(
  `insert into response_fts(response_fts, rank) values('automerge', ${mode === 'steps' ? 0 : 4})`,
)
db.exec(`insert into response_fts(response_fts, rank) values('usermerge', ${usermerge})`)
db.exec(
  'create table if not exists fts_writes_counts (a int, b text, c text, d text, n int, primary key (a, b, c, d))',
)
const insert = db.prepare('insert into response_fts (rowid, body) values (?, ?)')
const upsert = db.prepare(
  `insert into fts_writes_counts values (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)
   on conflict (a, b, c, d) do update set n = fts_writes_counts.n + excluded.n`,
)
const cells = [1, 'all', 'total', '', 1, 1, 'all', 'type', 'x', 1, 1, 'all', 'country', 'y', 1]
const merge = db.prepare(`insert into response_fts(response_fts, rank) values('merge', ?)`)
const changes = db.prepare('select total_changes()').pluck()
const gen = generator(7)
let rowid = (db.prepare('select max(rowid) from response_fts').pluck().get() as number) + 1
const statements: number[] = []
const steps: number[] = []
const worst: { ms: number; what: string }[] = []
const timed = (what: string, run: () => unknown, into = statements) => {
  const t = performance.now()
  run()
  const ms = performance.now() - t
  into.push(ms)
  if (ms > 20) worst.push({ ms, what })
}
const started = performance.now()
for (let g = 0; g < groups; g++) {
  timed('begin', () => db.exec('begin'))
  for (let i = 0; i < 10; i++) {
    const body = gen.next().body
    timed('savepoint', () => db.exec('savepoint submission'))
    timed('search entry', () => insert.run(rowid++, body))
    timed('upsert', () => upsert.run(...cells, 1, 'all', 'day', 'z', 1))
    timed('release', () => db.exec('release submission'))
  }
  timed('commit', () => db.exec('commit'))
  if (mode !== 'automerge') {
    for (let k = 0; k < 8; k++) {
      const before = changes.get() as number
      timed('merge step', () => merge.run(pages), steps)
      if ((changes.get() as number) - before < 2) break
    }
  }
}
const quantile = (v: number[], p: number) =>
  v.length ? v.slice().sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * p))]! : 0
console.log(
  `${mode}${mode === 'automerge' ? '' : ` (merge steps of ${pages} pages)`}: ${groups * 10} responses in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `statements p99 ${quantile(statements, 0.99).toFixed(2)} ms, max ${quantile(statements, 1).toFixed(1)} ms, ${statements.filter((ms) => ms > 20).length} over 20 ms; ` +
    `merge steps ${steps.length}, p99 ${quantile(steps, 0.99).toFixed(2)} ms, max ${quantile(steps, 1).toFixed(1)} ms`,
)
console.log(
  'worst:',
  worst
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map((w) => `${w.what} ${w.ms.toFixed(0)} ms`)
    .join(', '),
)
db.close()
for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true })
