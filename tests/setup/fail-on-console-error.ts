import { afterEach, vi } from 'vitest'

// A console.error during a test is a bug the test did not look for: fail it.
let errors: unknown[][] = []
const original = console.error

console.error = (...args: unknown[]) => {
  errors.push(args)
  original(...args)
}

afterEach(() => {
  const seen = errors
  errors = []
  if (seen.length) {
    throw new Error(`console.error was called during the test:\n${seen.map(String).join('\n')}`)
  }
})

vi.stubEnv('NODE_ENV', 'test')
