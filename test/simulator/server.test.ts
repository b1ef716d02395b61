import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator } from '../helpers/exporter-process.js'

t.test('a bad accounts file stops the simulator: exit 1, each problem naming SIMULATOR_ACCOUNTS_FILE', async (t) => {
  const dir = t.testdir()
  const accounts = join(dir, 'accounts.yml')
  writeFileSync(accounts, 'accounts:\n  - name: otp\n    apiSecret: s\n    colour: red\n')
  const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: accounts })
  const { code } = await simulator.exited
  t.equal(code, 1)
  t.equal(simulator.stderr(), [
    'laaffic-simulator: config error: SIMULATOR_ACCOUNTS_FILE: account "otp": unknown field "colour"',
    'laaffic-simulator: config error: SIMULATOR_ACCOUNTS_FILE: account "otp": apiKey is required',
    '',
  ].join('\n'))
  t.equal(simulator.stdout(), '')
})

t.test('an unreadable accounts file is named by its variable', async (t) => {
  const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: '/nonexistent/accounts.yml' })
  t.equal((await simulator.exited).code, 1)
  t.equal(simulator.stderr(), 'laaffic-simulator: config error: SIMULATOR_ACCOUNTS_FILE: cannot read "/nonexistent/accounts.yml" (ENOENT)\n')
})
