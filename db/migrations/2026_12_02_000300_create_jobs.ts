import type { Kysely } from 'kysely'

// Long work runs as jobs (app/jobs/): this table is their record, read by the pages that show
// their progress. A job is claimed by changing its state from 'queued' to 'running' in one
// conditional update, so that it runs once however many servers were told of it; a running job
// says it is alive in heartbeat_at, and one whose server died is queued again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('consultation_id', 'integer', (c) =>
      c.references('consultations.id').onDelete('cascade'),
    )
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('phase', 'text')
    .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'integer')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('requested_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('finished_at', 'text')
    .execute()
  await db.schema.createIndex('jobs_state').on('jobs').columns(['state', 'id']).execute()
  await db.schema
    .createIndex('jobs_consultation')
    .on('jobs')
    .columns(['consultation_id', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute()
}
