import { CompiledQuery, type Kysely, sql } from 'kysely'
import { isPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'

/** The texts of the multi-row inserts compiled so far, by table, columns and row count. */
const insertTexts = new Map<string, string>()
/** Distinct row counts are few (full chunks, and each band's last); this bounds the map anyway. */
const INSERT_TEXTS = 256

/**
 * Inserts many rows with one statement, compiled by Kysely (so in the dialect's own
 * placeholders) once per shape and run again with each chunk's values: compiling a statement of
 * thousands of rows costs more than running it, and a campaign rebuild or a themes job writes
 * millions. `upsert` names
 * the key whose conflicts update the other columns.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  columns: readonly string[],
  values: unknown[],
  upsert?: string,
): Promise<void> {
  const rows = values.length / columns.length
  if (!rows) return
  // Each engine its own text: SQLite numbers no placeholders (?), PostgreSQL does ($1).
  const key = `${isPostgres(db) ? 'pg' : 'sqlite'}|${table}|${columns.join(',')}|${rows}|${upsert}`
  let text = insertTexts.get(key)
  if (text === undefined) {
    const row = Object.fromEntries(columns.map((column) => [column, null]))
    let query = db.insertInto(table).values(Array.from({ length: rows }, () => row) as never)
    if (upsert) {
      const updated = columns.filter((c) => c !== upsert)
      query = query.onConflict((oc) =>
        oc
          .column(upsert as never)
          .doUpdateSet(
            Object.fromEntries(updated.map((c) => [c, sql.ref(`excluded.${c}`)])) as never,
          ),
      )
    }
    text = query.compile().sql
    if (insertTexts.size >= INSERT_TEXTS) insertTexts.clear()
    insertTexts.set(key, text)
  }
  await db.executeQuery(CompiledQuery.raw(text, values))
}
