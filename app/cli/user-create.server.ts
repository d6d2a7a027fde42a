// `npm run user:create -- --email E --name N --role admin|official|participant`
// Creates an account from the command line, so a fresh production install can
// get its first admin. The password comes from NEW_USER_PASSWORD, or is asked
// for on the terminal without being echoed.
import { parseArgs } from 'node:util'
import { BUSY_TIMEOUT, openDatabase } from '#db/connection.ts'
import { databasePath } from '#db/path.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { passwordProblem } from '#app/auth/password-policy.ts'
import { emailField, roleField } from '#app/auth/schemas.ts'
import { EmailTakenError, createAccount, normaliseEmail } from '#app/models/users.server.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

async function askHidden(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    fail('Set NEW_USER_PASSWORD, or run this on a terminal to be asked for the password.')
  }
  process.stdout.write(prompt)
  process.stdin.setRawMode(true)
  process.stdin.resume()
  let value = ''
  return new Promise((resolve) => {
    const onData = (buffer: Buffer) => {
      for (const char of buffer.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          process.stdin.setRawMode(false)
          process.stdin.pause()
          process.stdin.off('data', onData)
          process.stdout.write('\n')
          resolve(value)
          return
        }
        if (char === '\u0003') fail('\nCancelled.')
        if (char === '\u007f') value = value.slice(0, -1)
        else value += char
      }
    }
    process.stdin.on('data', onData)
  })
}

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'participant' },
  },
})

const email = emailField.transform(normaliseEmail).safeParse(values.email ?? '')
if (!email.success) fail('Give a valid --email.')
const role = roleField.safeParse(values.role)
if (!role.success) fail('--role must be admin, official or participant.')
const name = values.name?.trim()
if (!name) fail('Give a --name.')

const password =
  process.env.NEW_USER_PASSWORD ?? (await askHidden('Password for the new account: '))
const problem = passwordProblem(password, { email: email.data })
if (problem === 'short') fail('The password must have at least 12 characters.')
if (problem === 'long') fail('The password must have at most 256 characters.')
if (problem === 'common') fail('That password is too easy to guess: choose another.')

const db = openDatabase(databasePath(), { busyTimeoutMs: BUSY_TIMEOUT.tool })
try {
  await migrateToLatest(db)
  const id = await createAccount(db, {
    email: email.data,
    displayName: name,
    password,
    role: role.data,
  })
  console.log(`Created ${role.data} account #${id} for ${email.data}.`)
} catch (error) {
  if (error instanceof EmailTakenError) fail(`An account for ${email.data} already exists.`)
  throw error
} finally {
  await db.destroy()
}
