// `npm run db:check-counts [-- --repair]`: counts every round's statistics from scratch and
// compares them with the ones the portal keeps as responses change (app/models/round-counts).
// Prints each difference and exits 1 if there is one; with --repair, counts the differing
// rounds again into the kept tables (with the portal stopped: see recountRoundCounts).
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { recountRoundCounts } from '#app/models/round-counts.server.ts'
import { checkStatistics } from '#app/models/statistics.server.ts'
import { BUSY_TIMEOUT, openDatabase } from './connection.ts'
import { databasePath } from './path.ts'
import { openPostgres } from './postgres.ts'

if (
  import.meta.url.endsWith('/db/check-counts.ts') &&
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href
) {
  const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false } } })
  const url = process.env.DATABASE_URL
  const db = url
    ? openPostgres(url, { max: 1 })
    : openDatabase(databasePath(), { busyTimeoutMs: BUSY_TIMEOUT.tool })
  try {
    const rounds = await db
      .selectFrom('consultations')
      .select(['id', 'slug'])
      .orderBy('id')
      .execute()
    let differing = 0
    for (const round of rounds) {
      const differences = await checkStatistics(db, { consultationId: round.id })
      if (!differences.length) {
        console.log(`${round.slug}: the kept statistics agree with a count from scratch`)
        continue
      }
      differing++
      for (const line of differences) console.log(`${round.slug}: ${line}`)
      if (values.repair) {
        await recountRoundCounts(db, { consultationId: round.id })
        const after = await checkStatistics(db, { consultationId: round.id })
        console.log(`${round.slug}: counted again${after.length ? ', and still differs' : ''}`)
        if (!after.length) differing--
      }
    }
    process.exitCode = differing ? 1 : 0
  } finally {
    await db.destroy()
  }
}
