import { createHash } from 'node:crypto'

/** The request headers Laaffic authenticates with. */
export const SIGNED_HEADERS = { apiKey: 'Api-Key', timestamp: 'Timestamp', sign: 'Sign' } as const

/**
 * Sign = lowercase md5 hex of apiKey + apiSecret + Timestamp (see shared/laaffic-api/README.md for the
 * provider's vector). The client sends it, the simulator checks it.
 */
export function sign (apiKey: string, apiSecret: string, timestamp: string): string {
  return createHash('md5').update(apiKey + apiSecret + timestamp, 'utf8').digest('hex')
}

/** The headers of a request made at `nowMs`: Timestamp in whole Unix seconds. */
export function signedHeaders (apiKey: string, apiSecret: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000))
  return { [SIGNED_HEADERS.apiKey]: apiKey, [SIGNED_HEADERS.timestamp]: timestamp, [SIGNED_HEADERS.sign]: sign(apiKey, apiSecret, timestamp) }
}

/** Whether a request's Sign is right for its key, secret and Timestamp; the provider ignores the hex digits' case. */
export function signatureMatches (apiKey: string, apiSecret: string, timestamp: string, given: string): boolean {
  return /^\d+$/.test(timestamp) && given.toLowerCase() === sign(apiKey, apiSecret, timestamp)
}
