// `npm run db:copy -- --from sqlite:FILE --to postgres://…`: moves a portal's data from its SQLite
// file to a PostgreSQL database, while the portal keeps running on SQLite, and checks the result.
//
// Nothing here names a table: the tables, their columns, primary keys and foreign keys are read
// from the two migrated databases, so a table added by a later migration is copied without an
// edit here. The target is migrated first (the migrations run on both engines); tables only one
// engine has (SQLite's FTS5 index, PostgreSQL's response_search) are the search index's, which
// is rebuilt on PostgreSQL afterwards.
//
// The source is read in one read transaction: one snapshot, consistent across tables (a
// response and its items), while the server goes on committing to the WAL (as db:backup's
// VACUUM INTO does). Commits made after the snapshot arrive with the next run. Rows are read in
// primary-key order, a page at a time (keyset, so no page rereads the ones before it; at most
// --batch-rows rows or about 8 MB), and each page is one INSERT statement on PostgreSQL, its own
// short transaction: memory stays bounded by a page, and a failure loses at most the page in
// flight, which the next run writes again.
//
// Re-runs: a row whose primary key is already there is updated if it changed (`on conflict do
// update … where … is distinct from …`, so an unchanged row is not rewritten) or left alone in an
// append-only table (audit_log's triggers refuse UPDATE and DELETE). Rows deleted from the source
// since an earlier copy stay on PostgreSQL unless --prune is given; verification reports them.
//
// Verification streams each table from both sides in key order and sums a SHA-256 of each row's
// values as canonical JSON (bytes as base64): the same sum only if the same rows, whatever order
// each engine's collation puts text keys in.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { reindexAll } from '#app/models/search-index.server.ts'
import { BackupError, inspectPortalDatabase, isFile } from './backup-files.ts'
import { BUSY_TIMEOUT, openDatabase } from './connection.ts'
import { migrateToLatest, migrationState } from './migrate.ts'
import { isPostgresUrl, openPostgres } from './postgres.ts'
import type { Database } from './schema.ts'

type DB = Kysely<Database>
type Row = Record<string, unknown>

/** A failure the command explains in a sentence, without a stack trace. */
export class CopyError extends Error {}

/** Rows per INSERT, unless fewer fit the byte budget. */
export const DEFAULT_BATCH_ROWS = 2_000
/** About how many bytes of values a page may hold: file pieces are 512 KB each. */
const PAGE_BYTES = 8 * 1024 * 1024
/** The first page of a table is small, until its rows' size is known. */
const FIRST_PAGE_ROWS = 16
/** Checksums are sums of the rows' SHA-256 modulo 2^256: the order rows come in does not matter. */
const MOD = 1n << 256n
const PROGRESS_EVERY_MS = 10_000

/** One table as both databases have it. */
export interface TableShape {
  name: string
  /** In the source's order; the same names on both sides. */
  columns: string[]
  /** The primary key's columns, in the key's order. */
  key: string[]
  /** Columns referencing this same table (a tag's parent): set in a second pass. */
  selfColumns: string[]
  /** PostgreSQL's type of each column, for the arrays the rows are sent in. */
  types: Record<string, string>
  /** The identity column whose sequence follows the copied ids, if any. */
  identity: string | null
  /** Triggers refuse UPDATE or DELETE on it (audit_log): rows are only ever inserted. */
  appendOnly: boolean
}

export interface TableCopy {
  table: string
  /** Rows in the source's snapshot. */
  rows: number
  inserted: number
  updated: number
  /** Rows only on PostgreSQL, deleted there (--prune). */
  pruned: number
}

export interface Tally {
  rows: number
  checksum: string
}

export interface TableCheck {
  table: string
  source: Tally
  target: Tally
  ok: boolean
}

export interface CopyReport {
  /** The tables copied, parents before the tables that reference them. */
  order: string[]
  tables: TableCopy[]
  /** Tables only PostgreSQL has (the search index's), not copied. */
  targetOnly: string[]
  /** The identity sequences set: the next id of each is `largest` + 1. */
  sequences: { table: string; column: string; largest: number }[]
  /** null when nothing was written (verifyOnly). */
  searchIndex: { ok: true; responses: number } | { ok: false; error: string } | null
  checks: TableCheck[]
  ok: boolean
}

