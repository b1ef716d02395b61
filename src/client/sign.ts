import { createHash } from 'node:crypto'

/**
 * The headers Laaffic authenticates a request with: Sign = lowercase md5 hex of apiKey + apiSecret + Timestamp,
 * Timestamp in whole Unix seconds (see shared/laaffic-api/README.md for the provider's vector).
 */
export function signedHeaders (apiKey: string, apiSecret: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000))
  const sign = createHash('md5').update(apiKey + apiSecret + timestamp, 'utf8').digest('hex')
  return { 'Api-Key': apiKey, Timestamp: timestamp, Sign: sign }
}
