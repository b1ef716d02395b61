// The built exporter started with Go exporters' flags, as a systemd unit or a compose `command:` would: each
// flag wins over its variable (the environment here holds values that would stop it, or say otherwise).
import t from 'tap'
import { startExporter } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const ACCOUNT = { LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' }

t.test('--web.listen-address, --web.telemetry-path, --log.level, --log.format and --web.enable-lifecycle, as `--flag value` and `--flag=value`', async (t) => {
  // Each of these variables alone would stop the exporter (bad values) or serve otherwise.
  const env = { ...ACCOUNT, HOST: 'nowhere.invalid', PORT: 'eighty', LOG_LEVEL: 'loud', LOG_FORMAT: 'json', WEB_ENABLE_LIFECYCLE: 'false', WEB_TELEMETRY_PATH: '/metrics' }
  const exporter = startExporter(env, [
    '--web.listen-address', '127.0.0.1:0',
    '--web.telemetry-path=/probe/metrics',
    '--log.level', 'debug',
    '--log.format=logfmt',
    '--web.enable-lifecycle',
  ])
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const url = await exporter.url()

  const metrics = await fetch(`${url}/probe/metrics`)
  t.equal(metrics.status, 200, 'the metrics on /probe/metrics')
  t.match(await metrics.text(), /^laaffic_exporter_build_info\{/m, 'exposition text')
  t.equal((await fetch(`${url}/metrics`)).status, 404, 'and not on /metrics')
  t.equal((await fetch(`${url}/-/healthy`)).status, 200, '/-/healthy answers')
  t.equal((await fetch(`${url}/-/reload`, { method: 'POST' })).status, 200, 'POST /-/reload is on')

  await waitFor(() => /level=debug /.test(exporter.stdout()), 'a debug line', 5000)
  const lines = exporter.stdout().split('\n').filter((line) => line !== '')
  t.ok(lines.length > 2, 'it logs')
  t.same(lines.filter((line) => !/^time=\d{4}-\d\d-\d\dT[\d:.]+Z level=(trace|debug|info|warn|error|fatal) /.test(line)), [], 'every line is logfmt')
  t.match(lines[0], /^time=\S+ level=info name=laaffic-exporter msg="starting laaffic-exporter" version=\S+ config\./, 'the start line, fields dotted')
  t.equal(exporter.records().length, 0, 'no JSON line')
  t.equal((await exporter.stop()).code, 0, 'SIGTERM ends it with exit code 0')
})

t.test('--no-web.enable-lifecycle turns off what WEB_ENABLE_LIFECYCLE=true turns on', async (t) => {
  const exporter = startExporter({ ...ACCOUNT, WEB_ENABLE_LIFECYCLE: 'true' }, ['--no-web.enable-lifecycle'])
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const url = await exporter.url()
  t.equal((await fetch(`${url}/-/reload`, { method: 'POST' })).status, 404, 'POST /-/reload: 404')
  t.equal((await fetch(`${url}/metrics`)).status, 200, '/metrics where it was')
  t.match(exporter.records()[0], { msg: 'starting laaffic-exporter' }, 'JSON log lines, the default')
})
