import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { startCommand } from '#tests/helpers/start-command.ts'

/** What the server prints once it listens (app/server/start.server.ts). */
const READY = 'Consultation portal ready at'
/** A rebuild by `npm start` (another change in the checkout) takes well under this. */
const READY_TIMEOUT_MS = 180_000
/** Output kept per process group, for the message of a failure. */
const OUTPUT_KEPT = 200_000

export interface PortalProcess {
  /** The supervisor's pid, which is also its process group's id. */
  pgid: number
  output: () => string
  /** Resolves when the server has said it is ready `times` times since launch. */
  ready: (times?: number) => Promise<void>
  /** SIGKILL to the supervisor and its server at once; resolves when none of the group is left. */
  kill: () => Promise<void>
  /** SIGTERM to the whole group, as a terminal's Ctrl-C or systemd does; resolves on exit. */
  stop: () => Promise<void>
  /** The server the supervisor runs now, or null between two of them. */
  serverPid: () => number | null
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

interface GroupMember {
  pid: number
  ppid: number
  state: string
}

/**
 * The live processes of a process group. A killed server whose supervisor died too is
 * re-parented and may stay a zombie for a while: a zombie holds no file or socket, so it counts
 * as gone.
 */
function groupMembers(pgid: number): GroupMember[] {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0)
      return [{ pid: pgid, ppid: 0, state: 'R' }]
    } catch {
      return []
    }
  }
  const members: GroupMember[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // ended while we looked
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and brackets, so read after the last ')'.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') {
      members.push({ pid: Number(entry), ppid: Number(ppid), state: state! })
    }
  }
  return members
}

/** Process groups started here and not yet seen gone: killed if this process ends first. */
const live = new Set<number>()
process.once('exit', () => {
  for (const pgid of live) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) return false
    await sleep(20)
  }
  live.delete(pgid)
  return true
}

/**
 * Starts the portal with package.json's start command (`npm start`: its supervisor and the
 * server it runs) in a process group of its own, so that the whole of it can be killed at once.
 */
export function launchPortal({
  root,
  env,
}: {
  root: string
  env: Record<string, string>
}): PortalProcess {
  const npmStart = startCommand(root)
  const child: ChildProcess = spawn(npmStart.command, npmStart.args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pgid = child.pid!
  live.add(pgid)
  let output = ''
  let readyCount = 0
  // The end of the last chunk, so that a ready line split over two chunks is still counted once.
  let carry = ''
  const waiting = new Set<() => void>()
  const collect = (chunk: Buffer, fromStdout: boolean) => {
    const text = chunk.toString()
    output = (output + text).slice(-OUTPUT_KEPT)
    if (fromStdout) {
      const seen = carry + text
      readyCount += seen.split(READY).length - 1
      const last = seen.lastIndexOf(READY)
      const afterLast = last < 0 ? 0 : last + READY.length
      carry = seen.slice(Math.max(afterLast, seen.length - READY.length + 1))
    }
    for (const wake of waiting) wake()
  }
  child.stdout!.on('data', (chunk: Buffer) => collect(chunk, true))
  child.stderr!.on('data', (chunk: Buffer) => collect(chunk, false))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // After the exit of every process holding its pipes, and what they wrote read: the server's last
  // lines can arrive after its supervisor's exit, and after the server is gone from /proc.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  let hasExited = false
  void exited.then(() => {
    hasExited = true
    for (const wake of waiting) wake()
  })

  return {
    pgid,
    output: () => output,
    ready(times = 1) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check)
          reject(new Error(`The portal was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`))
        }, READY_TIMEOUT_MS)
        const check = () => {
          if (readyCount >= times) {
            clearTimeout(timer)
            waiting.delete(check)
            resolve()
          } else if (hasExited) {
            clearTimeout(timer)
            waiting.delete(check)
            reject(
              new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${output}`),
            )
          }
        }
        waiting.add(check)
        check()
      })
    },
    async kill() {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      await exited
      if (!(await groupGone(pgid, 10_000))) {
        throw new Error(`Process group ${pgid} still has members 10 s after SIGKILL`)
      }
      await closed
    },
    async stop() {
      if (!hasExited) {
        try {
          process.kill(-pgid, 'SIGTERM')
        } catch {
          // Already gone.
        }
      }
      await exited
      // The server may outlive its supervisor by its grace period: 10 s by default.
      if (!(await groupGone(pgid, 30_000))) {
        process.kill(-pgid, 'SIGKILL')
        await groupGone(pgid, 10_000)
        throw new Error(`The server did not stop within 30 s of SIGTERM:\n${output}`)
      }
      await closed
    },
    serverPid() {
      return groupMembers(pgid).find((m) => m.ppid === pgid)?.pid ?? null
    },
  }
}
