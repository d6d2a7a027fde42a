import type { Kysely } from 'kysely'

// When officials published the round's summary report (its PDF becomes public).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').addColumn('report_published_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').dropColumn('report_published_at').execute()
}