export interface CopyOptions {
  /** The SQLite file. */
  from: string
  /** A postgres:// URL. */
  to: string
  /** Delete rows on PostgreSQL that the source no longer has (append-only tables excepted). */
  prune?: boolean
  /** Compare only: no migration, no writes. */
  verifyOnly?: boolean
  batchRows?: number
  log?: (line: string) => void
}

/** Copies every application table from the SQLite file to PostgreSQL, then verifies the copy. */
export async function copyDatabase({
  from,
  to,
  prune = false,
  verifyOnly = false,
  batchRows = DEFAULT_BATCH_ROWS,
  log = () => {},
}: CopyOptions): Promise<CopyReport> {
  const file = path.resolve(from)
  if (!isPostgresUrl(to)) {
    throw new CopyError(`The target must be a postgres:// or postgresql:// URL, not "${to}".`)
  }
  if (!isFile(file)) throw new CopyError(`There is no SQLite file at ${file}.`)
  try {
    // Read-only, before openDatabase would create or convert anything.
    inspectPortalDatabase(file, { integrity: false, name: `The source ${file}` })
  } catch (error) {
    if (error instanceof BackupError) throw new CopyError(error.message)
    throw error
  }
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new CopyError(`The batch size must be a positive whole number, not ${batchRows}.`)
  }

  const source = openDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT.tool })
  const target = openPostgres(to, { max: 2 })
  try {
    log(`${verifyOnly ? 'Comparing' : 'Copying'} ${file}`)
    log(`     to ${redact(to)}`)
    await refuseStaleSource(source, file)
    await connect(target, to)
    if (verifyOnly) {
      const state = await migrationState(target)
      if (!state.current) {
        throw new CopyError(
          `The target is not migrated to this code's schema (${state.pending.length} pending, ${state.unknown.length} unknown): run the copy without --verify-only first.`,
        )
      }
    } else {
      await migrateToLatest(target, (line) => log(`  ${line}`)).catch((error: unknown) => {
        throw new CopyError(`Migrating the target failed: ${messageOf(error)}`)
      })
    }
    const { shapes, targetOnly } = await readShapes(source, target)
    log(`Tables, parents first: ${shapes.map((s) => s.name).join(', ')}`)
    if (targetOnly.length) log(`PostgreSQL only, not copied: ${targetOnly.join(', ')}`)

    const tables: TableCopy[] = []
    let sequences: CopyReport['sequences'] = []
    // One read transaction: every table from the same snapshot, verified against it too.
    const checks = await source.transaction().execute(async (snapshot) => {
      if (verifyOnly) return verify(snapshot, target, shapes, batchRows, log)
      const pruned = new Map<string, number>()
      if (prune) {
        // Children first: a parent's removal then cascades to nothing left to remove.
        for (const shape of [...shapes].reverse()) {
          pruned.set(shape.name, await pruneTable(snapshot, target, shape, batchRows, log))
        }
      }
      for (const shape of shapes) {
        const copied = await copyTable(snapshot, target, shape, batchRows, log)
        tables.push({ ...copied, pruned: pruned.get(shape.name) ?? 0 })
      }
      sequences = await resetSequences(target, shapes)
      log(`New ids continue after: ${sequences.map((s) => `${s.table} ${s.largest}`).join(', ')}`)
      return verify(snapshot, target, shapes, batchRows, log)
    })

    // After the snapshot is released: the rebuild reads PostgreSQL only, and may take long.
    let searchIndex: CopyReport['searchIndex'] = null
    if (!verifyOnly) {
      log('Rebuilding the search index on PostgreSQL…')
      try {
        searchIndex = { ok: true, responses: await reindexAll(target) }
        log(`Search index rebuilt: ${searchIndex.responses} responses`)
      } catch (error) {
        searchIndex = { ok: false, error: messageOf(error) }
        log(`The search index could not be rebuilt: ${searchIndex.error}`)
      }
    }
    const ok = checks.every((c) => c.ok) && searchIndex?.ok !== false
    return {
      order: shapes.map((s) => s.name),
      tables,
      targetOnly,
      sequences,
      searchIndex,
      checks,
      ok,
    }
  } finally {
    await source.destroy()
    await target.destroy()
  }
}

