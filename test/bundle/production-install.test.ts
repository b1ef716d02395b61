// The image, re-created without Docker from the Dockerfile's own instructions. The build stage: its COPYs
// into an empty folder, its RUNs there (npm ci, npm run build makes dist/, rm deletes the demo). The runtime
// stage: its COPYs into another empty folder, with no node_modules in it or above it, where its ENTRYPOINT and
// HEALTHCHECK run with the Node.js of PATH (24, the image's line) standing in for distroless' /nodejs/bin/node,
// and as the image's USER when the test runs as root. So a file the build stage forgets to copy, a package the
// bundles leave out, or a file the non-root user cannot read fails here instead of in the image.
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { listeningPorts } from '../../scripts/lib/proc.js'
import { runProgram, startProgram, type Program } from '../../scripts/lib/program.js'
import { argsOf, copiesOf, dockerignored, envOf, execForm, fromOf, inStage, readDockerfile, removedBy, runCommands, workdirOf, type Instruction } from '../helpers/dockerfile.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NPM_CI_TIMEOUT_MS = 150_000
// npm ci downloads the packages when npm's cache is cold (about 15 s here with a warm cache; far more on a slow
// network): this file's budget is npm ci's plus a minute, whatever the suite's default.
t.setTimeout(NPM_CI_TIMEOUT_MS + 60_000)

const { stages } = readDockerfile(join(ROOT, 'Dockerfile'))
const [buildStage = [], runtimeStage = []] = [stages[0], stages.at(-1)]
const imageEnv = envOf(runtimeStage)
const imageUser = argsOf(runtimeStage, 'USER').at(-1) ?? ''
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { entrypoint?: string[], environment?: Record<string, string>, healthcheck?: { test?: string[] } }>
}

// Outside the repository (not t.testdir, which is under .tap/): Node resolves a bare import in every
// node_modules up the folder tree, so a folder inside the repository would find the devDependencies.
const buildDir = mkdtempSync(join(tmpdir(), 'laaffic-build-'))
const app = mkdtempSync(join(tmpdir(), 'laaffic-image-'))
// What a container mounts for the exporter (certificates, secrets), created by the test.
const mounts = mkdtempSync(join(tmpdir(), 'laaffic-mounts-'))
// Docker creates WORKDIR 0755; mkdtemp makes 0700, which the image's user could not enter.
for (const folder of [app, mounts]) chmodSync(folder, 0o755)
t.teardown(() => { for (const folder of [buildDir, app, mounts]) rmSync(folder, { recursive: true, force: true }) })

/** Runs a command to its end (killed after `timeoutMs`); its exit code and output. */
async function run (command: string, args: readonly string[], options: { cwd: string, timeoutMs: number, env?: NodeJS.ProcessEnv }): Promise<{ code: number | null, output: string }> {
  const { code, stdout, stderr } = await runProgram({ command, args, cwd: options.cwd, env: options.env ?? process.env, timeoutMs: options.timeoutMs })
  return { code, output: stdout + stderr }
}

/**
 * Copies what a stage's COPY instructions copy into `folder`, which stands for the stage's WORKDIR: from the
 * build context (the checkout, less what .dockerignore keeps out) or from the folder of another stage.
 */
function copyStage (stage: readonly Instruction[], folder: string, stageFolders: Record<string, { folder: string, workdir: string }>): void {
  const workdir = workdirOf(stage)
  const local = (path: string): string => {
    const inside = posix.relative(workdir, inStage(workdir, path))
    if (inside.startsWith('..')) throw new Error(`${path} lies outside WORKDIR ${workdir}: not re-created here`)
    return join(folder, inside)
  }
  for (const { from, sources, destination } of copiesOf(stage)) {
    for (const source of sources) {
      const other = from === undefined ? undefined : stageFolders[from]
      if (from !== undefined && other === undefined) throw new Error(`COPY --from=${from}: no such stage here`)
      const path = other === undefined ? join(ROOT, source) : join(other.folder, posix.relative(other.workdir, source))
      // Docker copies a folder's contents to the destination, and a file into it when it ends with / (or
      // several sources share it).
      const target = statSync(path).isDirectory() || (sources.length === 1 && !destination.endsWith('/'))
        ? local(destination)
        : join(local(destination), basename(source))
      mkdirSync(dirname(target), { recursive: true })
      cpSync(path, target, { recursive: true, filter: (file) => other !== undefined || !dockerignored(ROOT, relative(ROOT, file)) })
    }
  }
}

