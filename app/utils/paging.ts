import { z } from 'zod'

// A page number out of range or not a number shows the first page rather than an error.
const Page = z.coerce.number().int().min(1).max(1_000_000).catch(1)

/** The page a long list's `?page=` asks for: 1 when it is missing or not a page number. */
export function pageParam(url: URL): number {
  return Page.parse(url.searchParams.get('page') ?? 1)
}

/** Page `asked` of `total` items, `perPage` to a page, brought into range (the last page at most). */
export function pageOf(total: number, perPage: number, asked: number) {
  const pageCount = Math.max(1, Math.ceil(total / perPage))
  const page = Math.min(Math.max(1, asked), pageCount)
  return { page, pageCount, offset: (page - 1) * perPage }
}
