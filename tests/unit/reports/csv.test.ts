import { stringify } from 'csv-stringify/sync'
import { expect, test } from 'vitest'
import { type CsvCell, CsvWriter, csvCell } from '#app/reports/csv.ts'

const stringifyOptions = {
  escape_formulas: true,
  cast: { boolean: (value: boolean) => (value ? 'yes' : 'no') },
}

const tricky: CsvCell[] = [
  null,
  undefined,
  '',
  0,
  -12.5,
  true,
  false,
  'plain',
  'a, b',
  'she said "no"',
  '"',
  'line\nbreak',
  'carriage\rreturn',
  '=SUM(A1:A9)',
  '+1',
  '-1',
  '@cmd',
  '\tindented',
  '\rstart',
  '\uFF1Dfull-width equals',
  '\uFF0B\uFF0D\uFF20',
  '=danger, "quoted"',
  'accents: déjà vu, ĳ',
  '監視技術の輸出',
  'emoji 🛰️ and "quotes"',
]

test('each cell is written as csv-stringify writes it, formulas neutralised', () => {
  for (const value of tricky) {
    expect(csvCell(value), JSON.stringify(value)).toBe(
      stringify([[value]], stringifyOptions).replace(/\n$/, ''),
    )
  }
})

test('rows of random cells come out byte for byte as csv-stringify writes them', () => {
  const pieces = ['a', ',', '"', '\n', '\r', '=', '-', '+', '@', 'é', '監', '🛰️', ' ', '\uFF20']
  let seed = 7
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
  const rows: CsvCell[][] = []
  for (let r = 0; r < 300; r++) {
    const row: CsvCell[] = []
    for (let c = 0; c < 8; c++) {
      const kind = random(5)
      if (kind === 0) row.push(null)
      else if (kind === 1) row.push(random(2000) - 1000)
      else if (kind === 2) row.push(random(2) === 1)
      else {
        let text = ''
        for (let k = random(12); k > 0; k--) text += pieces[random(pieces.length)]
        row.push(text)
      }
    }
    rows.push(row)
  }
  const writer = new CsvWriter(16) // tiny blocks: many cells are longer than one
  for (const row of rows.slice(0, 150)) writer.row(row)
  const first = writer.take()
  for (const row of rows.slice(150)) writer.row(row)
  const bytes = Buffer.concat([...first, ...writer.take()])
  expect(bytes.toString('utf8')).toBe(stringify(rows, stringifyOptions))
})

test('hands over full blocks, never overwrites what it handed over, and nothing twice', () => {
  const writer = new CsvWriter(32)
  writer.row(['first', 1])
  const taken = writer.take()
  writer.row(['second, longer than a block of 32 bytes', 2])
  for (let i = 0; i < 20; i++) writer.row(['row', i])
  expect(Buffer.concat(taken).toString()).toBe('first,1\n')
  const rest = writer.take()
  expect(rest.length).toBeGreaterThan(2)
  expect(Buffer.concat(rest).toString()).toBe(
    `"second, longer than a block of 32 bytes",2\n${Array.from({ length: 20 }, (_, i) => `row,${i}\n`).join('')}`,
  )
  expect(writer.take()).toEqual([])
})
