import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

export interface Mail {
  to: string
  subject: string
  text: string
}

/**
 * Sends a plain-text email: through SMTP when SMTP_URL is set, otherwise
 * written as an .eml file to MAIL_OUTBOX (db/outbox by default) so a
 * development or demo install shows exactly what would have gone out.
 * Returns the outbox file's path, if any.
 */
export async function sendMail(mail: Mail): Promise<string | null> {
  const env = getEnv()
  if (env.SMTP_URL) {
    const transport = singleton(`smtp:${env.SMTP_URL}`, () =>
      nodemailer.createTransport(env.SMTP_URL),
    )
    await transport.sendMail({ from: env.MAIL_FROM, ...mail })
    return null
  }
  const transport = singleton('mail:stream', () =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
  )
  const info = await transport.sendMail({ from: env.MAIL_FROM, ...mail })
  await mkdir(env.MAIL_OUTBOX, { recursive: true })
  const file = path.join(
    env.MAIL_OUTBOX,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`,
  )
  await writeFile(file, info.message as Buffer, { mode: 0o600 })
  return file
}
