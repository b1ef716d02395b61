// What the Dockerfile's runtime stage does, outside Docker: `npm ci --omit=dev --ignore-scripts` from
// package.json and package-lock.json alone, plus the built dist/ less what the build stage deletes. The
// exporter and the simulator must run from there, so a devDependency imported at run time fails here
// instead of in the image.
import t from 'tap'
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProgram, startNodeScript, type Program } from '../../scripts/lib/program.js'
import { argsOf, readDockerfile, removedBy } from '../helpers/dockerfile.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NPM_CI_TIMEOUT_MS = 150_000
// npm ci downloads the packages when npm's cache is cold (about 4 s here, warm or cold; far more on a slow
// network): this file's budget is npm ci's plus a minute, whatever the suite's default.
t.setTimeout(NPM_CI_TIMEOUT_MS + 60_000)

const DEV_ONLY = ['tap', 'typescript', 'nock', 'eslint', '@types/node', 'typescript-eslint']

const { stages } = readDockerfile(join(ROOT, 'Dockerfile'))
const [buildStage = [], runtimeStage = []] = [stages[0], stages.at(-1)]

/** Runs a command to its end (killed after `timeoutMs`); its exit code and output. */
async function run (command: string, args: string[], options: { cwd: string, timeoutMs: number, env?: NodeJS.ProcessEnv }): Promise<{ code: number | null, output: string }> {
  const env = options.env ?? process.env
  const { code, stdout, stderr } = await runProgram({ command, args, cwd: options.cwd, env, timeoutMs: options.timeoutMs })
  return { code, output: stdout + stderr }
}

/** The HEALTHCHECK of the Dockerfile, as the argument vector of its exec form. */
function dockerHealthcheck (): string[] {
  const line = argsOf(runtimeStage, 'HEALTHCHECK')[0]
  const json = line?.slice(line.indexOf(' CMD ') + 5).trim()
  if (json === undefined) throw new Error('the Dockerfile has no HEALTHCHECK ... CMD [...]')
  return JSON.parse(json) as string[]
}

// Outside the repository (not t.testdir, which is under .tap/): Node resolves a bare import in every
// node_modules up the folder tree, so a folder inside the repository would find the devDependencies.
const app = mkdtempSync(join(tmpdir(), 'laaffic-production-'))
t.teardown(() => { rmSync(app, { recursive: true, force: true }) })

// Each subtest sets up what it needs through these, done once whichever subtest asks first: a subtest
// run alone (tap --grep) finds the folder as the ones before it would have left it.
let installing: Promise<{ code: number | null, output: string, ms: number }> | undefined
/** npm ci --omit=dev --ignore-scripts in `app`, from package.json and package-lock.json alone. */
async function install (): Promise<{ code: number | null, output: string, ms: number }> {
  installing ??= (async () => {
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(app, file))
    const started = Date.now()
    const result = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, timeoutMs: NPM_CI_TIMEOUT_MS })
    return { ...result, ms: Date.now() - started }
  })()
  return await installing
}

let distCopied = false
/** dist/ copied into `app`, less what the Dockerfile's build stage deletes. */
function copyDist (): void {
  if (distCopied) return
  cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true })
  // The build stage's WORKDIR is /app, as `app` is here; like rm, fail on a path that is not there.
  for (const path of removedBy(buildStage)) rmSync(join(app, path))
  distCopied = true
}

/** `app` as the runtime stage has it: installed, and dist/ in place. */
async function productionFolder (): Promise<void> {
  const { code, output } = await install()
  if (code !== 0) throw new Error(`npm ci failed (exit ${String(code)}), nothing to run: ${output}`)
  copyDist()
}

t.test('no node_modules above the install folder could stand in for a missing dependency', async (t) => {
  for (let folder = dirname(app); folder !== dirname(folder); folder = dirname(folder)) {
    t.notOk(existsSync(join(folder, 'node_modules')), `no ${join(folder, 'node_modules')}`)
  }
  t.notOk(existsSync('/node_modules'), 'no /node_modules')
})

t.test('npm ci --omit=dev --ignore-scripts installs from the lockfile', async (t) => {
  const { code, output, ms } = await install()
  t.comment(`npm ci took ${ms} ms`)
  t.equal(code, 0, 'npm ci exits 0', { output })
  for (const name of DEV_ONLY) t.notOk(existsSync(join(app, 'node_modules', name)), `no ${name} in node_modules`)
  t.ok(existsSync(join(app, 'node_modules', 'fastify')), 'the production dependencies are there')
})

t.test('dist/ as the runtime stage gets it: without what the build stage deletes, so without the demo', async (t) => {
  t.ok(existsSync(join(ROOT, 'dist', 'server.js')), 'dist/ is built (npm test builds it first)')
  copyDist()
  for (const path of ['dist/demo.js', 'dist/demo.js.map']) t.notOk(existsSync(join(app, path)), `no ${path} in the image`)
  t.ok(existsSync(join(app, 'dist', 'simulator', 'demo-accounts.js')), 'the simulator\'s demo accounts stay (its default accounts)')
})

t.test('the exporter runs from that folder against the simulator run from it too', async (t) => {
  await productionFolder()
  const children: Program[] = []
  t.teardown(() => { for (const c of children) c.child.kill('SIGKILL') })

  const simulator = startNodeScript(join(app, 'dist', 'simulator', 'server.js'), {
    cwd: app,
    env: { NODE_ENV: 'production', SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0' },
  })
  children.push(simulator)
  const sim = await simulator.url()

  const exporter = startNodeScript(join(app, 'dist', 'server.js'), {
    cwd: app,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LAAFFIC_API_KEY: 'demo-otp-key',
      LAAFFIC_API_SECRET: 'demo-otp-secret',
      LAAFFIC_BASE_URL: `${sim}/v3`,
    },
  })
  children.push(exporter)
  const url = await exporter.url()

  let metrics = ''
  await waitFor(async () => {
    metrics = await (await fetch(`${url}/metrics`)).text()
    return /^laaffic_balance\{account="default"\} \d/m.test(metrics)
  }, 'the balance of the demo account on /metrics', 15_000)
  t.match(metrics, /^laaffic_balance\{account="default"\} \d/m, 'laaffic_balance{account="default"} on /metrics')
  t.match(metrics, /^laaffic_up\{account="default"\} 1$/m, 'the poll succeeded')
  t.equal((await fetch(`${url}/healthz`)).status, 200, '/healthz answers 200')

  t.test('the Dockerfile HEALTHCHECK passes against it, and fails on an answer other than 200', async (t) => {
    const [command, ...args] = dockerHealthcheck()
    t.equal(command, 'node', 'the healthcheck runs node')
    const probe = async (port: string) => await run(process.execPath, args, { cwd: app, timeoutMs: 10_000, env: { PATH: process.env.PATH ?? '', PORT: port } })
    const started = Date.now()
    const healthy = await probe(new URL(url).port)
    t.equal(healthy.code, 0, 'exit 0 against the exporter', { output: healthy.output })
    t.ok(Date.now() - started < 5000, 'done within the HEALTHCHECK --timeout of 5 s')
    // The simulator listens but has no /healthz: 404.
    const unhealthy = await probe(new URL(sim).port)
    t.equal(unhealthy.code, 1, 'exit 1 against a server answering 404')
  })

  t.test('SIGTERM (the STOPSIGNAL) ends the exporter with exit code 0', async (t) => {
    exporter.child.kill('SIGTERM')
    const { code } = await exporter.exited
    t.equal(code, 0, 'exit code 0')
  })
})
