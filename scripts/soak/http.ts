// A minimal HTTP/1.1 client over node:http with an explicit agent, so the soak decides which
// connections it keeps open to the exporter (and can close them before counting the exporter's sockets).
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

/** Control-API call: JSON in, JSON out; throws unless 2xx. */
export async function controlCall (url: string, method: string, agent: Agent, json?: unknown): Promise<unknown> {
  const answer = await send(url, { agent, method, json, timeoutMs: 10_000 })
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${url}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`)
  return answer.body === '' ? undefined : JSON.parse(answer.body) as unknown
}

/** Runs `task` for each item, at most `limit` at a time. */
export async function eachLimited<T> (items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
