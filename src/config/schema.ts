import { LOG_LEVELS, type LogLevel } from './types.js'

// The environment variables the exporter reads, validated with env-schema (Ajv) at start.
// Cross-variable rules (key or accounts file, secret or secret file) live in load.ts.
export const DEFAULT_BASE_URL = 'https://api.laaffic.com/v3'
/** In the account's currency; meant to be set per account, these only keep an unset account watched. */
export const DEFAULT_BALANCE_WARNING = 100
export const DEFAULT_BALANCE_CRITICAL = 20

export const envSchema = {
  type: 'object',
  properties: {
    LAAFFIC_API_KEY: { type: 'string' },
    LAAFFIC_API_SECRET: { type: 'string' },
    LAAFFIC_API_SECRET_FILE: { type: 'string' },
    LAAFFIC_ACCOUNT: { type: 'string', default: 'default' },
    LAAFFIC_ACCOUNTS_FILE: { type: 'string' },
    LAAFFIC_BASE_URL: { type: 'string', default: DEFAULT_BASE_URL },
    // Upper bounds keep every wait within what a Node timer holds (about 24.8 days).
    LAAFFIC_POLL_INTERVAL: { type: 'number', minimum: 1, maximum: 86_400, default: 60 },
    LAAFFIC_REQUEST_TIMEOUT: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 10 },
    LAAFFIC_MAX_STALENESS: { type: 'number', minimum: 0, maximum: 31_536_000 },
    LAAFFIC_BALANCE_WARNING: { type: 'number', default: DEFAULT_BALANCE_WARNING },
    LAAFFIC_BALANCE_CRITICAL: { type: 'number', default: DEFAULT_BALANCE_CRITICAL },
    LAAFFIC_PROCESS_METRICS: { type: 'boolean', default: true },
    METRICS_BEARER_TOKEN: { type: 'string' },
    METRICS_BEARER_TOKEN_FILE: { type: 'string' },
    METRICS_BASIC_AUTH_USERS_FILE: { type: 'string' },
    TLS_CERT_FILE: { type: 'string' },
    TLS_KEY_FILE: { type: 'string' },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 9866 },
    LOG_LEVEL: {
      type: 'string',
      enum: LOG_LEVELS,
      default: 'info',
    },
  },
} as const

export interface Env {
  LAAFFIC_API_KEY?: string
  LAAFFIC_API_SECRET?: string
  LAAFFIC_API_SECRET_FILE?: string
  LAAFFIC_ACCOUNT: string
  LAAFFIC_ACCOUNTS_FILE?: string
  LAAFFIC_BASE_URL: string
  LAAFFIC_POLL_INTERVAL: number
  LAAFFIC_REQUEST_TIMEOUT: number
  LAAFFIC_MAX_STALENESS?: number
  LAAFFIC_BALANCE_WARNING: number
  LAAFFIC_BALANCE_CRITICAL: number
  LAAFFIC_PROCESS_METRICS: boolean
  METRICS_BEARER_TOKEN?: string
  METRICS_BEARER_TOKEN_FILE?: string
  METRICS_BASIC_AUTH_USERS_FILE?: string
  TLS_CERT_FILE?: string
  TLS_KEY_FILE?: string
  HOST: string
  PORT: number
  LOG_LEVEL: LogLevel
}

/** Variables whose value must never be echoed back in an error. */
export const SECRET_VARIABLES = new Set(['LAAFFIC_API_SECRET', 'LAAFFIC_API_KEY', 'METRICS_BEARER_TOKEN'])