/**
 * tap adds its loader to the NODE_OPTIONS of every child process (it writes under .tap/ at exit); neither
 * stage of the image has it. `env -u` execs, so the process started is still the one that runs.
 */
const WITHOUT_TAP = ['-u', 'NODE_OPTIONS']

interface Step { command: string, code: number | null, output: string, ms: number }
// Each subtest sets up what it needs through these, done once whichever subtest asks first: a subtest run
// alone (tap --grep) finds the folders as the ones before it would have left them.
let building: Promise<Step[]> | undefined
/** The build stage: its COPYs into `buildDir`, then each RUN there, by /bin/sh, in order, until one fails. */
async function buildImage (): Promise<Step[]> {
  building ??= (async () => {
    copyStage(buildStage, buildDir, {})
    const steps: Step[] = []
    for (const command of runCommands(buildStage)) {
      const started = Date.now()
      const result = await run('env', [...WITHOUT_TAP, '/bin/sh', '-c', command], { cwd: buildDir, timeoutMs: NPM_CI_TIMEOUT_MS })
      steps.push({ command, ...result, ms: Date.now() - started })
      if (result.code !== 0) break
    }
    return steps
  })()
  return await building
}

let runtimeCopied = false
/** `app` as the runtime stage has it: its COPYs, from the checkout and from the re-created build stage. */
async function runtimeFolder (): Promise<void> {
  const failed = (await buildImage()).find((step) => step.code !== 0)
  if (failed !== undefined) throw new Error(`the build stage failed at ${failed.command} (exit ${String(failed.code)}): ${failed.output}`)
  if (runtimeCopied) return
  const build = fromOf(buildStage).name ?? '0'
  copyStage(runtimeStage, app, { [build]: { folder: buildDir, workdir: workdirOf(buildStage) } })
  runtimeCopied = true
}

/** Every file under a folder, relative to it. */
function filesUnder (folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix)).sort().flatMap((entry) => {
    const path = posix.join(prefix, entry)
    return lstatSync(join(folder, path)).isDirectory() ? filesUnder(folder, path) : [path]
  })
}

const [uid, gid = uid] = imageUser.split(':').map(Number)
const runsAsImageUser = process.getuid?.() === 0 && uid !== undefined && uid > 0 && spawnSync('setpriv', ['--version']).status === 0
/**
 * A command of the image (ENTRYPOINT, HEALTHCHECK) as this machine runs it: the `node` of PATH for the
 * image's (the ENTRYPOINT's first word, /nodejs/bin/node), without tap's NODE_OPTIONS and, when the test runs
 * as root, as the image's USER (setpriv execs too).
 */
function asImage (vector: readonly string[]): { command: string, args: string[] } {
  const [first = '', ...rest] = vector
  const argv = [first === entrypoint()[0] ? 'node' : first, ...rest]
  const user = runsAsImageUser ? ['setpriv', `--reuid=${String(uid)}`, `--regid=${String(gid)}`, '--clear-groups'] : []
  return { command: 'env', args: [...WITHOUT_TAP, ...user, ...argv] }
}
const entrypoint = (): string[] => execForm(argsOf(runtimeStage, 'ENTRYPOINT').at(-1))
const healthcheck = (): string[] => execForm(argsOf(runtimeStage, 'HEALTHCHECK').at(-1))

/** Starts an exec-form command of the image in `app`, with the image's ENV and then `env`. */
function startInImage (vector: readonly string[], env: Record<string, string>): Program {
  return startProgram({ ...asImage(vector), cwd: app, env: { ...imageEnv, ...env } })
}
/** Runs one to its end, as Docker runs a healthcheck: with the container's environment. */
async function runInImage (vector: readonly string[], env: Record<string, string>, timeoutMs = 10_000): Promise<{ code: number | null, output: string, ms: number }> {
  const started = Date.now()
  const { command, args } = asImage(vector)
  const result = await run(command, args, { cwd: app, timeoutMs, env: { PATH: process.env.PATH ?? '', ...imageEnv, ...env } })
  return { ...result, ms: Date.now() - started }
}

