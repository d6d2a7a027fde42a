import { Link } from '@remix-run/react'

/** Previous and next links between the pages of a long list (`?page=n`), in a labelled nav. */
export function PageLinks({
  page,
  pageCount,
  label,
  previous,
  next,
}: {
  page: number
  pageCount: number
  /** The nav's accessible name: which list these pages are of. */
  label: string
  previous: string
  next: string
}) {
  if (pageCount <= 1) return null
  return (
    <nav aria-label={label}>
      <ul className="pagination">
        {page > 1 ? (
          <li>
            <Link to={`?page=${page - 1}`}>{previous}</Link>
          </li>
        ) : null}
        {page < pageCount ? (
          <li>
            <Link to={`?page=${page + 1}`}>{next}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  )
}
