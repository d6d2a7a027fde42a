// The memory that requests being read may hold together. Each form reserves what it may hold
// before reading it and more as it grows; one that cannot is told to retry (503, Retry-After)
// instead of the server running out of memory with many large requests at once.

export class MemoryBudget {
  private used = 0
  constructor(private readonly capacity: number) {}

  /** Reserves `bytes` if they fit; false (and nothing reserved) if not. */
  tryReserve(bytes: number): boolean {
    if (bytes < 0 || this.used + bytes > this.capacity) return false
    this.used += bytes
    return true
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes)
  }

  get reserved(): number {
    return this.used
  }

  get size(): number {
    return this.capacity
  }
}

/** One request's share of a budget, grown as it reads and given back in one call at its end. */
export class Reservation {
  private held = 0
  constructor(private readonly budget: MemoryBudget) {}

  /** Makes the reservation at least `bytes`; false if the budget cannot give that much. */
  ensure(bytes: number): boolean {
    if (bytes <= this.held) return true
    if (!this.budget.tryReserve(bytes - this.held)) return false
    this.held = bytes
    return true
  }

  release(): void {
    this.budget.release(this.held)
    this.held = 0
  }
}
