import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, test } from 'vitest'
import { verifyPassword } from '#app/auth/password.server.ts'
import { removeDatabaseFiles } from '#tests/helpers/database-files.ts'

const file = path.resolve(`tests/.tmp/cli-${randomUUID()}.sqlite`)

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(
    path.resolve('node_modules/.bin/tsx'),
    ['app/cli/user-create.server.ts', ...args],
    {
      env: { ...process.env, DATABASE_PATH: file, ...env },
      encoding: 'utf8',
      input: '',
    },
  )
}

afterAll(() => {
  removeDatabaseFiles(file)
})

describe('npm run user:create', { timeout: 30_000 }, () => {
  test('creates the first admin of a fresh install from NEW_USER_PASSWORD', async () => {
    const result = run(
      ['--email', 'First.Admin@Example.org', '--name', 'First Admin', '--role', 'admin'],
      {
        NEW_USER_PASSWORD: 'a strong first admin passphrase',
      },
    )
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/Created admin account #\d+ for first\.admin@example\.org/)
    const sqlite = new Database(file, { readonly: true })
    const row = sqlite
      .prepare('select role, password_hash from users where email = ?')
      .get('first.admin@example.org') as {
      role: string
      password_hash: string
    }
    sqlite.close()
    expect(row.role).toBe('admin')
    expect(await verifyPassword('a strong first admin passphrase', row.password_hash)).toBe(true)
  })

  test('refuses a weak password, a bad role and a taken address with a message', () => {
    const weak = run(['--email', 'x@example.org', '--name', 'X', '--role', 'official'], {
      NEW_USER_PASSWORD: 'short',
    })
    expect(weak.status).toBe(1)
    expect(weak.stderr).toMatch(/at least 12 characters/)
    const role = run(['--email', 'x@example.org', '--name', 'X', '--role', 'king'], {
      NEW_USER_PASSWORD: 'long enough passphrase',
    })
    expect(role.stderr).toMatch(/--role must be admin, official or participant/)
    const taken = run(
      ['--email', 'first.admin@example.org', '--name', 'Again', '--role', 'admin'],
      {
        NEW_USER_PASSWORD: 'another strong passphrase',
      },
    )
    expect(taken.status).toBe(1)
    expect(taken.stderr).toMatch(/already exists/)
  })

  test('without NEW_USER_PASSWORD and no terminal, says how to give the password', () => {
    const result = run(['--email', 'y@example.org', '--name', 'Y'])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/Set NEW_USER_PASSWORD/)
  })
})
