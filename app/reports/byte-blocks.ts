/**
 * Text written as UTF-8 into blocks of a fixed size, handed over as they fill: how the exports
 * write a million rows. Building a batch as one JavaScript string made V8 flatten and re-encode
 * it (a single non-Latin-1 response turns the whole batch into a two-byte string), and a buffer
 * per 2,000-row batch (3 MB) fragmented the C heap by 34 MB over an export; blocks of one size
 * are reused by the allocator.
 */
export class ByteBlocks {
  readonly #blockSize: number
  #block: Buffer
  #length = 0
  #full: Buffer[] = []

  constructor(blockSize = 256 * 1024) {
    this.#blockSize = blockSize
    this.#block = Buffer.allocUnsafe(blockSize)
  }

  /** Appends a string's UTF-8 bytes. */
  text(value: string): void {
    if (!value.length) return
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    this.#reserve(value.length * 3)
    this.#length += this.#block.write(value, this.#length)
  }

  /** Appends one byte (an ASCII delimiter). */
  byte(value: number): void {
    this.#reserve(1)
    this.#block[this.#length++] = value
  }

  /** The bytes written since the last take, in blocks no longer written to. */
  take(): Buffer[] {
    this.#seal()
    return this.#full.splice(0)
  }

  #seal() {
    if (this.#length === 0) return
    this.#full.push(this.#block.subarray(0, this.#length))
    this.#block = Buffer.allocUnsafe(this.#blockSize)
    this.#length = 0
  }

  #reserve(bytes: number) {
    if (this.#length + bytes <= this.#block.length) return
    this.#seal()
    // Text longer than a block gets a block of its own size.
    if (bytes > this.#block.length) this.#block = Buffer.allocUnsafe(bytes)
  }
}
