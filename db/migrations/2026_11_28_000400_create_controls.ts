import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('controls')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('amended_at', 'text')
    .execute()
  await db.schema
    .createIndex('controls_consultation_position')
    .on('controls')
    .columns(['consultation_id', 'position'])
    .execute()

  await db.schema
    .createTable('control_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('control_id', 'integer', (c) =>
      c.notNull().references('controls.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('control_questions_control_position')
    .on('control_questions')
    .columns(['control_id', 'position'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('control_questions').execute()
  await db.schema.dropTable('controls').execute()
}
