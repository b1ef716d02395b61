import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.js'

export const SERVER_JS = fileURLToPath(new URL('../../dist/server.js', import.meta.url))
export const SIMULATOR_JS = fileURLToPath(new URL('../../dist/simulator/server.js', import.meta.url))

export interface ProgramProcess {
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
export function startExporter (env: Record<string, string>): ProgramProcess {
  return startProgram(SERVER_JS, env)
}

/** Starts the built simulator as `npm run simulator` would, on a free loopback port. */
export function startSimulator (env: Record<string, string>): ProgramProcess {
  return startProgram(SIMULATOR_JS, { SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', ...env })
}

/** Starts one of the built programs with only the given environment (plus PATH), capturing its output. */
export function startProgram (script: string, env: Record<string, string>): ProgramProcess {
  const child = spawn(process.execPath, [script], {
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
    }, `${script} to listen`)
    if (found === undefined) throw new Error(`${script} exited early: ${err}`)
    return found
  }
  return { child, stdout: () => out, stderr: () => err, records, exited, url }
}

/**
 * startProgram with the child's working directory set to `cwd`, as in a container's WORKDIR (e.g. a
 * production install in a temp folder). spawn() reads the directory at the call, so it is set only around it.
 */
export function startProgramIn (cwd: string, script: string, env: Record<string, string>): ProgramProcess {
  const previous = process.cwd()
  process.chdir(cwd)
  try {
    return startProgram(script, env)
  } finally {
    process.chdir(previous)
  }
}
