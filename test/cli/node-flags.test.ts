// The V8 settings reach the exporter however it is started: the shebang (npm start, the installed command),
// the image's ENTRYPOINT (test/bundle), and `node dist/laaffic-exporter.js` (systemd units, process managers,
// the soak and the bench), which re-executes itself with them in the same process.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startProgram, type Program } from '../../scripts/lib/program.js'
import { EXPORTER_NODE_FLAGS, missingNodeFlags, nodeOptionsWords } from '../../src/cli/node-flags.js'
import { SERVER_JS } from '../helpers/exporter-process.js'
import { shebangNodeFlags } from '../helpers/shebang.js'

/** The arguments the kernel holds for a process: what it runs as, whoever started it. */
const commandLine = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '')

/** An exporter whose API is a closed port: it starts and listens all the same, which is all this needs. */
function startWithNode (nodeArgs: string[]): Program {
  return startProgram({
    command: process.execPath,
    args: [...nodeArgs, SERVER_JS],
    env: { HOST: '127.0.0.1', PORT: '0', LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', LOG_LEVEL: 'warn' },
  })
}

t.test('missingNodeFlags adds what is not set and keeps what the operator set', async (t) => {
  t.same(missingNodeFlags([]), EXPORTER_NODE_FLAGS)
  t.same(missingNodeFlags(['--max-semi-space-size=2', '--heap-growing-percent=20']), [])
  t.same(missingNodeFlags(['--max-semi-space-size=8']), ['--heap-growing-percent=20'])
  t.same(missingNodeFlags(['--heap_growing_percent=50', '--inspect']), ['--max-semi-space-size=2'], 'V8 reads _ and - alike')
})

t.test('NODE_OPTIONS is read as Node reads it, quotes included', async (t) => {
  t.same(nodeOptionsWords('--max-semi-space-size=8  --inspect'), ['--max-semi-space-size=8', '--inspect'])
  t.same(nodeOptionsWords('"--max-semi-space-size=8" "--import=file:///a b/c.mjs"'), ['--max-semi-space-size=8', '--import=file:///a b/c.mjs'])
  t.same(nodeOptionsWords(''), [])
})

t.test('the shebang passes the same flags the re-execution adds', async (t) => {
  t.same(shebangNodeFlags(SERVER_JS), EXPORTER_NODE_FLAGS)
})

t.test('node dist/laaffic-exporter.js runs with the flags, in the process that was started', async (t) => {
  const exporter = startWithNode([])
  t.teardown(async () => { await exporter.stop() })
  // The port is found among the listening sockets of this very pid (/proc): a child process would not count.
  const health = await fetch(`${await exporter.url()}/healthz`)
  t.equal(health.status, 200)
  const argv = commandLine(exporter.pid)
  for (const flag of EXPORTER_NODE_FLAGS) t.ok(argv.includes(flag), `${flag} in ${argv.join(' ')}`)
  t.equal(argv.at(-1), SERVER_JS, 'the same program')
})

t.test('a flag given on the command line keeps its value; only the other is added', async (t) => {
  const exporter = startWithNode(['--max-semi-space-size=8'])
  t.teardown(async () => { await exporter.stop() })
  t.equal((await fetch(`${await exporter.url()}/healthz`)).status, 200)
  const argv = commandLine(exporter.pid)
  t.ok(argv.includes('--max-semi-space-size=8'), argv.join(' '))
  t.notOk(argv.includes('--max-semi-space-size=2'), 'not overridden')
  t.ok(argv.includes('--heap-growing-percent=20'), 'the missing one added')
})

t.test('a flag given in NODE_OPTIONS keeps its value too', async (t) => {
  const exporter = startProgram({
    command: process.execPath,
    args: [SERVER_JS],
    env: { HOST: '127.0.0.1', PORT: '0', LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', LOG_LEVEL: 'warn', NODE_OPTIONS: '--max-semi-space-size=8' },
  })
  t.teardown(async () => { await exporter.stop() })
  t.equal((await fetch(`${await exporter.url()}/healthz`)).status, 200)
  const argv = commandLine(exporter.pid)
  t.notOk(argv.includes('--max-semi-space-size=2'), `NODE_OPTIONS' value not overridden: ${argv.join(' ')}`)
  t.ok(argv.includes('--heap-growing-percent=20'), 'the missing one added')
})

t.test('SIGTERM still ends the re-executed process at once, with exit code 0', async (t) => {
  const exporter = startWithNode([])
  await exporter.url()
  const stopped = await exporter.stop(5000)
  t.equal(stopped.code, 0)
  t.ok(stopped.stopMs < 2000, `stopped in ${stopped.stopMs} ms`)
})
