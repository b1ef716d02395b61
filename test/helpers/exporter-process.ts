import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.js'

export const SERVER_JS = fileURLToPath(new URL('../../dist/server.js', import.meta.url))

export interface ExporterProcess {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Parsed JSON log lines from stdout. */
  records: () => Array<Record<string, unknown>>
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** http://127.0.0.1:PORT once the server logged that it listens. */
  url: () => Promise<string>
}

/** Starts the built exporter as `npm start` would, with only the given environment (plus PATH). */
export function startExporter (env: Record<string, string>): ExporterProcess {
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { resolve({ code, signal }) })
  })
  const records = (): Array<Record<string, unknown>> =>
    out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)
  const url = async (): Promise<string> => {
    let found: string | undefined
    await waitFor(() => {
      const line = records().find((r) => typeof r.msg === 'string' && r.msg.startsWith('Server listening at http://127.0.0.1:'))
      found = (line?.msg as string | undefined)?.replace('Server listening at ', '')
      return found !== undefined || child.exitCode !== null
    }, 'the exporter to listen')
    if (found === undefined) throw new Error(`the exporter exited early: ${err}`)
    return found
  }
  return { child, stdout: () => out, stderr: () => err, records, exited, url }
}
