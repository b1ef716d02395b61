// The built exporter and simulator (dist/, which npm test builds first) as child processes on a free
// loopback port, started the one way every program is (scripts/lib/program.ts).
import { fileURLToPath } from 'node:url'
import { startNodeScript, startProgram, type Program } from '../../scripts/lib/program.js'

export const SERVER_JS = fileURLToPath(new URL('../../dist/laaffic-exporter.js', import.meta.url))
export const SIMULATOR_JS = fileURLToPath(new URL('../../dist/laaffic-simulator.js', import.meta.url))

/**
 * Starts the built exporter as `npm start` and the installed command do: the file itself, so its shebang's
 * Node.js flags apply (with the `node` first on PATH), with only the given environment (plus PATH).
 */
export function startExporter (env: Record<string, string>): Program {
  return startProgram({ command: SERVER_JS, env: { HOST: '127.0.0.1', PORT: '0', ...env } })
}

/** Starts the built simulator as `npm run simulator` would, with only the given environment (plus PATH). */
export function startSimulator (env: Record<string, string>): Program {
  return startNodeScript(SIMULATOR_JS, { env: { SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', ...env } })
}
