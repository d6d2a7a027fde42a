import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Append-only: actor_id has no foreign key so that deleting an account never
// rewrites history, and triggers refuse UPDATE and DELETE (each engine's own syntax).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('audit_log_entity')
    .on('audit_log')
    .columns(['entity_type', 'entity_id'])
    .execute()
  await db.schema.createIndex('audit_log_created_at').on('audit_log').column('created_at').execute()
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db)
    await sql`create trigger audit_log_no_update before update on audit_log
      for each row execute function audit_log_append_only()`.execute(db)
    await sql`create trigger audit_log_no_delete before delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db)
    return
  }
  await sql`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db)
  await sql`create trigger audit_log_no_delete before delete on audit_log
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.dropTable('audit_log').execute()
    await sql`drop function if exists audit_log_append_only()`.execute(db)
    return
  }
  await sql`drop trigger if exists audit_log_no_delete`.execute(db)
  await sql`drop trigger if exists audit_log_no_update`.execute(db)
  await db.schema.dropTable('audit_log').execute()
}
