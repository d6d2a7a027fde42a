import type { MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary, errorMeta } from '#app/components/error-boundary.tsx'

// Any URL no other route matches: a styled 404 inside the site's layout.
export function loader() {
  throw new Response('Not found', { status: 404 })
}

export const meta: MetaFunction = (args) => errorMeta(args)

export default function NotFound() {
  return null
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
