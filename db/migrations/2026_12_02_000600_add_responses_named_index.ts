import { type Kysely, sql } from 'kysely'

// The report's annex of named respondents: the first 5,000 names in order, and how many there
// are. Without an index both read every published response of the round and sorted them
// (about 4 s at a million, on the server's thread); with the names in an index (an expression
// index, on both engines) the first names are the index's first entries, and the count walks
// it a slice at a time (app/reports/report-model.server.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index responses_named on responses
    (consultation_id, status, publication, (coalesce(organisation, author_name)))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_named').execute()
}
