import t from 'tap'
import { describeConfig } from '../../src/config/describe.js'
import { account, CANARY_SECRET } from '../helpers/api.js'
import { testConfig } from '../helpers/config.js'

t.test('the start line shows names, URLs and settings, never a key, secret, token or certificate', async (t) => {
  const config = testConfig({
    accounts: [account('otp', { apiKey: 'CANARY-key-51c2', apiSecret: CANARY_SECRET })],
    web: { auth: { type: 'bearer', token: 'CANARY-token-0a9e' }, tls: { cert: 'CANARY-cert', key: 'CANARY-tls-key', clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true } },
  })
  const described = describeConfig(config)
  t.same(described, {
    accounts: [{ name: 'otp', provider: 'laaffic', baseUrl: config.accounts[0]?.baseUrl, currency: '', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 }],
    shard: { index: 0, total: 1 },
    pollIntervalSeconds: 60,
    requestTimeoutSeconds: 1,
    maxConcurrentPolls: 16,
    maxStalenessSeconds: 900,
    processMetrics: false,
    auth: 'bearer',
    tls: true,
    host: '127.0.0.1',
    port: 0,
    telemetryPath: '/metrics',
    lifecycle: false,
    logLevel: 'debug',
    logFormat: 'json',
  })
  t.notMatch(JSON.stringify(described), /CANARY/)
})

// The flags Go exporters take set these too (--web.telemetry-path, --web.enable-lifecycle, --log.format):
// the start line is where a user sees what took effect.
t.test('the start line shows where the metrics are served, whether /-/reload is, and the log format', async (t) => {
  t.match(describeConfig(testConfig({ telemetryPath: '/probe/metrics', lifecycle: true, logFormat: 'logfmt' })), { telemetryPath: '/probe/metrics', lifecycle: true, logFormat: 'logfmt' })
})

t.test('no auth and no TLS read as "none" and false', async (t) => {
  t.match(describeConfig(testConfig()), { auth: 'none', tls: false })
})
