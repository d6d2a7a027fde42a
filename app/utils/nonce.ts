import { createContext, useContext } from 'react'

const NonceContext = createContext<string>('')

/** Hands the request's CSP nonce to the document's inline scripts. */
export const NonceProvider = NonceContext.Provider

/** The CSP nonce of the document being rendered ('' in the browser). */
export function useNonce(): string {
  return useContext(NonceContext)
}
