import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/**
 * Lowers the calling thread's CPU priority (to nice 10, never raising it), for a background
 * worker thread: on two cores a campaign rebuild's thread took a core from the server's own, and
 * submissions waited.
 * Linux gives each thread its own nice value, found through /proc/thread-self; elsewhere, or where
 * that is not allowed, the thread keeps the process's priority.
 */
export function yieldCpuToServer(nice = 10): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1))
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(tid), nice))
  } catch {
    // Not Linux: the thread runs at the server's priority.
  }
}
