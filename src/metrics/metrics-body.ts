import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { promisify } from 'node:util'
import { createGzip, gzip as gzipCallback } from 'node:zlib'

const gzip = promisify(gzipCallback)

/**
 * Below this a body is joined into one Buffer, once per change: a Buffer goes out in one write, and a scrape
 * of a few accounts is served tens of thousands of times a second. Above it the pieces are kept apart and
 * written one after the other: at 10,000 accounts the body is 13 MB, and a joined copy of it doubled what the
 * text kept in memory.
 */
export const JOIN_BELOW_BYTES = 1024 * 1024

/** A /metrics body, UTF-8: its pieces in order and their total length. */
export class MetricsBody {
  readonly chunks: readonly Buffer[]
  readonly byteLength: number

  constructor (pieces: readonly Buffer[]) {
    const byteLength = pieces.reduce((total, piece) => total + piece.length, 0)
    this.chunks = byteLength < JOIN_BELOW_BYTES && pieces.length > 1 ? [Buffer.concat(pieces, byteLength)] : pieces
    this.byteLength = byteLength
  }

  /** What fastify sends: the Buffer itself, or the pieces as a stream (the route sets Content-Length). */
  payload (): Buffer | Readable {
    const [only] = this.chunks
    return this.chunks.length === 1 && only !== undefined ? only : Readable.from(this.chunks, { objectMode: false })
  }

  /** The body compressed, without joining its pieces first. */
  async gzip (): Promise<Buffer> {
    const [only] = this.chunks
    if (this.chunks.length === 1 && only !== undefined) return await gzip(only)
    const compressor = createGzip()
    Readable.from(this.chunks, { objectMode: false }).pipe(compressor)
    return await buffer(compressor)
  }

  /** The text, for tests and tools (joins the pieces). */
  toString (): string {
    return Buffer.concat(this.chunks, this.byteLength).toString('utf8')
  }
}
