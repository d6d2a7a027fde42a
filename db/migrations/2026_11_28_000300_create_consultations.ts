import type { Kysely } from 'kysely'

// Status is not stored: it is derived from published_at, opens_at, closes_at
// and archived_at, so a round opens and closes on time without a job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consultations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('background', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('commitments', 'text', (c) => c.notNull().defaultTo('[2]'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('opens_at', 'text')
    .addColumn('closes_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('late_comments_allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('contact_point', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('consultations_closes_at')
    .on('consultations')
    .columns(['published_at', 'closes_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consultations').execute()
}
