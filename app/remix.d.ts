import '@remix-run/node'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
  interface AppLoadContext {
    /** The client's address, for keyed-hash rate limits only; never stored. */
    clientAddress: string
  }
}
