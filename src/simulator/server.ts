#!/usr/bin/env node
// `npm run simulator`: a stand-in of Laaffic's getBalance API on loopback, with a control API at /__sim/.
import { loadAccountsFile } from '../config/accounts-file.js'
import { setVariables, validateEnv } from '../config/env.js'
import { envSchema } from '../config/schema.js'
import { readUtf8File } from '../config/secrets.js'
import type { LogLevel } from '../config/types.js'
import { createLogger } from '../logger.js'
import { buildSimulator, type SimulatorAccount } from './app.js'
import { DEMO_ACCOUNTS } from './demo-accounts.js'

const schema = {
  type: 'object',
  properties: {
    SIMULATOR_HOST: { type: 'string', default: '127.0.0.1' },
    SIMULATOR_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 9867 },
    SIMULATOR_ACCOUNTS_FILE: { type: 'string' },
    SIMULATOR_TIMESTAMP_WINDOW: { type: 'number', minimum: 0, default: 1800 },
    SIMULATOR_SPEND_PER_HOUR: { type: 'number', minimum: 0, default: 0 },
    LOG_LEVEL: envSchema.properties.LOG_LEVEL,
  },
}

interface SimulatorEnv {
  SIMULATOR_HOST: string
  SIMULATOR_PORT: number
  SIMULATOR_ACCOUNTS_FILE?: string
  SIMULATOR_TIMESTAMP_WINDOW: number
  SIMULATOR_SPEND_PER_HOUR: number
  LOG_LEVEL: LogLevel
}

const problems: string[] = []
const vars = validateEnv<SimulatorEnv>(schema, setVariables(process.env), problems)
const accounts: SimulatorAccount[] = vars?.SIMULATOR_ACCOUNTS_FILE === undefined
  ? DEMO_ACCOUNTS
  // The exporter's accounts-file format; baseUrl does not matter here.
  : loadAccountsFile({ variable: 'SIMULATOR_ACCOUNTS_FILE', path: vars.SIMULATOR_ACCOUNTS_FILE }, { baseUrl: 'http://unused', balanceWarning: 0, balanceCritical: 0 }, readUtf8File, problems)
if (vars === undefined || problems.length > 0) {
  for (const problem of problems) {
    process.stderr.write(`laaffic-simulator: config error: ${problem}\n`)
  }
  process.exit(1)
}

const logger = createLogger(vars.LOG_LEVEL, undefined, 'laaffic-simulator')
const app = buildSimulator({
  accounts,
  logger,
  timestampWindowSeconds: vars.SIMULATOR_TIMESTAMP_WINDOW,
  defaultSpendPerHour: vars.SIMULATOR_SPEND_PER_HOUR,
})
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => { void app.close().then(() => process.exit(0)) })
}
try {
  await app.listen({ host: vars.SIMULATOR_HOST, port: vars.SIMULATOR_PORT })
  logger.info({ accounts: accounts.map((a) => a.name), control: '/__sim/accounts' }, 'simulating Laaffic getBalance at /v3/getBalance')
} catch (err) {
  logger.fatal({ err: { message: (err as Error).message } }, 'cannot listen')
  process.exit(1)
}
