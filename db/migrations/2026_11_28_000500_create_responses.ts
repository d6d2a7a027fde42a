import { type Kysely, sql } from 'kysely'

// One response (a submission) carries the respondent's details and choices;
// its items are comments on the round as a whole (control_id null) or on one
// proposed control, and answers reply to that control's questions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('responses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('consultation_id', 'integer', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
    .addColumn('edit_token_hash', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('respondent_type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`respondent_type in ('company', 'business_association', 'academic', 'ngo', 'trade_union', 'public_authority', 'individual', 'other')`,
        ),
    )
    .addColumn('organisation', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('organisation_size', 'text', (c) =>
      c.check(
        sql`organisation_size is null or organisation_size in ('micro', 'small', 'medium', 'large')`,
      ),
    )
    .addColumn('register_id', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('publication', 'text', (c) =>
      c.notNull().check(sql`publication in ('named', 'anonymous', 'not_published')`),
    )
    .addColumn('confidential', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confidential_justification', 'text')
    .addColumn('public_version', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('received')
        .check(sql`status in ('draft', 'received', 'published', 'withheld', 'spam', 'withdrawn')`),
    )
    .addColumn('moderation_reason', 'text')
    .addColumn('is_late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .execute()
  await db.schema
    .createIndex('responses_consultation_status_submitted')
    .on('responses')
    .columns(['consultation_id', 'status', 'submitted_at'])
    .execute()
  await db.schema.createIndex('responses_user_id').on('responses').column('user_id').execute()

  await db.schema
    .createTable('response_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('response_id', 'integer', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('control_id', 'integer', (c) => c.references('controls.id'))
    .addColumn('position', 'text', (c) =>
      c
        .notNull()
        .check(sql`position in ('support', 'support_with_changes', 'oppose', 'no_position')`),
    )
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .createIndex('response_items_response_id')
    .on('response_items')
    .column('response_id')
    .execute()
  await db.schema
    .createIndex('response_items_control_id')
    .on('response_items')
    .column('control_id')
    .execute()

  await db.schema
    .createTable('response_answers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('item_id', 'integer', (c) =>
      c.notNull().references('response_items.id').onDelete('cascade'),
    )
    .addColumn('question_id', 'integer', (c) =>
      c.notNull().references('control_questions.id').onDelete('cascade'),
    )
    .addColumn('answer', 'text', (c) => c.notNull())
    .addUniqueConstraint('response_answers_item_question', ['item_id', 'question_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_answers').execute()
  await db.schema.dropTable('response_items').execute()
  await db.schema.dropTable('responses').execute()
}