async function refuseStaleSource(source: DB, file: string): Promise<void> {
  const state = await migrationState(source)
  if (state.current) return
  const problems = [
    state.pending.length &&
      `${state.pending.length} migration(s) not yet run on it (first: ${state.pending[0]}); run \`DATABASE_PATH=${file} npm run db:migrate\` first`,
    state.unknown.length &&
      `${state.unknown.length} migration(s) this code does not know (${state.unknown[0]}): use the code that wrote it`,
  ].filter(Boolean)
  throw new CopyError(
    `The source's schema is not this code's latest: ${problems.join('; ')}. Copying it would leave PostgreSQL with another schema than the data's.`,
  )
}

async function connect(target: DB, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(target)
  } catch (error) {
    throw new CopyError(`Cannot connect to ${redact(url)}: ${messageOf(error)}`)
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(an unreadable URL)'
  }
}

/** An error's message; a refused connection to a name with several addresses has none of its own. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return error.errors.map(messageOf).join('; ')
  }
  if (!(error instanceof Error)) return String(error)
  const { detail, code } = error as Error & { detail?: string; code?: string }
  return [error.message || code, detail].filter(Boolean).join(' ')
}

/** The tables to copy, as both databases have them, in foreign-key order. */
export async function readShapes(
  source: DB,
  target: DB,
): Promise<{ shapes: TableShape[]; targetOnly: string[] }> {
  // Ordinary tables only: FTS5's virtual tables and their shadow tables are SQLite's index, and
  // search_queue is its list of responses still to index (PostgreSQL indexes in the transaction).
  const sourceTables = await sql<{ name: string }>`
    select name from pragma_table_list
    where schema = 'main' and type = 'table' and name <> 'search_queue'
      and name not like 'sqlite\\_%' escape '\\' and name not like 'kysely\\_migration%' escape '\\'
    order by name`.execute(source)
  const namespace = sql`(select oid from pg_namespace where nspname = current_schema())`
  const [targetTables, targetColumns, targetKeys, foreignKeys, guarded] = await Promise.all([
    sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not like 'kysely\\_migration%'`.execute(target),
    sql<{ table: string; column: string; type: string; identity: boolean }>`
      select c.relname::text as table, a.attname::text as column,
        format_type(a.atttypid, a.atttypmod) as type, a.attidentity <> '' as identity
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relnamespace = ${namespace} and c.relkind = 'r' and a.attnum > 0
        and not a.attisdropped
      order by c.relname, a.attnum`.execute(target),
    sql<{ table: string; column: string }>`
      select tc.table_name as table, kcu.column_name as column
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name
      where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'
      order by tc.table_name, kcu.ordinal_position`.execute(target),
    sql<{ child: string; parent: string; columns: string[] }>`
      select c.relname::text as child, p.relname::text as parent,
        array(select a.attname::text from unnest(k.conkey) as u(n)
          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n) as columns
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and c.relnamespace = ${namespace}`.execute(target),
    // tgtype bits: 8 DELETE, 16 UPDATE.
    sql<{ name: string }>`
      select distinct c.relname::text as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and (t.tgtype & 24) <> 0 and c.relnamespace = ${namespace}`.execute(
      target,
    ),
  ])

  const onTarget = new Set(targetTables.rows.map((r) => r.name))
  const names = sourceTables.rows.map((r) => r.name)
  const missing = names.filter((name) => !onTarget.has(name))
  if (missing.length) {
    throw new CopyError(`PostgreSQL has no table ${missing.join(', ')} after migrating.`)
  }
  const appendOnly = new Set(guarded.rows.map((r) => r.name))
  const shapes = new Map<string, TableShape>()
  for (const name of names) {
    const info = await sql<{ name: string; pk: number }>`
      select name, pk from pragma_table_info(${name}) order by cid`.execute(source)
    const columns = info.rows.map((c) => c.name)
    const pgColumns = targetColumns.rows.filter((c) => c.table === name)
    const differ =
      columns.length !== pgColumns.length ||
      columns.some((c) => !pgColumns.some((p) => p.column === c))
    if (differ) {
      throw new CopyError(
        `${name} has other columns on PostgreSQL (${pgColumns.map((c) => c.column).join(', ')}) than in the source (${columns.join(', ')}).`,
      )
    }
    const key = targetKeys.rows.filter((k) => k.table === name).map((k) => k.column)
    const sourceKey = info.rows
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name)
    if (!key.length || key.join() !== sourceKey.join()) {
      throw new CopyError(
        `${name} has no primary key, or another one on each side (${key.join()} / ${sourceKey.join()}): its rows cannot be matched on a second run.`,
      )
    }
    shapes.set(name, {
      name,
      columns,
      key,
      selfColumns: foreignKeys.rows
        .filter((k) => k.child === name && k.parent === name)
        .flatMap((k) => k.columns),
      types: Object.fromEntries(pgColumns.map((c) => [c.column, c.type])),
      identity: pgColumns.find((c) => c.identity)?.column ?? null,
      appendOnly: appendOnly.has(name),
    })
  }
  const edges = foreignKeys.rows.filter(
    (k) => k.child !== k.parent && shapes.has(k.child) && shapes.has(k.parent),
  )
  return {
    shapes: parentsFirst([...shapes.keys()], edges).map((name) => shapes.get(name)!),
    targetOnly: [...onTarget].filter((name) => !shapes.has(name)).sort(),
  }
}

/** The tables ordered so that each comes after every table it references (ties by name). */
export function parentsFirst(
  names: string[],
  edges: { child: string; parent: string }[],
): string[] {
  const order: string[] = []
  const placed = new Set<string>()
  const left = [...names].sort()
  while (left.length) {
    const next = left.findIndex((name) =>
      edges.every((e) => e.child !== name || placed.has(e.parent)),
    )
    if (next < 0) {
      throw new CopyError(
        `The foreign keys between ${left.join(', ')} form a cycle: no table can be copied first.`,
      )
    }
    const [name] = left.splice(next, 1)
    order.push(name!)
    placed.add(name!)
  }
  return order
}

/** The pages of a table in primary-key order: keyset paging, each page one query. */
async function* pages(
  db: DB,
  shape: TableShape,
  columns: string[],
  maxRows: number,
): AsyncGenerator<Row[]> {
  const keyRefs = sql.join(shape.key.map((k) => sql.ref(k)))
  const select = sql.join(columns.map((c) => sql.ref(c)))
  let after: unknown[] | null = null
  let limit = Math.min(FIRST_PAGE_ROWS, maxRows)
  let widest = 1
  for (;;) {
    const where: RawBuilder<unknown> = after
      ? sql`where (${keyRefs}) > (${sql.join(after)})`
      : sql``
    const { rows } = await sql<Row>`select ${select} from ${sql.table(shape.name)} ${where}
      order by ${keyRefs} limit ${limit}`.execute(db)
    if (rows.length) yield rows
    if (rows.length < limit) return
    const last = rows[rows.length - 1]!
    after = shape.key.map((k) => last[k])
    for (const row of rows) widest = Math.max(widest, rowBytes(row))
    limit = Math.max(1, Math.min(maxRows, Math.floor(PAGE_BYTES / widest)))
  }
}

function rowBytes(row: Row): number {
  let bytes = 0
  for (const value of Object.values(row)) {
    bytes += typeof value === 'string' ? value.length : Buffer.isBuffer(value) ? value.length : 8
  }
  return bytes
}

async function count(db: DB, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  )
  return Number(rows[0]?.n ?? 0)
}

/**
 * Rows as a set PostgreSQL reads from one array per column (`unnest($1::bigint[], $2::text[], …)`):
 * a statement of a few parameters whatever the number of rows, which Kysely compiles and
 * PostgreSQL parses five times faster than a VALUES list of one parameter per value, and which
 * no parameter limit bounds. `blank` columns are sent as nulls.
 */
function unnest(
  shape: TableShape,
  columns: string[],
  rows: Row[],
  blank: (column: string) => boolean = () => false,
): RawBuilder<unknown> {
  const arrays = columns.map((c) => {
    const values = blank(c) ? rows.map(() => null) : rows.map((row) => row[c])
    for (const value of values) {
      // better-sqlite3 reads an integer beyond 2^53 as an inexact number.
      if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new CopyError(`${shape.name}.${c} holds ${value}, beyond what can be copied exactly.`)
      }
    }
    return sql`cast(${values} as ${sql.raw(`${shape.types[c]!}[]`)})`
  })
  return sql`unnest(${sql.join(arrays)})`
}

async function copyTable(
  snapshot: DB,
  target: DB,
  shape: TableShape,
  batchRows: number,
  log: (line: string) => void,
): Promise<Omit<TableCopy, 'pruned'>> {
  const { name, columns, key, selfColumns } = shape
  const total = await count(snapshot, name)
  const mutable = columns.filter((c) => !key.includes(c) && !selfColumns.includes(c))
  const ref = (c: string) => sql.ref(`${name}.${c}`)
  const excluded = (c: string) => sql.ref(`excluded.${c}`)
  const onConflict =
    shape.appendOnly || !mutable.length
      ? sql`do nothing`
      : sql`do update set ${sql.join(mutable.map((c) => sql`${sql.ref(c)} = ${excluded(c)}`))}
          where (${sql.join(mutable.map(ref))}) is distinct from (${sql.join(mutable.map(excluded))})`
  const started = performance.now()
  let lastLog = started
  let done = 0
  let inserted = 0
  let updated = 0
  try {
    for await (const rows of pages(snapshot, shape, columns, batchRows)) {
      // A self-reference may point at a row later in key order: set in the second pass.
      const result = await sql<{ inserted: boolean }>`
        insert into ${sql.table(name)} (${sql.join(columns.map((c) => sql.ref(c)))})
        select * from ${unnest(shape, columns, rows, (c) => selfColumns.includes(c))}
        on conflict (${sql.join(key.map((k) => sql.ref(k)))}) ${onConflict}
        returning (xmax = 0) as inserted`.execute(target)
      const fresh = result.rows.filter((r) => r.inserted).length
      inserted += fresh
      updated += result.rows.length - fresh
      done += rows.length
      if (performance.now() - lastLog > PROGRESS_EVERY_MS) {
        lastLog = performance.now()
        log(`  ${name}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows`)
      }
    }
    if (selfColumns.length) await linkSelfReferences(snapshot, target, shape, batchRows)
  } catch (error) {
    if (error instanceof CopyError) throw error
    const unique = (error as { code?: string }).code === '23505'
    throw new CopyError(
      `Copying ${name} failed: ${messageOf(error)}${unique ? ' (a row deleted from the source and added again under another key? Run again with --prune.)' : ''}`,
    )
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  log(
    `${name}: ${total.toLocaleString('en')} rows, ${inserted} new, ${updated} changed (${seconds} s)`,
  )
  return { table: name, rows: total, inserted, updated }
}

/** Sets the self-referencing columns once every row of the table is there. */
async function linkSelfReferences(
  snapshot: DB,
  target: DB,
  shape: TableShape,
  batchRows: number,
): Promise<void> {
  const { name, key, selfColumns } = shape
  const columns = [...key, ...selfColumns]
  for await (const rows of pages(snapshot, shape, columns, batchRows)) {
    await sql`
      update ${sql.table(name)} set ${sql.join(selfColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`))}
      from ${unnest(shape, columns, rows)} as v (${sql.join(columns.map((c) => sql.ref(c)))})
      where ${sql.join(
        key.map((k) => sql`${sql.ref(`${name}.${k}`)} = ${sql.ref(`v.${k}`)}`),
        sql` and `,
      )}
        and (${sql.join(selfColumns.map((c) => sql.ref(`${name}.${c}`)))})
          is distinct from (${sql.join(selfColumns.map((c) => sql.ref(`v.${c}`)))})`.execute(target)
  }
}

/** Deletes the rows PostgreSQL has and the source no longer does; returns how many. */
async function pruneTable(
  snapshot: DB,
  target: DB,
  shape: TableShape,
  batchRows: number,
  log: (line: string) => void,
): Promise<number> {
  const keyRefs = sql.join(shape.key.map((k) => sql.ref(k)))
  // The source is asked which of a page of keys it still has: SQLite's parameters are bounded.
  const maxRows = Math.min(batchRows, 1_000)
  const tuple = (values: unknown[]) => sql`(${sql.join(values)})`
  let gone = 0
  for await (const rows of pages(target, shape, shape.key, maxRows)) {
    const keys = rows.map((row) => shape.key.map((k) => row[k]))
    const { rows: kept } = await sql<Row>`select ${keyRefs} from ${sql.table(shape.name)}
      where (${keyRefs}) in (values ${sql.join(keys.map(tuple))})`.execute(snapshot)
    const present = new Set(kept.map((row) => JSON.stringify(shape.key.map((k) => row[k]))))
    const missing = keys.filter((k) => !present.has(JSON.stringify(k)))
    if (!missing.length) continue
    gone += missing.length
    if (shape.appendOnly) continue
    const rowsGone = missing.map((k) => Object.fromEntries(shape.key.map((c, i) => [c, k[i]])))
    await sql`delete from ${sql.table(shape.name)}
      where (${keyRefs}) in (select * from ${unnest(shape, shape.key, rowsGone)})`.execute(target)
  }
  if (gone && shape.appendOnly) {
    log(`${shape.name}: ${gone} rows only on PostgreSQL, kept: the table is append-only`)
    return 0
  }
  if (gone) log(`${shape.name}: ${gone} rows no longer in the source, deleted`)
  return gone
}

/** Sets each identity column's sequence to the largest id copied, so new rows get fresh ids. */
async function resetSequences(target: DB, shapes: TableShape[]): Promise<CopyReport['sequences']> {
  const set: CopyReport['sequences'] = []
  for (const { name, identity } of shapes) {
    if (!identity) continue
    const id = sql.ref(identity)
    // An empty table: the next id is 1 (is_called false).
    const { rows } = await sql<{ largest: number }>`
      select setval(pg_get_serial_sequence(${name}, ${identity}), coalesce(max(${id}), 1),
        max(${id}) is not null), coalesce(max(${id}), 0) as largest
      from ${sql.table(name)}`.execute(target)
    set.push({ table: name, column: identity, largest: Number(rows[0]!.largest) })
  }
  return set
}

/** A value the same whichever engine read it: bytes as base64, booleans as SQLite's 0 and 1. */
function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'bigint') return value.toString()
  return value
}

/** The number of rows of a table and an order-independent checksum of their values. */
export async function tallyTable(db: DB, shape: TableShape, batchRows: number): Promise<Tally> {
  let sum = 0n
  let rows = 0
  for await (const page of pages(db, shape, shape.columns, batchRows)) {
    for (const row of page) {
      const json = JSON.stringify(shape.columns.map((c) => canonical(row[c])))
      sum = (sum + BigInt(`0x${createHash('sha256').update(json).digest('hex')}`)) % MOD
      rows++
    }
  }
  return { rows, checksum: sum.toString(16).padStart(64, '0') }
}

async function verify(
  snapshot: DB,
  target: DB,
  shapes: TableShape[],
  batchRows: number,
  log: (line: string) => void,
): Promise<TableCheck[]> {
  log('Verifying row counts and checksums…')
  const checks: TableCheck[] = []
  for (const shape of shapes) {
    const [source, copy] = await Promise.all([
      tallyTable(snapshot, shape, batchRows),
      tallyTable(target, shape, batchRows),
    ])
    checks.push({
      table: shape.name,
      source,
      target: copy,
      ok: source.rows === copy.rows && source.checksum === copy.checksum,
    })
  }
  return checks
}

/** The verification as a table: `table  rows  checksum  ok`. */
export function formatChecks(checks: TableCheck[]): string[] {
  const width = Math.max(5, ...checks.map((c) => c.table.length))
  const rows = (c: TableCheck) =>
    c.source.rows === c.target.rows
      ? String(c.source.rows)
      : `${c.source.rows} (PostgreSQL ${c.target.rows})`
  const rowsWidth = Math.max(4, ...checks.map((c) => rows(c).length))
  const line = (table: string, n: string, checksum: string, ok: string) =>
    `${table.padEnd(width)}  ${n.padStart(rowsWidth)}  ${checksum.padEnd(16)}  ${ok}`
  return [
    line('table', 'rows', 'checksum', 'ok'),
    ...checks.map((c) =>
      line(
        c.table,
        rows(c),
        c.source.checksum.slice(0, 16),
        c.ok ? 'ok' : `DIFFERS (PostgreSQL ${c.target.checksum.slice(0, 16)})`,
      ),
    ),
  ]
}

const USAGE = `Usage: npm run db:copy -- --from sqlite:FILE --to postgres://USER@HOST:PORT/DATABASE [options]

Copies every table of the portal's SQLite file FILE to PostgreSQL, while the portal keeps
running on SQLite: migrates the target to this code's schema, copies the rows (parents first,
in batches, from one snapshot of the source), resets the id sequences, rebuilds the search
index on PostgreSQL, and compares the row counts and checksums of every table. Exits 1 if
anything differs.

It can be run again: rows already copied are updated where they changed, new rows are added,
nothing is duplicated. Run it once while the portal is live, then stop the portal, run it
again (a short catch-up) and switch DATABASE_URL. Do not let anything write to PostgreSQL in
between: a row written there would be overwritten by the source's row with the same id.

Options:
  --from sqlite:FILE     the SQLite database (migrated to this code's latest migration)
  --to URL               the PostgreSQL database (postgres:// or postgresql://)
  --prune                delete rows on PostgreSQL that were deleted from the source since an
                         earlier copy (not audit_log, which is append-only); without it they
                         stay and the verification reports their tables
  --verify-only          compare the two databases only: no migration, nothing written
  --batch-rows N         rows per INSERT (default ${DEFAULT_BATCH_ROWS}; fewer for wide or large rows)
  -h, --help             this text`

/** `sqlite:FILE` or a plain path; anything else with a scheme is not an SQLite file. */
function sqliteFile(from: string): string {
  if (from.startsWith('sqlite:')) return from.slice('sqlite:'.length)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) {
    throw new CopyError(`--from must be an SQLite file (sqlite:FILE), not "${redact(from)}".`)
  }
  return from
}

