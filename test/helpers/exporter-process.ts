// The built exporter and simulator (dist/, which npm test builds first) as child processes on a free
// loopback port, started the one way every program is (scripts/lib/program.ts).
import { fileURLToPath } from 'node:url'
import { startNodeScript, startProgram, type Program } from '../../scripts/lib/program.js'
import { waitFor } from './wait.js'

export const SERVER_JS = fileURLToPath(new URL('../../dist/laaffic-exporter.js', import.meta.url))
export const SIMULATOR_JS = fileURLToPath(new URL('../../dist/laaffic-simulator.js', import.meta.url))

/**
 * Starts the built exporter as `npm start` and the installed command do: the file itself, so its shebang's
 * Node.js flags apply (with the `node` first on PATH), with only the given environment (plus PATH).
 */
export function startExporter (env: Record<string, string>, args: readonly string[] = []): Program {
  return startProgram({ command: SERVER_JS, args, env: { HOST: '127.0.0.1', PORT: '0', ...env } })
}

/** Starts the built simulator as `npm run simulator` would, with only the given environment (plus PATH). */
export function startSimulator (env: Record<string, string>): Program {
  return startNodeScript(SIMULATOR_JS, { env: { SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', ...env } })
}

type LogRecord = Record<string, unknown>

/**
 * The first log record of a running program that matches, waited for: the child's stdout and an HTTP answer
 * travel on different pipes, so a record written before the answer may still be unread when the answer
 * arrives (CI once saw POST /-/reload's 200 before its "configuration reloaded" line).
 */
export async function logRecord (program: Program, matches: (record: LogRecord) => boolean, what: string, timeoutMs = 5000): Promise<LogRecord> {
  let found: LogRecord | undefined
  await waitFor(() => (found = program.records().find(matches)) !== undefined, `the log record: ${what}`, timeoutMs)
  return found as LogRecord
}
