// The npm package as a user gets it: `npm pack`, the tarball installed into an empty folder without the
// network, then the installed `laaffic-exporter` command answering --version and serving /metrics against
// the simulator. The package holds the self-contained bundle and nothing of the repository besides.
import t from 'tap'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProgram, startProgram, type Program } from '../../scripts/lib/program.js'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import { sample } from '../helpers/app.js'
import { startSimulator } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
/** npm pack and npm install from a file take 1 to 3 s each here; with no network involved nothing should take long. */
const NPM_TIMEOUT_MS = 60_000
const EXPECTED_FILES = ['LICENSE', 'README.md', 'dist/THIRD_PARTY_LICENSES.txt', 'dist/laaffic-exporter.js', 'dist/laaffic-exporter.js.map', 'package.json']

// Outside the repository (not t.testdir, which is under .tap/): a folder inside it would find the
// repository's node_modules, and the point is that the package needs none.
const folder = mkdtempSync(join(tmpdir(), 'laaffic-package-'))
t.teardown(() => { rmSync(folder, { recursive: true, force: true }) })
const packed = join(folder, 'packed')
const app = join(folder, 'app')
const bin = join(app, 'node_modules', '.bin', 'laaffic-exporter')

/**
 * The environment of npm and of the installed command: the caller's less what the npm running `npm test`
 * adds (npm_config_*, npm_lifecycle_*), so the inner npm behaves as a user's would; the Node.js running
 * this test first on PATH, so the command's shebang (`env -S node ...`) finds the same one.
 */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_'))),
  PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
}

async function npm (args: string[], cwd: string): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return await runProgram({ command: 'npm', args, cwd, env, timeoutMs: NPM_TIMEOUT_MS })
}

interface PackResult { filename: string, size: number, unpackedSize: number, files: Array<{ path: string }> }

// Each subtest runs what it needs through these, done once whichever asks first (so one runs alone too).
let packing: Promise<PackResult> | undefined
/**
 * `npm pack` of the repository as it is built. --ignore-scripts: its `prepack` would rebuild dist/ (deleting
 * it first) under the other test files running meanwhile; `npm test` has just built it (pretest).
 */
async function pack (): Promise<PackResult> {
  packing ??= (async () => {
    if (!existsSync(join(ROOT, 'dist', 'laaffic-exporter.js'))) throw new Error('dist/ is not built: npm run build first')
    mkdirSync(packed, { recursive: true })
    const { code, stdout, stderr } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packed], ROOT)
    if (code !== 0) throw new Error(`npm pack exited ${String(code)}: ${stderr}`)
    const [result] = JSON.parse(stdout) as PackResult[]
    if (result === undefined) throw new Error(`npm pack said nothing: ${stdout}`)
    return result
  })()
  return await packing
}

let installing: Promise<{ code: number | null, output: string }> | undefined
/** The tarball installed into an empty folder, offline: a package with no dependencies needs no registry. */
async function install (): Promise<{ code: number | null, output: string }> {
  installing ??= (async () => {
    const { filename } = await pack()
    mkdirSync(app, { recursive: true })
    // A project of its own, as `npm init` makes: without it npm installs into the first folder above that
    // has a package.json (a stray /tmp/package.json would do).
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'uses-laaffic-exporter', private: true }, null, 2)}\n`)
    const { code, stdout, stderr } = await npm(['install', '--offline', '--no-audit', '--no-fund', join(packed, filename)], app)
    return { code, output: stdout + stderr }
  })()
  return await installing
}

async function installed (): Promise<void> {
  const { code, output } = await install()
  if (code !== 0) throw new Error(`npm install of the tarball failed (exit ${String(code)}): ${output}`)
}

t.test('no node_modules above the install folder could stand in for a missing dependency', async (t) => {
  for (let above = dirname(folder); above !== dirname(above); above = dirname(above)) {
    t.notOk(existsSync(join(above, 'node_modules')), `no ${join(above, 'node_modules')}`)
  }
  t.notOk(existsSync('/node_modules'), 'no /node_modules')
})

t.test('the tarball holds the built command, its source map, the licences and the README, nothing else', async (t) => {
  const { filename, size, unpackedSize, files } = await pack()
  t.comment(`${filename}: ${size} bytes, ${unpackedSize} unpacked`)
  const paths = files.map((file) => file.path).sort()
  t.same(paths, EXPECTED_FILES, 'the files of the package')
  t.same(paths.filter((path) => /^(test|src|scripts)\//.test(path)), [], 'no test/, src/ or scripts/')
})

/** The scripts npm runs when it installs a package (https://docs.npmjs.com/cli/using-npm/scripts#npm-install). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare']

t.test('the packed package.json has no script an install would run', async (t) => {
  await installed()
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'laaffic-exporter', 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  t.same(Object.keys(manifest.scripts ?? {}).filter((name) => INSTALL_SCRIPTS.includes(name)), [], 'none of ' + INSTALL_SCRIPTS.join(', '))
})

t.test('installing the tarball into an empty folder pulls nothing else and needs no network', async (t) => {
  const { code, output } = await install()
  t.equal(code, 0, 'npm install --offline exits 0', { output })
  // npm 11 warns of a package whose install scripts allowScripts does not cover (it once named `prepare`).
  t.notMatch(output, /npm warn|install-scripts|allowScripts/i, 'no warning, no script to allow', { output })
  const modules = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))
  t.same(modules, ['laaffic-exporter'], 'the package alone in node_modules')
  t.ok(existsSync(bin), 'node_modules/.bin/laaffic-exporter is there')
})

t.test('the installed laaffic-exporter --version prints the version', async (t) => {
  await installed()
  const { code, signal, stdout, stderr } = await runProgram({ command: bin, args: ['--version'], cwd: app, env, timeoutMs: 10_000 })
  t.same({ code, signal, stdout, stderr }, { code: 0, signal: null, stdout: `laaffic-exporter ${version}\n`, stderr: '' })
})

t.test('the installed laaffic-exporter serves the balance of an account on /metrics', async (t) => {
  await installed()
  const children: Program[] = []
  t.teardown(() => { for (const child of children) child.child.kill('SIGKILL') })

  // The repository's built simulator stands in for the API; its built-in account `otp`, with a fixed balance.
  const simulator = startSimulator({})
  children.push(simulator)
  const sim = await simulator.url()
  const control = new SimulatorControl(sim)
  t.teardown(() => { control.close() })
  await control.patchAccount('otp', { balance: 1234.5, spendPerHour: 0 })

  const exporter = startProgram({
    command: bin,
    cwd: app,
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: '0',
      LAAFFIC_API_KEY: 'demo-otp-key',
      LAAFFIC_API_SECRET: 'demo-otp-secret',
      LAAFFIC_ACCOUNT: 'otp',
      LAAFFIC_BASE_URL: `${sim}/v3`,
    },
  })
  children.push(exporter)
  const url = await exporter.url()

  let metrics = ''
  await waitFor(async () => {
    metrics = await (await fetch(`${url}/metrics`)).text()
    return sample(metrics, 'laaffic_up{account="otp"}') === 1
  }, 'a successful poll on /metrics', 15_000)
  t.equal(sample(metrics, 'laaffic_balance{account="otp"}'), 1234.5, 'laaffic_balance{account="otp"} is the simulator\'s balance')
  t.match(metrics, new RegExp(`^laaffic_exporter_build_info\\{[^}]*version="${version.replaceAll('.', '\\.')}"`, 'm'), 'the build info names the version')

  const { code, signal } = await exporter.stop()
  t.same({ code, signal }, { code: 0, signal: null }, 'SIGTERM ends it with exit code 0')
})
