import type { Kysely } from 'kysely'

// A round's responses in id order, for the keyset batches of exports and campaign rebuilds
// (`consultation_id = ? and id > ? order by id`). Without it SQLite took the round's status
// index and sorted the whole round for every batch: 0.9 s a batch at a million responses, which
// made a rebuild or a CSV export quadratic in the round's size.
//
// And the items' control and position beside their response id, so that counting positions per
// control reads an index instead of every item's row with its text (15 s at a million).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('responses_consultation_id')
    .on('responses')
    .columns(['consultation_id', 'id'])
    .execute()
  await db.schema.dropIndex('response_items_response_id').execute()
  await db.schema
    .createIndex('response_items_response_control_position')
    .on('response_items')
    .columns(['response_id', 'control_id', 'position'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('response_items_response_control_position').execute()
  await db.schema
    .createIndex('response_items_response_id')
    .on('response_items')
    .column('response_id')
    .execute()
  await db.schema.dropIndex('responses_consultation_id').execute()
}