t.test('the build stage, re-created: its COPYs into an empty folder and its RUNs there build what npm run build builds', async (t) => {
  const steps = await buildImage()
  for (const step of steps) {
    t.comment(`${step.command}: ${step.ms} ms`)
    t.equal(step.code, 0, `${step.command} exits 0`, { output: step.output.slice(-4000) })
  }
  t.equal(steps.length, runCommands(buildStage).length, 'every RUN of the build stage ran')
  const removed = removedBy(buildStage)
  t.ok(removed.length > 0, 'the build stage deletes files')
  for (const path of removed) t.ok(existsSync(join(ROOT, path)) && !existsSync(join(buildDir, path)), `${path}: built by npm run build, deleted by the build stage`)
  // Byte for byte: the build stage copies every file the build reads (esbuild reads tsconfig.json too).
  const built = filesUnder(join(ROOT, 'dist')).map((file) => `dist/${file}`).filter((file) => !removed.includes(file))
  t.ok(built.length > 0, 'dist/ is built in the checkout (npm test builds it first)')
  for (const file of built) {
    const same = existsSync(join(buildDir, file)) && readFileSync(join(buildDir, file)).equals(readFileSync(join(ROOT, file)))
    // A difference: a file the build reads that the stage does not copy, or a checkout whose dist/ or
    // node_modules is older than its src/ or lockfile (npm run build, npm ci).
    t.ok(same, `${file} is the same as the checkout's`)
  }
})

t.test('the runtime stage\'s layout: dist/ (bundles, source maps, licences; no demo) and package.json, no node_modules', async (t) => {
  await runtimeFolder()
  const files = filesUnder(app)
  t.same(readdirSync(app).sort(), ['dist', 'package.json'], 'the runtime stage copies dist/ and package.json, nothing else')
  t.notOk(files.some((file) => file.split('/').includes('node_modules')), 'no node_modules: the bundles carry their packages')
  for (const bundle of ['dist/laaffic-exporter.js', 'dist/laaffic-simulator.js']) t.ok(files.includes(bundle), `${bundle} is there`)
  for (const bundle of files.filter((file) => file.endsWith('.js'))) t.ok(files.includes(`${bundle}.map`), `${bundle} has its source map`)
  t.ok(files.includes('dist/THIRD_PARTY_LICENSES.txt'), 'the bundled packages\' licences are there')
  for (const path of removedBy(buildStage)) t.notOk(files.includes(path), `no ${path} in the image`)
  // In the image they belong to root: the image's user reads them as "other".
  for (const file of ['.', 'dist', ...files]) {
    const mode = statSync(join(app, file)).mode
    const needed = statSync(join(app, file)).isDirectory() ? 0o005 : 0o004
    t.equal(mode & needed, needed, `${file} is readable by any user (mode ${(mode & 0o777).toString(8)})`)
  }
})

t.test('no node_modules above the runtime folder could stand in for a missing package', async (t) => {
  for (let folder = dirname(app); folder !== dirname(folder); folder = dirname(folder)) {
    t.notOk(existsSync(join(folder, 'node_modules')), `no ${join(folder, 'node_modules')}`)
  }
  t.notOk(existsSync('/node_modules'), 'no /node_modules')
})

t.test('the Node.js standing in for /nodejs/bin/node is the image\'s line', async (t) => {
  const node = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim()
  const imageLine = /nodejs(\d+)-/.exec(fromOf(runtimeStage).image)?.[1]
  t.equal(/^v(\d+)\./.exec(node)?.[1], imageLine, `node on PATH is ${node}, the image runs Node.js ${imageLine ?? '?'} (put that line first on PATH)`)
  t.comment(runsAsImageUser ? `commands run as the image's user ${imageUser}` : `commands run as this user (uid ${String(process.getuid?.())}): only root can take the image's user ${imageUser}`)
})

t.test('`docker run IMAGE --version` and `--help`: the ENTRYPOINT takes the arguments', async (t) => {
  await runtimeFolder()
  const versionRun = await runInImage([...entrypoint(), '--version'], {})
  t.equal(versionRun.code, 0, '--version exits 0', { output: versionRun.output })
  t.equal(versionRun.output, `laaffic-exporter ${version}\n`, 'and prints package.json\'s version, read from /app/package.json')
  const help = await runInImage([...entrypoint(), '--help'], {})
  t.equal(help.code, 0, '--help exits 0', { output: help.output })
  t.match(help.output, /^usage: laaffic-exporter/m, 'and prints the usage')
  t.match(help.output, /^ {2}TLS_CERT_FILE$/m, 'and the variables')
})

