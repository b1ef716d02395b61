// `laaffic-exporter --healthcheck` (the image's HEALTHCHECK) against the built exporter running in each TLS
// setup: plain HTTP, the TLS_* shorthand, TLS from WEB_CONFIG_FILE (given as --web.config.file, with basic
// auth on), and client certificates required (TLS 1.3 and 1.2). Healthy: exit 0; the exporter stopped, or
// another server on its port: exit 1.
import t, { type Test } from 'tap'
import bcrypt from 'bcryptjs'
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import { createServer as createTcpServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listeningPorts } from '../../scripts/lib/proc.js'
import { runProgram, startProgram } from '../../scripts/lib/program.js'
import { sample } from '../helpers/app.js'
import { SERVER_JS, startExporter } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url))
/** One account whose API is unreachable: /healthz answers whatever the polls do. */
const ACCOUNT = { LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' }
const TLS_SHORTHAND = { TLS_CERT_FILE: fixture('server.crt'), TLS_KEY_FILE: fixture('server.key') }

async function healthcheck (env: Record<string, string>, args: string[] = []): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const { code, stdout, stderr } = await runProgram({ command: SERVER_JS, args: ['--healthcheck', ...args], env: { ...ACCOUNT, HOST: '127.0.0.1', ...env }, timeoutMs: 10_000 })
  return { code, stdout, stderr }
}

function webConfig (t: Test, yaml: string): string {
  const path = join(t.testdir(), 'web.yml')
  writeFileSync(path, yaml)
  return path
}

const tlsServerConfig = (extra = ''): string => `tls_server_config:\n  cert_file: ${fixture('server.crt')}\n  key_file: ${fixture('server.key')}\n${extra}`
const requireClientCerts = `  client_ca_file: ${fixture('ca.crt')}\n  client_auth_type: RequireAndVerifyClientCert\n`

/** Starts the exporter with `env` and `args`, checks it healthy, stops it, checks it unhealthy. */
async function healthyThenDown (t: Test, env: Record<string, string>, args: string[], scheme: string): Promise<void> {
  const exporter = startExporter({ ...ACCOUNT, ...env }, args)
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = String(await exporter.port())
  const healthy = await healthcheck({ ...env, PORT: port }, args)
  t.equal(healthy.code, 0, 'exit 0 while it runs', healthy)
  t.match(healthy.stdout, new RegExp(`^healthy: ${scheme}://127\\.0\\.0\\.1:${port}/healthz `), `it asked ${scheme}://…/healthz`)
  t.equal((await exporter.stop()).code, 0, 'the exporter stops')
  const down = await healthcheck({ ...env, PORT: port }, args)
  t.equal(down.code, 1, 'exit 1 once it is down', down)
  t.match(down.stderr, /^unhealthy: .*ECONNREFUSED/, 'saying the connection was refused')
}

t.test('plain HTTP', async (t) => {
  await healthyThenDown(t, {}, [], 'http')
})

t.test('TLS from TLS_CERT_FILE and TLS_KEY_FILE', async (t) => {
  await healthyThenDown(t, TLS_SHORTHAND, [], 'https')
})

t.test('TLS and basic auth from WEB_CONFIG_FILE, given as --web.config.file', async (t) => {
  const users = `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('s3cret', 4)}\n`
  await healthyThenDown(t, {}, [`--web.config.file=${webConfig(t, tlsServerConfig() + users)}`], 'https')
})

t.test('client certificates required, TLS 1.3: the refusal for want of one counts as up', async (t) => {
  await healthyThenDown(t, { WEB_CONFIG_FILE: webConfig(t, tlsServerConfig(requireClientCerts)) }, [], 'https')
})

t.test('client certificates required, TLS 1.2 at most: the handshake failure counts as up', async (t) => {
  await healthyThenDown(t, { WEB_CONFIG_FILE: webConfig(t, tlsServerConfig(`${requireClientCerts}  max_version: TLS12\n`)) }, [], 'https')
})

