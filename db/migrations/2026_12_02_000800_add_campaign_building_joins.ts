import type { Kysely } from 'kysely'

// Once a rebuild has written its generation, responses join it in their own transaction, as
// they join the generation in use: noting them for the rebuild to bring in later made its
// catch-up a race it lost at a million, the submissions arriving faster than it brought them in.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('consultations')
    .addColumn('campaign_building_joins', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').dropColumn('campaign_building_joins').execute()
}