t.test('the ENTRYPOINT runs the exporter from that folder against the simulator run from it too', async (t) => {
  await runtimeFolder()
  const children: Program[] = []
  t.teardown(() => { for (const c of children) c.child.kill('SIGKILL') })

  // The compose simulator service's entrypoint and environment, on loopback and a free port.
  const simulatorService = compose.services.simulator!
  const simulator = startInImage(simulatorService.entrypoint ?? [], { ...simulatorService.environment, SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0' })
  children.push(simulator)
  const sim = await simulator.url()

  const withoutSecret = { HOST: '127.0.0.1', PORT: '0', LAAFFIC_API_KEY: 'demo-otp-key', LAAFFIC_BASE_URL: `${sim}/v3` }
  const exporterEnv = { ...withoutSecret, LAAFFIC_API_SECRET: 'demo-otp-secret' }
  const exporter = startInImage(entrypoint(), exporterEnv)
  children.push(exporter)
  const url = await exporter.url()

  let metrics = ''
  await waitFor(async () => {
    metrics = await (await fetch(`${url}/metrics`)).text()
    return /^laaffic_balance\{account="default"\} \d/m.test(metrics)
  }, 'the balance of the demo account on /metrics', 15_000)
  t.match(metrics, /^laaffic_balance\{account="default"\} \d/m, 'laaffic_balance{account="default"} on /metrics')
  t.match(metrics, /^laaffic_up\{account="default"\} 1$/m, 'the poll succeeded')
  t.match(metrics, new RegExp(`^laaffic_exporter_build_info\\{.*version="${version.replaceAll('.', '\\.')}"`, 'm'), 'the build info carries the package version')
  t.equal((await fetch(`${url}/healthz`)).status, 200, '/healthz answers 200')
  const cmdline = readFileSync(`/proc/${exporter.pid}/cmdline`, 'utf8').split('\0').slice(0, -1)
  t.same(cmdline, ['node', ...entrypoint().slice(1)], 'the process runs with the ENTRYPOINT\'s Node.js flags')
  if (runsAsImageUser) t.match(readFileSync(`/proc/${exporter.pid}/status`, 'utf8'), new RegExp(`^Uid:\\s+${String(uid)}\\s`, 'm'), `as uid ${String(uid)}`)

  t.test('the Dockerfile HEALTHCHECK passes against it, and fails on a 404, a refused connection or silence', async (t) => {
    // Docker runs it with the container's environment: the exporter's.
    const probe = async (port: number | string, env: Record<string, string> = {}) => await runInImage(healthcheck(), { ...exporterEnv, HOST: '127.0.0.1', PORT: String(port), ...env })
    const healthy = await probe(new URL(url).port)
    t.equal(healthy.code, 0, 'exit 0 against the exporter', { output: healthy.output })
    t.ok(healthy.ms < 5000, `done within the HEALTHCHECK --timeout of 5 s (${healthy.ms} ms)`)
    // The default HOST, 0.0.0.0, is asked on the loopback.
    t.equal((await probe(new URL(url).port, { HOST: '0.0.0.0' })).code, 0, 'exit 0 with HOST=0.0.0.0, asking 127.0.0.1')
    // The simulator listens but has no /healthz.
    t.equal((await probe(new URL(sim).port)).code, 1, 'exit 1 against a server answering 404')

    const hung = await probe(await silentServer(t))
    t.equal(hung.code, 1, 'exit 1 against a server that never answers')
    t.ok(hung.ms < 5000, `within the HEALTHCHECK --timeout of 5 s (${hung.ms} ms)`)
    const closed = await closedPort()
    t.equal((await probe(closed)).code, 1, 'exit 1 when nothing listens')
  })

  t.test('the compose simulator\'s healthcheck passes against the simulator, not against the exporter', async (t) => {
    const test = simulatorService.healthcheck?.test ?? []
    t.equal(test[0], 'CMD', 'exec form')
    const healthy = await runInImage(test.slice(1), { ...simulatorService.environment, SIMULATOR_PORT: new URL(sim).port })
    t.equal(healthy.code, 0, 'exit 0 against the simulator', { output: healthy.output })
    t.equal((await runInImage(test.slice(1), { SIMULATOR_PORT: new URL(url).port })).code, 1, 'exit 1 against the exporter (404)')
  })

  t.test('with TLS_CERT_FILE and TLS_KEY_FILE mounted, the exporter serves HTTPS and the HEALTHCHECK still passes', async (t) => {
    const tls = mountFiles({ 'tls.crt': 'self-signed.crt', 'tls.key': 'self-signed.key' })
    const env = { ...exporterEnv, TLS_CERT_FILE: tls['tls.crt'] ?? '', TLS_KEY_FILE: tls['tls.key'] ?? '' }
    const secure = startInImage(entrypoint(), env)
    children.push(secure)
    const port = await secure.port()
    const probe = await runInImage(healthcheck(), { ...env, PORT: String(port) })
    t.equal(probe.code, 0, 'exit 0 over HTTPS, with the test\'s self-signed certificate', { output: probe.output })
    t.equal((await runInImage(healthcheck(), { ...exporterEnv, PORT: String(port) })).code, 1, 'exit 1 asking it over plain HTTP: the probe follows TLS_CERT_FILE')
    const web = join(mounts, 'web.yml')
    writeFileSync(web, `tls_server_config:\n  cert_file: ${tls['tls.crt'] ?? ''}\n  key_file: ${tls['tls.key'] ?? ''}\n`, { mode: 0o644 })
    const viaWebConfig = await runInImage(healthcheck(), { ...exporterEnv, WEB_CONFIG_FILE: web, PORT: String(port) })
    t.equal(viaWebConfig.code, 0, 'exit 0 with the same TLS from WEB_CONFIG_FILE', { output: viaWebConfig.output })
    const stopped = await secure.stop()
    t.equal(stopped.code, 0, 'it stops with exit code 0')
  })

  t.test('a mounted secret file the image\'s user cannot read stops the exporter with a message naming it', async (t) => {
    if (!runsAsImageUser) {
      t.comment('SKIPPED: only root can run the exporter as the image\'s user')
      return
    }
    const secret = join(mounts, 'secret')
    writeFileSync(secret, 'demo-otp-secret\n', { mode: 0o600 })
    const denied = await runInImage(entrypoint(), { ...withoutSecret, LAAFFIC_API_SECRET_FILE: secret })
    t.equal(denied.code, 1, 'exit 1 (mode 0600, owned by root)')
    t.match(denied.output, /LAAFFIC_API_SECRET_FILE: cannot read .* \(EACCES\)/, 'naming the variable and EACCES')
  })

  t.test('as PID 1 of a new PID namespace, as in a container, SIGTERM still ends it with exit code 0 within 2 s', async (t) => {
    // PID 1 gets no default signal action: without its own SIGTERM handler the process would ignore the
    // signal and Docker would kill it after 10 s. unshare --fork makes its child PID 1 of a new namespace.
    if (!runsAsImageUser || spawnSync('unshare', ['--pid', '--fork', 'true']).status !== 0) {
      t.comment('SKIPPED: unshare --pid needs root')
      return
    }
    const { command, args } = asImage(entrypoint())
    const outer = startProgram({ command: 'unshare', args: ['--pid', '--fork', '--kill-child', command, ...args], cwd: app, env: { ...imageEnv, ...exporterEnv } })
    children.push(outer)
    let pid1 = 0
    await waitFor(async () => {
      pid1 = Number(readFileSync(`/proc/${outer.pid}/task/${outer.pid}/children`, 'utf8').trim().split(' ')[0] ?? 0)
      return pid1 > 0 && (await listeningPorts(pid1).catch(() => [])).length > 0
    }, 'the exporter in its PID namespace to listen', 15_000)
    t.match(readFileSync(`/proc/${pid1}/status`, 'utf8'), /^NSpid:\s+\d+\s+1$/m, 'the exporter is PID 1 in its namespace')
    const started = Date.now()
    process.kill(pid1, 'SIGTERM')
    // Bounded: a PID 1 that ignores the signal would wait for ever (--kill-child takes it down with unshare).
    const timer = setTimeout(() => { outer.child.kill('SIGKILL') }, 3000)
    const exit = await outer.exited
    clearTimeout(timer)
    t.equal(exit.code, 0, 'exit code 0 (unshare passes it on)')
    t.ok(Date.now() - started < 2000, `within 2 s (${Date.now() - started} ms)`)
  })

  t.test('SIGTERM (the STOPSIGNAL) ends the exporter with exit code 0 within 2 s', async (t) => {
    const stopped = await exporter.stop(3000)
    t.equal(stopped.code, 0, 'exit code 0')
    t.equal(stopped.signal, null, 'not killed by the signal')
    t.ok(stopped.stopMs < 2000, `within 2 s (${stopped.stopMs} ms)`)
  })
})

/** Copies test/fixtures/tls files into the mounts folder, readable by anyone, as a mounted file must be. */
function mountFiles (files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, fixture]) => {
    const path = join(mounts, name)
    copyFileSync(join(ROOT, 'test', 'fixtures', 'tls', fixture), path)
    chmodSync(path, 0o644)
    return [name, path]
  }))
}

async function listen (server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

/** A loopback TCP server that accepts connections and never answers, closed at the end of the test; its port. */
async function silentServer (t: Test): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => { sockets.add(socket) })
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return await listen(server)
}

/** A loopback port nothing listens on: one a server has just given back. */
async function closedPort (): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}
