import t from 'tap'
import { spawnSync } from 'node:child_process'
import { account, okBody } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { requireProgram } from '../helpers/programs.js'

t.test('the whole /metrics output passes promtool check metrics', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const good = account('good')
  const failing = account('failing')
  const api = await startFakeLaaffic([good, failing])
  t.teardown(api.close)
  api.reply(good, { body: okBody() })
  api.reply(failing, { status: 503, body: 'unavailable' })
  const { scrape, firstPolls } = await buildTestApp(t, {
    accounts: [{ ...good, baseUrl: api.baseUrl }, { ...failing, baseUrl: api.baseUrl }],
    processMetrics: true,
  })
  await firstPolls()
  const text = await scrape()
  t.match(text, /^process_cpu_seconds_total /m, 'process metrics are on')
  t.match(text, /^nodejs_active_handles\{/m, 'the per-type active handle gauge stays')
  t.notMatch(text, /^nodejs_active_(handles|requests|resources)_total/m, 'the misnamed _total gauges are gone')
  t.match(text, /^laaffic_poll_errors_total\{account="failing",status="http_503"\} 1$/m)
  t.notMatch(text, /^[a-z_]+(\{[^}]*\})? \S+ \d+$/m, 'no sample carries a timestamp')

  const lint = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' })
  t.equal(lint.stderr, '', 'no lint findings')
  t.equal(lint.status, 0, 'promtool exits 0')
})
