import { expect, test } from 'vitest'
import { pageOf, pageParam } from '#app/utils/paging.ts'

const url = (query: string) => new URL(`http://localhost/list${query}`)

test('a page asked for in the URL, or the first when it is missing or not a page number', () => {
  expect(pageParam(url('?page=3'))).toBe(3)
  for (const query of ['', '?page=', '?page=x', '?page=0', '?page=-2', '?page=1.5'])
    expect(pageParam(url(query)), query).toBe(1)
})

test('a page beyond the last is the last, and an empty list has one page', () => {
  expect(pageOf(120, 50, 2)).toEqual({ page: 2, pageCount: 3, offset: 50 })
  expect(pageOf(120, 50, 9)).toEqual({ page: 3, pageCount: 3, offset: 100 })
  expect(pageOf(0, 50, 4)).toEqual({ page: 1, pageCount: 1, offset: 0 })
})