t.test('unhealthy: HTTP asked of an HTTPS server, a server with another certificate, a bad configuration', async (t) => {
  const exporter = startExporter({ ...ACCOUNT, ...TLS_SHORTHAND })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = String(await exporter.port())
  const plain = await healthcheck({ PORT: port })
  t.equal(plain.code, 1, 'exit 1 asking over HTTP: the check follows the configuration', plain)

  // Another HTTPS server answering 200 on /healthz, with a certificate the configuration does not name.
  const rogue = createServer({ cert: readFileSync(fixture('rogue.crt')), key: readFileSync(fixture('rogue.key')) }, (_req, res) => res.end('ok\n'))
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { rogue.close() })
  const rogueAnswer = await healthcheck({ ...TLS_SHORTHAND, PORT: String((rogue.address() as { port: number }).port) })
  t.equal(rogueAnswer.code, 1, 'exit 1 against a server with another certificate', rogueAnswer)
  t.match(rogueAnswer.stderr, 'another certificate than the configured one')

  const broken = await healthcheck({ PORT: 'eighty' })
  t.equal(broken.code, 1, 'exit 1 when the configuration does not load', broken)
  t.match(broken.stderr, /^laaffic-exporter --healthcheck: config error: PORT: must be a whole number/m)
  const badFlag = await healthcheck({ PORT: port }, ['--web.listen-address=nowhere'])
  t.equal(badFlag.code, 2, 'exit 2 for a bad flag, as when serving', badFlag)
})

t.test('an accounts file the running exporter refused on reload, then deleted: still healthy, as the exporter is', async (t) => {
  const accounts = join(t.testdir(), 'accounts.yml')
  writeFileSync(accounts, 'accounts:\n  - name: main\n    apiKey: key\n    apiSecret: secret\n    baseUrl: http://127.0.0.1:9/v3\n')
  const env = { LAAFFIC_ACCOUNTS_FILE: accounts }
  const exporter = startExporter(env)
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = String(await exporter.port())
  const reloadOk = async (): Promise<number | undefined> => sample(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'laaffic_config_last_reload_successful')
  t.equal(await reloadOk(), 1)
  // A hand edit gone wrong: the exporter refuses it and goes on polling the last good accounts.
  writeFileSync(accounts, 'accounts:\n  - name: main\n    apiKey: key\n    apiSecret: [unclosed\n')
  await waitFor(async () => await reloadOk() === 0, 'the exporter to refuse the broken accounts file', 10_000)
  const refused = await runProgram({ command: SERVER_JS, args: ['--healthcheck'], env: { ...env, HOST: '127.0.0.1', PORT: port }, timeoutMs: 10_000 })
  t.equal(refused.code, 0, 'exit 0: the exporter runs and answers', refused)
  t.match(refused.stdout, /^healthy: http:\/\/127\.0\.0\.1:\d+\/healthz answered 200/)
  rmSync(accounts)
  const deleted = await runProgram({ command: SERVER_JS, args: ['--healthcheck'], env: { ...env, HOST: '127.0.0.1', PORT: port }, timeoutMs: 10_000 })
  t.equal(deleted.code, 0, 'exit 0 with the file gone too', deleted)
})

/** A loopback port nothing listens on: one a server has just given back. */
async function freePort (): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('as in a container started with flags: PID 1 of a PID namespace listens where its flags say, and the check asks there', async (t) => {
  if (process.getuid?.() !== 0 || spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) {
    t.comment('SKIPPED: unshare --pid --mount-proc needs root')
    return
  }
  const port = await freePort()
  // `docker run IMAGE --web.listen-address=127.0.0.1:PORT`: the flag reaches the exporter, not the HEALTHCHECK.
  const outer = startProgram({ command: 'unshare', args: ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, SERVER_JS, `--web.listen-address=127.0.0.1:${port}`], env: ACCOUNT })
  t.teardown(() => { outer.child.kill('SIGKILL') })
  let pid1 = 0
  await waitFor(async () => {
    pid1 = Number(readFileSync(`/proc/${outer.pid}/task/${outer.pid}/children`, 'utf8').trim().split(' ')[0] ?? 0)
    return pid1 > 0 && (await listeningPorts(pid1).catch((): number[] => [])).includes(port)
  }, 'the exporter, PID 1 of its namespace, to listen', 15_000)
  // The HEALTHCHECK as Docker runs it: another process in the container's PID namespace, with its environment.
  const inside = await runProgram({ command: 'nsenter', args: ['--target', String(pid1), '--pid', '--mount', process.execPath, SERVER_JS, '--healthcheck'], env: ACCOUNT, timeoutMs: 10_000 })
  t.equal(inside.code, 0, 'exit 0', inside)
  t.match(inside.stdout, `healthy: http://127.0.0.1:${port}/healthz answered 200`, 'it asked the port of PID 1\'s flag')
})
