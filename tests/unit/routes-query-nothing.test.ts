import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'

// Every query lives in app/models or app/reports, written once (STYLE.md, rule 1): a route that
// builds one itself fails here, with its name and the line.
const QUERY =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql\.raw\(/

describe('route modules', () => {
  const dir = path.resolve('app/routes')
  const files = readdirSync(dir).filter((f) => /\.tsx?$/.test(f))

  test('there are route modules to read', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  test.each(files)('%s runs no query of its own', (file) => {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n')
    const found = lines
      .map((line, i) => ({ line: i + 1, text: line.trim() }))
      .filter(({ text }) => QUERY.test(text))
    expect(found).toEqual([])
  })
})
