import { type Kysely, sql } from 'kysely'

// A campaign's members are near-identical copies of its text, or responses that reuse it: the
// template with a paragraph of their own, or only part of it, found by the containment of their
// shingles (README, Decisions, 2026-12-04). The campaign page tells them apart and shows what
// each of the second kind adds and leaves out. The members written before were all copies.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('campaign_members')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('copy')
        .check(sql`kind in ('copy', 'template')`),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaign_members').dropColumn('kind').execute()
}
