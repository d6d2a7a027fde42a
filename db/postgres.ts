// PostgreSQL, for deployments with several app servers (DATABASE_URL=postgres://…). Everything
// engine-specific about opening it is here, as db/connection.ts holds SQLite's pragmas.
import {
  type ColumnDefinitionNode,
  DataTypeNode,
  GeneratedNode,
  Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PrimitiveValueListNode,
  type ValueNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresAdapter,
  PostgresDialect,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import { createRequire } from 'node:module'
import type Pg from 'pg'
import type { Database } from './schema.ts'

let loaded: typeof Pg | undefined

/**
 * The pg driver, loaded on first use: it costs a process about 15 MB of memory, which an SQLite
 * portal (the default, on a 160 MB heap) need not carry.
 */
export function loadPg(): typeof Pg {
  if (loaded) return loaded
  const pg = createRequire(import.meta.url)('pg') as typeof Pg
  // Counts and ids come back from PostgreSQL as int8, which pg reads as strings by default: read
  // them as numbers, as SQLite gives them (every id and count here stays far below 2^53).
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : value
  })
  // Sums (numeric) too.
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value))
  loaded = pg
  return pg
}

/**
 * What SQLite accepts and PostgreSQL does not, made the same. The migrations' column types as
 * PostgreSQL spells them: SQLite's `integer` is 64-bit (and the
 * campaign buckets' keys need it), so `bigint`; `blob` is `bytea`; an auto-increment id is an
 * identity column. The migrations are written once for both engines through this.
 */
class PortableSchema extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node)
    if (!column.autoIncrement) return column
    return {
      ...column,
      autoIncrement: undefined,
      generated: GeneratedNode.create({ byDefault: true, identity: true }),
    }
  }

  // PostgreSQL's text cannot hold U+0000, and refuses a parameter with one (22021) where SQLite
  // compares and stores it: a hostile `?q=%00` was a 500. No stored text has one (nothing
  // could store it), so a parameter's NUL becomes U+FFFD: it finds nothing, as on SQLite.
  protected override transformValue(node: ValueNode): ValueNode {
    const value = node.value
    return typeof value === 'string' && value.includes('\u0000')
      ? { ...node, value: value.replaceAll('\u0000', '\uFFFD') }
      : node
  }

  protected override transformPrimitiveValueList(
    node: PrimitiveValueListNode,
  ): PrimitiveValueListNode {
    if (!node.values.some((v) => typeof v === 'string' && v.includes('\u0000'))) return node
    return {
      ...node,
      values: node.values.map((v) =>
        typeof v === 'string' ? v.replaceAll('\u0000', '\uFFFD') : v,
      ),
    }
  }

  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    if (node.dataType === 'integer') return DataTypeNode.create('bigint')
    if (node.dataType === 'blob') return DataTypeNode.create('bytea')
    return node
  }
}

const portableSchema: KyselyPlugin = {
  transformQuery: ({ node }: PluginTransformQueryArgs): RootOperationNode =>
    new PortableSchema().transformNode(node),
  transformResult: async ({
    result,
  }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => result,
}

/** Whether a database target names PostgreSQL (a URL) rather than an SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target)
}

/** A Kysely handle over a pool of connections to PostgreSQL. */
export function openPostgres(url: string, { max = 10 }: { max?: number } = {}): Kysely<Database> {
  const pool = new (loadPg().Pool)({ connectionString: url, max })
  // A connection lost while idle (a restart of the server) is replaced; not a crash.
  pool.on('error', (error) => console.warn('A PostgreSQL connection failed:', error.message))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [portableSchema] })
}

/** Whether a Kysely handle (or transaction) talks to PostgreSQL. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database type
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}
