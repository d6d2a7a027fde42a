import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))

export default defineConfig({
  root,
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Real hashing, files and child processes on two shared cores: 5 s was too tight when
          // the heavier files (fuzzing, backups under load) run beside a sign-in test.
          testTimeout: 30_000,
          setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/integration.ts'],
        },
      },
      // The same integration tests on PostgreSQL, when a server is given (TEST_DATABASE_URL).
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'integration-postgres',
                include: ['tests/integration/**/*.test.{ts,tsx}'],
                environment: 'node',
                testTimeout: 30_000,
                env: { PORTAL_TEST_ENGINE: 'postgres' },
                setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/integration.ts'],
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/e2e-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser at a time: the machine has two cores and the server needs one.
          fileParallelism: false,
        },
      },
    ],
  },
})