export interface Output {
  out: (line: string) => void
  err: (line: string) => void
}

/** The command line: returns the exit code (0 copied and verified, 1 otherwise). */
export async function main(
  argv: string[],
  io: Output = { out: (line) => console.log(line), err: (line) => console.error(line) },
): Promise<number> {
  let options: CopyOptions
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        prune: { type: 'boolean', default: false },
        'verify-only': { type: 'boolean', default: false },
        'batch-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    })
    if (values.help) {
      io.out(USAGE)
      return 0
    }
    if (!values.from || !values.to) throw new CopyError('Both --from and --to are needed.')
    const batch = values['batch-rows']
    if (batch !== undefined && !/^[1-9]\d{0,5}$/.test(batch)) {
      throw new CopyError(`--batch-rows must be a whole number from 1, not "${batch}".`)
    }
    if (values.prune && values['verify-only']) {
      throw new CopyError('--prune writes and --verify-only does not: choose one.')
    }
    options = {
      from: sqliteFile(values.from),
      to: values.to,
      prune: values.prune,
      verifyOnly: values['verify-only'],
      batchRows: batch === undefined ? DEFAULT_BATCH_ROWS : Number(batch),
    }
  } catch (error) {
    io.err(`${messageOf(error)}\n\n${USAGE}`)
    return 1
  }

  try {
    const started = performance.now()
    const report = await copyDatabase({ ...options, log: io.out })
    for (const line of formatChecks(report.checks)) io.out(line)
    const rows = report.checks.reduce((n, c) => n + c.source.rows, 0)
    const sum = (field: 'inserted' | 'updated' | 'pruned') =>
      report.tables.reduce((n, t) => n + t[field], 0)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (!options.verifyOnly) {
      io.out(
        `${rows} rows in ${report.checks.length} tables: ${sum('inserted')} new, ${sum('updated')} changed, ${sum('pruned')} deleted, in ${seconds} s.`,
      )
    }
    const differ = report.checks.filter((c) => !c.ok)
    if (differ.length) {
      const extra = differ.some((c) => c.target.rows > c.source.rows)
      io.err(
        `${differ.length} table(s) differ: ${differ.map((c) => c.table).join(', ')}.${extra ? ' PostgreSQL has rows the source does not (deleted from it since an earlier copy, or written to PostgreSQL): --prune removes them.' : ''}`,
      )
    }
    if (report.searchIndex?.ok === false) {
      io.err(`The search index was not rebuilt: ${report.searchIndex.error}`)
    }
    if (report.ok) io.out('Every table matches.')
    return report.ok ? 0 : 1
  } catch (error) {
    io.err(error instanceof CopyError ? error.message : `The copy failed: ${messageOf(error)}`)
    if (!(error instanceof CopyError) && error instanceof Error && error.stack) io.err(error.stack)
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2))
}
