import path from 'node:path'
import { z } from 'zod'

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z
    .string()
    .min(1)
    .default('db/portal.sqlite')
    .transform((p) => (p === ':memory:' ? p : path.resolve(p))),
  /**
   * PostgreSQL instead of the SQLite file, for several app servers on one database:
   * postgres://user:password@host:5432/database (DATABASE_PATH is then unused).
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, 'a postgres:// URL')
    .optional(),
  /** Connections each app server keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL: the schema of the job queue's own tables (pg-boss). */
  JOB_QUEUE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'a lower-case schema name')
    .default('pgboss'),
  /** A running job silent this long (its server died) is taken up again by another server. */
  JOB_STALE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Comma-separated; the first signs, all verify, so secrets can rotate. */
  SESSION_SECRET: z.string().optional(),
  /** Base URL used in links sent by email, e.g. https://consult.example.gov */
  PUBLIC_URL: z.string().url().optional(),
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy. */
  TRUST_PROXY: flag.default(false),
  /** Seed demo accounts and a demo round into an empty database. */
  DEMO_SEED: flag.default(true),
  /** Log one line per request (off by default: it costs throughput). */
  LOG_REQUESTS: flag.default(false),
  /** Log each second in which the event loop was held for more than 50 ms (a slow step). */
  LOG_EVENT_LOOP: flag.default(false),
  /** Attachments: how many per response, and how large each may be (bytes). */
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).max(50).default(10),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Bytes of files a round's respondents may send in all, in MiB (staged ones included). */
  ROUND_STORAGE_MAX_MB: z.coerce.number().int().min(1).default(10_240),
  /** Files are refused when storing them would leave less than this free on the disk, in MiB. */
  DISK_MIN_FREE_MB: z.coerce.number().int().min(0).default(1024),
  /** Memory that forms being read may hold together, in MiB; beyond it, 503 with Retry-After. */
  FORM_MEMORY_BUDGET_MB: z.coerce.number().int().min(1).default(48),
  /** A client must send its request's headers within this time (slowloris), in ms. */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /** A whole request, body included, must arrive within this time, in ms. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(600_000),
  /** A connection with nothing sent either way for this long is closed, in ms. */
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Connections open at once; more are refused until some close. */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(2000),
  /** On SIGTERM, requests in flight get this long to finish, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Responses one client may send in ten minutes. */
  SUBMIT_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Open-data API requests one client may make in a minute. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
  /** SMTP server for receipts, e.g. smtps://user:pass@mail.example.org:465 */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Consultations <no-reply@consultations.invalid>'),
  /** Without SMTP_URL, receipts are written here as .eml files. */
  MAIL_OUTBOX: z
    .string()
    .default('db/outbox')
    .transform((p) => path.resolve(p)),
})

export type Env = z.infer<typeof schema>

let cached: Env | undefined
let secrets: string[] | undefined

/** The environment, parsed once; an invalid value stops start-up with a clear message. */
export function getEnv(): Env {
  if (cached) return cached
  const result = schema.safeParse(process.env)
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n')
    throw new Error(`Invalid environment variables:\n${problems}`)
  }
  cached = result.data
  return cached
}

/**
 * The secrets that sign cookies, newest first: the first signs, every one
 * verifies, so a secret can be rotated without signing everyone out.
 */
export function getSessionSecrets(): string[] {
  if (secrets) return secrets
  const list = (getEnv().SESSION_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (list.length === 0) {
    if (getEnv().NODE_ENV === 'production') {
      throw new Error('SESSION_SECRET must be set in production (see README, Configuration).')
    }
    list.push('development-only-secret-not-for-production')
  }
  secrets = list
  return secrets
}
