// Debian's headless Chromium driven through the DevTools protocol, with Node's own WebSocket (Node 22+):
// open a page at a given window size, ask the page what it laid out, take a screenshot. No browser
// download, no driver package: the protocol is a few JSON messages.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startProgram, type Program } from './program.js'
import { waitFor } from './wait.js'

/** The flags that work in a container as root, with nothing reached outside loopback. */
export const chromiumArgs = (profile: string): string[] => [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
]

/** How long one step may take before it fails (a browser that stopped answering fails the caller, never hangs it). */
const STEP_TIMEOUT_MS = 30_000

async function within<T> (promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`Chromium: no answer to ${what} within ${STEP_TIMEOUT_MS} ms`)) }, STEP_TIMEOUT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

interface Reply { id?: number, method?: string, result?: Record<string, unknown>, error?: { message: string } }

export interface Browser {
  /** Sets the window's size in CSS pixels (`mobile`: as a phone lays out a page with a viewport meta tag). */
  resize: (width: number, height: number, mobile?: boolean) => Promise<void>
  /** Loads `url` and resolves once its load event has fired. */
  open: (url: string) => Promise<void>
  /** The value of a JavaScript expression evaluated in the page. */
  evaluate: <T>(expression: string) => Promise<T>
  /** A PNG of the page; `fullPage` takes it all, not only the window. */
  screenshot: (fullPage?: boolean) => Promise<Buffer>
  close: () => Promise<void>
  readonly program: Program
}

/** Starts Chromium with a fresh profile in `profile` (an empty folder) and connects to its one page. */
export async function launchChromium (chromium: string, profile: string, home: string): Promise<Browser> {
  const program = startProgram({ command: chromium, args: [...chromiumArgs(profile), '--remote-debugging-port=0', 'about:blank'], env: { HOME: home } })
  try {
    // Chromium writes the port it took into the profile folder.
    const portFile = join(profile, 'DevToolsActivePort')
    await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8').includes('\n'), 'Chromium to open its DevTools port', 30_000)
    const port = readFileSync(portFile, 'utf8').split('\n')[0] ?? ''
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })).json() as Array<{ type: string, webSocketDebuggerUrl: string }>
    const page = targets.find((target) => target.type === 'page')
    if (page === undefined) throw new Error('Chromium opened no page')
    return await connect(page.webSocketDebuggerUrl, program)
  } catch (err) {
    await program.stop()
    throw err
  }
}

async function connect (url: string, program: Program): Promise<Browser> {
  const socket = new WebSocket(url)
  await within(new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', () => { reject(new Error(`cannot connect to ${url}`)) }, { once: true })
  }), 'the DevTools connection')
  let lastId = 0
  const waiting = new Map<number, (reply: Reply) => void>()
  const listeners = new Set<(reply: Reply) => void>()
  socket.addEventListener('message', (event: MessageEvent) => {
    const reply = JSON.parse(String(event.data)) as Reply
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply)
    else for (const listener of listeners) listener(reply)
  })
  const send = async (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    const id = ++lastId
    const reply = await within(new Promise<Reply>((resolve) => {
      waiting.set(id, resolve)
      socket.send(JSON.stringify({ id, method, params }))
    }), method).finally(() => waiting.delete(id))
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result ?? {}
  }
  await send('Page.enable')

  return {
    program,
    resize: async (width, height, mobile = false) => { await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile }) },
    open: async (target) => {
      const loaded = new Promise<void>((resolve) => {
        const listener = (event: Reply): void => {
          if (event.method !== 'Page.loadEventFired') return
          listeners.delete(listener)
          resolve()
        }
        listeners.add(listener)
      })
      await send('Page.navigate', { url: target })
      await within(loaded, `the load of ${target}`)
    },
    evaluate: async <T>(expression: string): Promise<T> => {
      const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, returnByValue: true }) as { result: { value: T }, exceptionDetails?: unknown }
      if (exceptionDetails !== undefined) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`)
      return result.value
    },
    screenshot: async (fullPage = false) => {
      const { cssContentSize: size } = await send('Page.getLayoutMetrics') as { cssContentSize: { width: number, height: number } }
      const clip = fullPage ? { clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 }, captureBeyondViewport: true } : {}
      const { data } = await send('Page.captureScreenshot', { format: 'png', ...clip }) as { data: string }
      return Buffer.from(data, 'base64')
    },
    close: async () => {
      socket.close()
      await program.stop()
    },
  }
}
