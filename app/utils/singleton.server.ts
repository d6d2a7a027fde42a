// Keeps one instance across the rebuilds of `npm run dev`, which re-import
// the server bundle: without it every rebuild would open another database.
const store = globalThis as unknown as { __portalSingletons?: Map<string, unknown> }

/** The value made by `make` the first time `name` is asked for, the same one after. */
export function singleton<T>(name: string, make: () => T): T {
  store.__portalSingletons ??= new Map()
  if (!store.__portalSingletons.has(name)) store.__portalSingletons.set(name, make())
  return store.__portalSingletons.get(name) as T
}
