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

/** The longest a 1 ms interval waited between its runs while `work` ran. */
async function longestGap(work: () => Promise<void>): Promise<number> {
  let last = performance.now()
  let longest = 0
  const timer = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }, 1)
  try {
    await new Promise((resolve) => setTimeout(resolve, 5))
    last = performance.now()
    await work()
    await new Promise((resolve) => setTimeout(resolve, 5))
  } finally {
    clearInterval(timer)
  }
  return longest
}

/** Statements one after the other for `ms`, as a request or a job's loop runs them. */
const queriesFor = (db: ReturnType<typeof openDatabase>, ms: number) => async () => {
  const until = performance.now() + ms
  while (performance.now() < until)
    await db
      .selectFrom('t' as never)
      .select('n' as never)
      .execute()
}

test('a paced connection lets timers and I/O in between its statements; an unpaced one does not', async () => {
  const paced = openDatabase(':memory:', { pacing: { turnMs: 5 } })
  const unpaced = openDatabase(':memory:')
  try {
    for (const db of [paced, unpaced]) {
      await db.schema.createTable('t').addColumn('n', 'integer').execute()
    }
    // Without pacing, statements that each resolve at once never give the loop a turn.
    expect(await longestGap(queriesFor(unpaced, 300))).toBeGreaterThan(250)
    expect(await longestGap(queriesFor(paced, 300))).toBeLessThan(60)
    // Inside a transaction too; and the transaction sees only its own writes until it commits.
    const gap = await longestGap(() =>
      paced.transaction().execute(async (trx) => {
        await trx
          .insertInto('t' as never)
          .values({ n: 1 } as never)
          .execute()
        await queriesFor(trx as never, 200)()
      }),
    )
    expect(gap).toBeLessThan(60)
  } finally {
    await paced.destroy()
    await unpaced.destroy()
  }
})

test('a paced connection keeps transactions whole: rollbacks, savepoints, and callers waiting their turn', async () => {
  const db = openDatabase(':memory:', { pacing: { turnMs: 1 } })
  try {
    await db.schema.createTable('t').addColumn('n', 'integer').execute()
    const insert = (trx: typeof db, n: number) =>
      trx
        .insertInto('t' as never)
        .values({ n } as never)
        .execute()
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, 1)
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    const trx = await db.startTransaction().execute()
    await insert(trx, 2)
    const point = await trx.savepoint('before').execute()
    await insert(point, 3)
    const back = await point.rollbackToSavepoint('before').execute()
    await back.commit().execute()
    // Two transactions begun together each run whole, one after the other.
    await Promise.all(
      [10, 20].map((base) =>
        db.transaction().execute(async (t) => {
          for (let i = 0; i < 50; i++) await insert(t, base)
        }),
      ),
    )
    const rows = await db
      .selectFrom('t' as never)
      .select((eb) => [eb.ref('n' as never).as('n'), eb.fn.countAll<number>().as('c')])
      .groupBy('n' as never)
      .orderBy('n' as never)
      .execute()
    expect(rows).toEqual([
      { n: 2, c: 1 },
      { n: 10, c: 50 },
      { n: 20, c: 50 },
    ])
  } finally {
    await db.destroy()
  }
})
