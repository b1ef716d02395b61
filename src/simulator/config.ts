import { defineEnv } from '../config/define-env.js'
import { envSchema } from '../config/schema.js'

/** The environment variables `npm run simulator` reads (declared once, like the exporter's). */
export const simulatorEnvSchema = defineEnv({
  SIMULATOR_HOST: { type: 'string', default: '127.0.0.1', description: 'address the simulator listens on' },
  SIMULATOR_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 9867, description: 'port the simulator listens on' },
  SIMULATOR_ACCOUNTS_FILE: {
    type: 'string',
    description: "accounts in the exporter's accounts-file format (name, apiKey, apiSecret or apiSecretFile); " +
      'without it, the demo accounts `otp` and `marketing` (see [the demo](#the-demo))',
  },
  SIMULATOR_TIMESTAMP_WINDOW: {
    type: 'number',
    minimum: 0,
    default: 1800,
    description: "seconds a Timestamp may differ from the simulator's clock",
  },
  SIMULATOR_SPEND_PER_HOUR: {
    type: 'number',
    minimum: 0,
    default: 0,
    description: 'spending of accounts from the file (they start with balance 100, gift 50, credit 0)',
  },
  LOG_LEVEL: envSchema.properties.LOG_LEVEL,
})
