import { type Kysely, sql } from 'kysely'
import { isPostgres } from '#db/postgres.ts'
import type { Database } from '#db/schema.ts'

/** The advisory lock (with the round's id) that orders campaign writes on PostgreSQL. */
const CAMPAIGN_LOCK = 7_262_002

/**
 * Takes the round's campaign lock until the transaction ends (PostgreSQL). Two copies of one
 * letter written side by side would not see each other, and each could open a cluster of its own
 * with an earlier copy; taken in turn, the second finds the first. A rebuild's switch takes it
 * too, so that no submission falls between the generations. A submission takes it last, so it
 * is held for the campaign update and the commit only. SQLite writes one transaction at a time.
 */
export async function lockRoundCampaigns(
  trx: Kysely<Database>,
  consultationId: number,
): Promise<void> {
  if (!isPostgres(trx)) return
  await sql`select pg_advisory_xact_lock(${CAMPAIGN_LOCK}, ${consultationId}::integer)`.execute(trx)
}
