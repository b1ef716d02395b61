// The built exporter and simulator (dist/, which npm test builds first) as child processes on a free
// loopback port, started the one way every program is (scripts/lib/program.ts).
import { fileURLToPath } from 'node:url'
import { startNodeScript, type Program } from '../../scripts/lib/program.js'

export const SERVER_JS = fileURLToPath(new URL('../../dist/server.js', import.meta.url))
export const SIMULATOR_JS = fileURLToPath(new URL('../../dist/simulator/server.js', import.meta.url))

/** Starts the built exporter as `npm start` would, with only the given environment (plus PATH). */
export function startExporter (env: Record<string, string>): Program {
  return startNodeScript(SERVER_JS, { env: { HOST: '127.0.0.1', PORT: '0', ...env } })
}

/** Starts the built simulator as `npm run simulator` would, with only the given environment (plus PATH). */
export function startSimulator (env: Record<string, string>): Program {
  return startNodeScript(SIMULATOR_JS, { env: { SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', ...env } })
}
