// `npm run simulator`: a stand-in of Laaffic's getBalance API on loopback, with a control API at /__sim/.
import { loadAccountsFile } from '../config/accounts-file.js'
import { setVariables, validateEnv } from '../config/env.js'
import { readUtf8File } from '../config/secrets.js'
import { createLogger } from '../logger.js'
import { buildSimulator, GET_BALANCE_PATHS, type SimulatorAccount } from './app.js'
import { simulatorEnvSchema } from './config.js'
import { DEMO_ACCOUNTS } from './demo-accounts.js'

const problems: string[] = []
const vars = validateEnv(simulatorEnvSchema, setVariables(process.env), problems)
const accounts: SimulatorAccount[] = vars?.SIMULATOR_ACCOUNTS_FILE === undefined
  ? DEMO_ACCOUNTS
  // The exporter's accounts-file format; its settings (provider, baseUrl, thresholds) do not matter here.
  : loadAccountsFile({ variable: 'SIMULATOR_ACCOUNTS_FILE', path: vars.SIMULATOR_ACCOUNTS_FILE }, {}, readUtf8File, problems)
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
  logger.info({ accounts: accounts.map((a) => a.name), control: '/__sim/accounts' }, `simulating Laaffic getBalance at ${GET_BALANCE_PATHS.join(' and ')}`)
} catch (err) {
  logger.fatal({ err: { message: (err as Error).message } }, 'cannot listen')
  process.exit(1)
}
