export interface ReceivedRequest {
  time: string
  /** The account the Api-Key belongs to, or null for an unknown key. */
  account: string | null
  headers: Record<string, string>
  signatureValid: boolean
  /** Local time minus Timestamp, in seconds (null when Timestamp is not a number). */
  timestampSkewSeconds: number | null
  /** What the simulator did: "0" (a good answer), a status code, or "fault:<type>". */
  answer: string
}

/** The last `capacity` requests, oldest first, so a long demo run cannot grow memory without bound. */
export class RequestLog {
  private entries: ReceivedRequest[] = []

  constructor (private readonly capacity = 1000) {}

  add (entry: ReceivedRequest): void {
    this.entries.push(entry)
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity)
  }

  list (account?: string): ReceivedRequest[] {
    return account === undefined ? [...this.entries] : this.entries.filter((e) => e.account === account)
  }

  clear (): void {
    this.entries = []
  }
}
