import { expect, test } from 'vitest'
import { openDatabase, openSqlite, selectArrays, withStatementCache } from '#db/connection.ts'

test('a query prepared once is reused; the least recently used beyond 500 are dropped', () => {
  const connection = withStatementCache(openSqlite(':memory:'))
  try {
    const first = connection.prepare('select 1 as n')
    expect(connection.prepare('select 1 as n')).toBe(first)
    expect(first.all([])).toEqual([{ n: 1 }])
    for (let i = 0; i < 499; i++) connection.prepare(`select ${i + 2} as n`)
    const thirdBefore = connection.prepare('select 3 as n')
    connection.prepare('select 4 as n')
    for (let i = 5; i <= 500; i++) connection.prepare(`select ${i} as n`)
    // Used again just now, so not the least recently used.
    expect(connection.prepare('select 1 as n')).toBe(first)
    const second = connection.prepare('select 2 as n')
    connection.prepare('select 999 as n')
    expect(connection.prepare('select 1 as n')).toBe(first)
    expect(connection.prepare('select 2 as n')).toBe(second)
    // Statements 3 to 500 were touched in order after 1 and 2; 3 was dropped when 999 came.
    const third = connection.prepare('select 3 as n')
    expect(third).not.toBe(thirdBefore)
    expect(third.all([])).toEqual([{ n: 3 }])
  } finally {
    connection.close()
  }
})

test('Kysely runs the same query many times through one prepared statement', async () => {
  const db = openDatabase(':memory:')
  try {
    await db.schema.createTable('t').addColumn('n', 'integer').execute()
    for (let n = 0; n < 100; n++)
      await db
        .insertInto('t' as never)
        .values({ n } as never)
        .execute()
    const rows = await db
      .selectFrom('t' as never)
      .select('n' as never)
      .execute()
    expect(rows).toHaveLength(100)
  } finally {
    await db.destroy()
  }
})

test('selectArrays gives rows as arrays in select order, also inside a transaction', async () => {
  const db = openDatabase(':memory:')
  try {
    await db.schema.createTable('t').addColumn('n', 'integer').addColumn('s', 'text').execute()
    await db
      .insertInto('t' as never)
      .values([
        { n: 1, s: 'one' },
        { n: 2, s: null },
      ] as never)
      .execute()
    const query = (handle: typeof db) =>
      handle
        .selectFrom('t' as never)
        .select(['s', 'n'] as never)
        .orderBy('n' as never)
    expect(await selectArrays(db, query(db))).toEqual([
      ['one', 1],
      [null, 2],
    ])
    await db.transaction().execute(async (trx) => {
      expect(await selectArrays(trx, query(trx))).toEqual([
        ['one', 1],
        [null, 2],
      ])
    })
  } finally {
    await db.destroy()
  }
})

test('selectArrays waits for a transaction in progress and never reads what it rolls back', async () => {
  const db = openDatabase(':memory:')
  try {
    await db.schema.createTable('t').addColumn('n', 'integer').execute()
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let inserted!: () => void
    const didInsert = new Promise<void>((resolve) => (inserted = resolve))
    const transaction = db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('t' as never)
          .values({ n: 1 } as never)
          .execute()
        inserted()
        await held
        throw new Error('rolled back')
      })
      .catch((error: Error) => error.message)
    await didInsert
    const read = selectArrays(
      db,
      db.selectFrom('t' as never).select(db.fn.countAll().as('rows') as never),
    )
    release()
    expect(await transaction).toBe('rolled back')
    expect(await read).toEqual([[0]])
  } finally {
    await db.destroy()
  }
})
