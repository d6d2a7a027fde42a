import type { Kysely } from 'kysely'

// A round's themes (app/models/themes.server.ts), for the round or one of its controls or tags:
// proposed by a themes job, accepted by an official as a tag, renamed, split or merged. A theme's
// members are kept in generations, one per job that placed them (members_job_id says which is
// current), so that a job builds its members beside the old ones and switches in one short
// transaction; the members of a generation no longer current are removed a batch at a time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('themes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('control_id', 'integer', (c) => c.references('controls.id').onDelete('cascade'))
    .addColumn('scope_tag_id', 'integer', (c) => c.references('tags.id').onDelete('cascade'))
    // building (a job is writing it), proposed, accepted, retired (to be removed).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // The official's name for it; null while it is named by its key phrases.
    .addColumn('name', 'text')
    // JSON: its summary as the page shows it (phrases, sizes, positions, groups, quotes).
    .addColumn('summary', 'text', (c) => c.notNull())
    // JSON: its centre (terms and weights), to place responses that arrive later.
    .addColumn('centre', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'integer', (c) => c.references('tags.id').onDelete('set null'))
    .addColumn('members_job_id', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('themes_consultation')
    .on('themes')
    .columns(['consultation_id', 'state'])
    .execute()
  await db.schema
    .createTable('theme_members')
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addColumn('job_id', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    // 1 once the theme's tag has been applied to it (or it was a member when it was applied).
    .addColumn('tagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('theme_members_pk', ['theme_id', 'job_id', 'response_id'])
    .execute()
  await db.schema
    .createIndex('theme_members_response')
    .on('theme_members')
    .columns(['response_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('theme_members').execute()
  await db.schema.dropTable('themes').execute()
}
