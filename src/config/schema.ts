import { ACCOUNT_VARIABLES } from './account-settings.js'
import { defineEnv, type EnvOf } from './define-env.js'
import { LOG_FORMATS, LOG_LEVELS } from './types.js'

/** LAAFFIC_MAX_STALENESS when unset: three missed polls, and never under 15 minutes (the data-stale alert's window). */
export const defaultMaxStalenessSeconds = (pollIntervalSeconds: number): number => Math.max(900, 3 * pollIntervalSeconds)
const DEFAULT_MAX_STALENESS_TEXT = 'max(900, 3 × interval)'

// The environment variables the exporter reads, validated with env-schema (Ajv) at start. The type of the
// validated environment, the README's configuration table (npm run docs) and the error messages' secrecy
// derive from here. Cross-variable rules (key or accounts file, secret or secret file) live in load.ts.
export const envSchema = defineEnv({
  LAAFFIC_API_KEY: {
    type: 'string',
    secret: true,
    description: 'API key of the single account (required unless `LAAFFIC_ACCOUNTS_FILE`)',
  },
  LAAFFIC_API_SECRET: {
    type: 'string',
    secret: true,
    description: 'API secret of the single account, inline (or use `LAAFFIC_API_SECRET_FILE`; setting both is an error)',
  },
  LAAFFIC_API_SECRET_FILE: {
    type: 'string',
    description: 'file holding the API secret of the single account (trailing newline trimmed)',
  },
  LAAFFIC_ACCOUNT: { type: 'string', default: 'default', description: 'the `account` label value of the single account' },
  LAAFFIC_ACCOUNTS_FILE: {
    type: 'string',
    description: 'YAML (or JSON) file of accounts (see [docs/accounts.md](docs/accounts.md)); ' +
      'excludes `LAAFFIC_API_KEY`/`LAAFFIC_API_SECRET`/`LAAFFIC_API_SECRET_FILE`',
  },
  // The per-account settings' variables (provider, base URL, currency, thresholds), from their table.
  ...ACCOUNT_VARIABLES,
  // Upper bounds keep every wait within what a Node timer holds (about 24.8 days).
  LAAFFIC_POLL_INTERVAL: { type: 'number', minimum: 1, maximum: 86_400, default: 60, description: 'seconds between polls of an account' },
  LAAFFIC_REQUEST_TIMEOUT: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 10, description: 'seconds for one HTTP attempt' },
  // Polls needed at once ≈ accounts × the API's answer time ÷ the interval (Little's law): 16 covers about
  // 4,800 accounts at 60 s and 200 ms. More only helps an exporter whose polls fall behind.
  LAAFFIC_MAX_CONCURRENT_POLLS: {
    type: 'integer',
    minimum: 1,
    maximum: 256,
    default: 16,
    description: 'polls (requests to the API) running at once, over all accounts; raise it when polls fall behind ' +
      '(accounts × API answer time ÷ interval), see [sizing](docs/kubernetes.md#sizing)',
  },
  LAAFFIC_MAX_STALENESS: {
    type: 'number',
    minimum: 0,
    maximum: 31_536_000,
    defaultText: DEFAULT_MAX_STALENESS_TEXT,
    description: 'seconds after the last success at which the value series are dropped; `0` keeps them forever',
  },
  LAAFFIC_PROCESS_METRICS: { type: 'boolean', default: true, description: "`false` turns off prom-client's `process_*` and `nodejs_*` metrics" },
  // Sharding (src/config/shard.ts): each process of a StatefulSet polls the accounts whose name hashes to it.
  LAAFFIC_TOTAL_SHARDS: {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 1,
    description: 'processes the accounts are split over; each polls and exports only its shard\'s accounts ' +
      '(see [Kubernetes](docs/kubernetes.md#sharding))',
  },
  LAAFFIC_SHARD: {
    type: 'integer',
    minimum: 0,
    description: 'this process\' shard, from 0 to `LAAFFIC_TOTAL_SHARDS` − 1 (or use `LAAFFIC_POD_NAME`)',
  },
  LAAFFIC_POD_NAME: {
    type: 'string',
    description: 'a StatefulSet pod\'s name (`laaffic-exporter-2`), from the Downward API: the shard is its ordinal',
  },
  METRICS_BEARER_TOKEN: {
    type: 'string',
    secret: true,
    description: 'require `Authorization: Bearer <token>` on every route but the probes (`/healthz`, `/readyz`, `/-/healthy`, `/-/ready`; see [Securing the endpoint](#securing-the-endpoint))',
  },
  METRICS_BEARER_TOKEN_FILE: {
    type: 'string',
    description: 'the same token, read from a file (trailing newline trimmed; setting both is an error)',
  },
  METRICS_BASIC_AUTH_USERS_FILE: {
    type: 'string',
    description: 'require basic auth instead: a file of `user:bcrypt-hash` lines (htpasswd style)',
  },
  TLS_CERT_FILE: { type: 'string', description: 'PEM certificate (chain): serve HTTPS, TLS 1.2 or later (set together with `TLS_KEY_FILE`)' },
  TLS_KEY_FILE: { type: 'string', description: 'PEM private key of that certificate (set together with `TLS_CERT_FILE`)' },
  WEB_CONFIG_FILE: {
    type: 'string',
    flag: '--web.config.file',
    description: 'the exporter-toolkit web configuration file every Prometheus exporter reads (TLS, client certificates, ' +
      'basic auth users, security headers; see [Securing the endpoint](#securing-the-endpoint)); replaces the `METRICS_*` and `TLS_*` variables',
  },
  WEB_ENABLE_LIFECYCLE: {
    type: 'boolean',
    default: false,
    flag: '--web.enable-lifecycle',
    description: '`true` enables `POST /-/reload` (behind the same authentication as `/metrics`), like Prometheus\' `--web.enable-lifecycle`',
  },
  WEB_TELEMETRY_PATH: {
    type: 'string',
    default: '/metrics',
    flag: '--web.telemetry-path',
    description: 'path of the metrics',
  },
  HOST: { type: 'string', minLength: 1, default: '0.0.0.0', flag: '--web.listen-address', description: 'address the HTTP server listens on (`0.0.0.0` for every IPv4 interface, `::` for every IPv6 and IPv4 one)' },
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 9866, flag: '--web.listen-address', description: 'port the HTTP server listens on' },
  LOG_LEVEL: { type: 'string', enum: LOG_LEVELS, default: 'info', flag: '--log.level', description: 'pino level' },
  LOG_FORMAT: {
    type: 'string',
    enum: LOG_FORMATS,
    default: 'json',
    flag: '--log.format',
    description: 'log line format',
  },
})

/** The validated environment, as envSchema declares it. */
export type Env = EnvOf<typeof envSchema>
