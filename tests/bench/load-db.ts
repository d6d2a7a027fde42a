import { randomBytes } from 'node:crypto'
import { openDatabase, openSqlite } from '../../db/connection.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { hasCjk } from '../../app/analysis/search-query.ts'
import { recountRoundCounts } from '../../app/models/round-counts.server.ts'
import type { SyntheticResponse } from './generate.ts'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
// Sequential, so a million of them never collide (random 40-bit ones would, by the birthday bound).
let counter = 0
const tracking = () => {
  let n = counter++
  let s = ''
  for (let i = 0; i < 8; i++) {
    s = ALPHABET[n & 31] + s
    n = Math.floor(n / 32)
  }
  return `CMT-${s.slice(0, 4)}-${s.slice(4)}`
}

/**
 * Fills a migrated portal database with `count` synthetic responses in one
 * round of four controls, straight through SQLite (the HTTP path is measured
 * separately): responses, their items and their search entries (in the search file, attached:
 * made beside an empty portal, it counts as built, and so holds what is written to it here).
 */
export async function loadPortalDb(file: string, count: number, next: () => SyntheticResponse) {
  const db = openDatabase(file)
  await migrateToLatest(db)
  await db.destroy()
  const sqlite = openSqlite(file)
  const now = new Date().toISOString()
  const round = sqlite
    .prepare(
      `insert into consultations (slug, title, summary, background, commitments, time_zone, opens_at, closes_at, published_at, late_comments_allowed, contact_point, created_at, updated_at)
       values ('bench-round', 'Benchmark round: surveillance technology controls', 'Synthetic round for the benchmark.', '', '[2]', 'UTC', ?, ?, ?, 0, '', ?, ?)`,
    )
    .run(
      new Date(Date.now() - 30 * 86_400_000).toISOString(),
      new Date(Date.now() + 30 * 86_400_000).toISOString(),
      now,
      now,
      now,
    )
  const roundId = Number(round.lastInsertRowid)
  const controlIds: number[] = []
  for (let i = 0; i < 4; i++) {
    const c = sqlite
      .prepare(
        'insert into controls (consultation_id, position, reference, title, body, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(roundId, i, `Item ${i + 1}`, `Proposed control ${i + 1}`, 'Text', now, now)
    controlIds.push(Number(c.lastInsertRowid))
  }
  const insertResponse = sqlite.prepare(
    `insert into responses (consultation_id, tracking_number, edit_token_hash, respondent_type, organisation, author_name, country, publication, confidential, status, is_late, submitted_at, updated_at, published_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?)`,
  )
  const insertItem = sqlite.prepare(
    'insert into response_items (response_id, control_id, position, body) values (?, ?, ?, ?)',
  )
  const insertFts = sqlite.prepare('insert into response_fts (rowid, body) values (?, ?)')
  const insertCjk = sqlite.prepare('insert into response_fts_cjk (rowid, body) values (?, ?)')
  const campaigns: (number | null)[] = []
  const reuse: SyntheticResponse['reuse'][] = []
  const ids: number[] = []
  const start = Date.now() - 29 * 86_400_000
  const batch = sqlite.transaction((n: number, offset: number) => {
    for (let k = 0; k < n; k++) {
      const r = next()
      const at = new Date(start + ((offset + k) / count) * 28 * 86_400_000).toISOString()
      const organisation =
        r.respondentType === 'individual' ? null : `Organisation ${(offset + k) % 5000}`
      const { lastInsertRowid } = insertResponse.run(
        roundId,
        tracking(),
        randomBytes(16).toString('hex'),
        r.respondentType,
        organisation,
        r.respondentType === 'individual' ? `Person ${offset + k}` : null,
        r.country,
        r.publication,
        r.published ? 'published' : 'received',
        at,
        at,
        r.published ? at : null,
      )
      const id = Number(lastInsertRowid)
      insertItem.run(id, controlIds[r.control], r.position, r.body)
      const searchable = `${organisation ?? ''}\n\n${r.body}`
      insertFts.run(id, searchable)
      if (hasCjk(r.body)) insertCjk.run(id, searchable)
      campaigns.push(r.campaign)
      reuse.push(r.reuse)
      ids.push(id)
    }
  })
  for (let offset = 0; offset < count; offset += 5000) batch(Math.min(5000, count - offset), offset)
  sqlite.close()
  // Loaded around the portal's code: its kept statistics are counted once, here.
  const counted = openDatabase(file)
  await recountRoundCounts(counted, { consultationId: roundId })
  await counted.destroy()
  return { roundId, slug: 'bench-round', controlIds, ids, campaigns, reuse }
}

/** The round loadPortalDb made: its ids, and each response's campaign as generated. */
export type PortalRound = Awaited<ReturnType<typeof loadPortalDb>>

/** The baseline's database: the same texts in its one table and its search index. */
export function loadBaselineDb(file: string, count: number, next: () => SyntheticResponse) {
  const sqlite = openSqlite(file, { search: false })
  sqlite.exec(`create table if not exists comments (id integer primary key, status text not null, submitted_at text not null, author text, body text not null);
    create index if not exists comments_status_submitted on comments (status, submitted_at);
    create virtual table if not exists comments_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2');`)
  const insert = sqlite.prepare(
    'insert into comments (status, submitted_at, author, body) values (?, ?, ?, ?)',
  )
  const insertFts = sqlite.prepare('insert into comments_fts (rowid, body) values (?, ?)')
  const start = Date.now() - 29 * 86_400_000
  const batch = sqlite.transaction((n: number, offset: number) => {
    for (let k = 0; k < n; k++) {
      const r = next()
      const at = new Date(start + ((offset + k) / count) * 28 * 86_400_000).toISOString()
      const { lastInsertRowid } = insert.run(
        r.published ? 'published' : 'received',
        at,
        `Person ${offset + k}`,
        r.body,
      )
      insertFts.run(lastInsertRowid, r.body)
    }
  })
  for (let offset = 0; offset < count; offset += 5000) batch(Math.min(5000, count - offset), offset)
  sqlite.close()
}
