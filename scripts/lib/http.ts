// A minimal HTTP/1.1 client over node:http with an explicit agent, so the caller decides which connections
// stay open (the soak closes its own before counting the exporter's sockets).
import { Agent, request as httpRequest } from 'node:http'

export interface HttpAnswer {
  status: number
  body: string
}

export interface RequestOptions {
  agent: Agent
  timeoutMs: number
  method?: string
  /** Sent as JSON. */
  json?: unknown
}

/** One request; rejects on a network error or when the whole exchange takes longer than timeoutMs. */
export async function send (url: string, options: RequestOptions): Promise<HttpAnswer> {
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json)
  return await new Promise<HttpAnswer>((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? 'GET',
      agent: options.agent,
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }) })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** A keep-alive agent with at most `sockets` connections. */
export function keepAliveAgent (sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets })
}
