// The container files checked without Docker: docker-compose.yml, the Dockerfile, .dockerignore, and the
// Prometheus and Alertmanager configurations they mount must fit each other and the repository.
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { loadConfig } from '../../src/config/load.js'
import { DEMO_ACCOUNTS } from '../../src/simulator/demo-accounts.js'
import { argsOf as args, copiesOf, dockerignored as ignoredIn, envOf, execForm, fromOf, globToRegExp, readDockerfile, removedBy, runCommands } from '../helpers/dockerfile.js'
import { requireProgram } from '../helpers/programs.js'
import { shebangNodeFlags } from '../helpers/shebang.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

const { all: dockerfile, stages } = readDockerfile(join(ROOT, 'Dockerfile'))
const finalStage = stages.at(-1) ?? []
const buildStage = stages[0] ?? []
/** The image's ENTRYPOINT, or [] when it has none in exec form (a test below says so). */
const entrypoint = ((): string[] => {
  try {
    return execForm(args(finalStage, 'ENTRYPOINT').at(-1))
  } catch {
    return []
  }
})()
/**
 * How the image runs Node.js: distroless puts it at /nodejs/bin/node, its own entrypoint, and not on PATH
 * (https://github.com/GoogleContainerTools/distroless/blob/main/nodejs/BUILD, and issue #1773 there).
 */
const IMAGE_NODE = '/nodejs/bin/node'

interface PackageJson { engines?: { node?: string }, bin?: Record<string, string>, scripts?: Record<string, string> }
const packageJson = JSON.parse(read('package.json')) as PackageJson

/** The Node.js flags of a built program's shebang; fails the test with the reason when dist/ is not built. */
function bundleFlags (t: Test, bundle: string): string[] {
  if (!existsSync(join(ROOT, bundle))) {
    t.fail(`${bundle} is built (npm run build, or npm test, which builds first)`)
    return []
  }
  return shebangNodeFlags(join(ROOT, bundle))
}

// --- docker-compose.yml ----------------------------------------------------------------------------------

interface EnvFile { path: string, required?: boolean }
interface Service {
  image?: string
  build?: string | { context?: string, dockerfile?: string }
  command?: string | string[]
  profiles?: string[]
  volumes?: Array<string | { type?: string, source?: string, target: string }>
  env_file?: string | Array<string | EnvFile>
  environment?: string[] | Record<string, string | number | boolean | null>
  networks?: string[] | Record<string, { aliases?: string[] } | null>
  ports?: unknown[]
  entrypoint?: string | string[]
  working_dir?: string
  user?: string
  healthcheck?: { test?: string | string[] }
  read_only?: boolean
  cap_drop?: string[]
  security_opt?: string[]
}
interface Compose { services: Record<string, Service>, volumes?: Record<string, unknown> }

const compose = parse(read('docker-compose.yml')) as Compose
const services = Object.entries(compose.services)
const EXPORTER_IMAGE_SERVICES = ['exporter', 'simulator', 'exporter-demo']

interface Mount { source: string, target: string }
/** Bind mounts of a service whose source is a path in the repository (./...). */
function repoMounts (service: Service): Mount[] {
  return (service.volumes ?? []).flatMap((volume) => {
    const [source = '', target = ''] = typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target]
    return source.startsWith('./') ? [{ source, target }] : []
  })
}
/** The named volumes a service uses (short syntax `name:/path`, or long syntax with type volume). */
function namedVolumes (service: Service): string[] {
  return (service.volumes ?? []).flatMap((volume) => {
    const source = typeof volume === 'string' ? volume.split(':')[0] ?? '' : volume.type === 'volume' ? volume.source ?? '' : ''
    return /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source) ? [source] : []
  })
}
function envFiles (service: Service): EnvFile[] {
  const list = service.env_file === undefined ? [] : Array.isArray(service.env_file) ? service.env_file : [service.env_file]
  return list.map((entry) => typeof entry === 'string' ? { path: entry } : entry)
}
function environment (service: Service): Record<string, string> {
  const env = service.environment ?? {}
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split('=')[0] ?? '', line.slice(line.indexOf('=') + 1)]))
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]))
}
function aliases (service: Service): string[] {
  const networks = service.networks ?? {}
  return Array.isArray(networks) ? [] : Object.values(networks).flatMap((network) => network?.aliases ?? [])
}
/** The repository path (relative, normalized) behind a container path, through the service's bind mounts. */
function hostPath (service: Service, containerPath: string): string | undefined {
  for (const { source, target } of repoMounts(service)) {
    if (containerPath === target) return posix.normalize(source)
    if (containerPath.startsWith(`${target}/`)) return posix.join(source, containerPath.slice(target.length + 1))
  }
  return undefined
}
function isDirectory (file: string): boolean {
  return existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isDirectory()
}
function isFile (file: string): boolean {
  return existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isFile()
}

t.test('docker-compose.yml has the expected services and profiles', async (t) => {
  t.notOk('version' in compose, 'no top-level version (compose spec)')
  const profiles = Object.fromEntries(services.map(([name, service]) => [name, service.profiles ?? []]))
  t.same(profiles, {
    exporter: ['live'],
    simulator: ['demo'],
    'exporter-demo': ['demo'],
    prometheus: [],
    alertmanager: [],
    grafana: [],
  })
})

t.test('every bind mount from the repository exists, as a file or a folder as used', async (t) => {
  for (const [name, service] of services) {
    for (const { source, target } of repoMounts(service)) {
      // A source with an extension is a file (prometheus.yml), one without is a folder (./prometheus).
      const ok = extname(source) === '' ? isDirectory(source) : isFile(source)
      t.ok(ok, `${name}: ${source} (mounted at ${target}) exists as a ${extname(source) === '' ? 'folder' : 'file'}`)
    }
    for (const volume of namedVolumes(service)) {
      t.ok(compose.volumes !== undefined && volume in compose.volumes, `${name}: the named volume ${volume} is declared`)
    }
  }
})

t.test('every container path in an environment variable that lies in a bind mount exists', async (t) => {
  let checked = 0
  for (const [name, service] of services) {
    for (const [key, value] of Object.entries(environment(service))) {
      const file = value.startsWith('/') ? hostPath(service, value) : undefined
      if (file === undefined) continue
      checked++
      t.ok(existsSync(join(ROOT, file)), `${name}: ${key}=${value} is ${file} in the repository`)
    }
  }
  t.ok(checked >= 2, 'the demo accounts file and the Grafana home dashboard are among them')
})

t.test('env files: .env is optional, every required one exists', async (t) => {
  t.same(envFiles(compose.services.exporter!), [{ path: '.env', required: false }], 'the live exporter reads .env, optional')
  for (const [name, service] of services) {
    for (const file of envFiles(service)) {
      if (file.required === false) continue
      t.ok(isFile(file.path), `${name}: the required env_file ${file.path} exists`)
    }
  }
})

t.test('the exporter, the simulator and exporter-demo run one image built from the Dockerfile', async (t) => {
  for (const name of EXPORTER_IMAGE_SERVICES) {
    const { build, image, working_dir: workdir } = compose.services[name]!
    const context = typeof build === 'string' ? build : build?.context
    t.equal(context, '.', `${name} builds from the repository`)
    t.equal(typeof build === 'object' ? build.dockerfile ?? 'Dockerfile' : 'Dockerfile', 'Dockerfile', `${name} uses the Dockerfile`)
    t.equal(image, compose.services.exporter!.image, `${name} tags the same image`)
    t.equal(workdir, undefined, `${name} keeps the image's WORKDIR, which the relative paths of the entrypoints need`)
  }
  for (const name of ['exporter', 'exporter-demo']) {
    const { entrypoint: own, command } = compose.services[name]!
    t.ok(own === undefined && command === undefined, `${name} runs the image's entrypoint, the exporter`)
  }

  const simulator = compose.services.simulator!
  const bundle = 'dist/laaffic-simulator.js'
  t.same(simulator.entrypoint, [IMAGE_NODE, ...bundleFlags(t, bundle), bundle], `the simulator runs ${bundle} with its shebang's Node.js flags, by the image's node`)
  t.equal(simulator.command, undefined, 'with no arguments after it')
  // docs/simulator.md shows the same as a docker run line (wrapped over two lines there).
  const [node = '', ...rest] = simulator.entrypoint ?? []
  const docs = read('docs/simulator.md').replace(/\s+/g, ' ')
  t.match(docs, `--entrypoint ${node} laaffic-exporter ${rest.join(' ')}\``, 'docs/simulator.md runs the simulator the same way')
  t.equal(environment(simulator).SIMULATOR_HOST, '0.0.0.0', 'the simulator listens beyond its container\'s loopback')
  t.equal(environment(simulator).SIMULATOR_PORT ?? '9867', '9867', 'on port 9867')
})

t.test('the image\'s services run read-only, without capabilities or privilege escalation, as the image\'s user', async (t) => {
  for (const name of EXPORTER_IMAGE_SERVICES) {
    const service = compose.services[name]!
    t.equal(service.read_only, true, `${name}: read-only root filesystem`)
    t.same(service.cap_drop, ['ALL'], `${name}: every capability dropped`)
    t.ok(service.security_opt?.includes('no-new-privileges:true'), `${name}: no-new-privileges`)
    t.equal(service.user, undefined, `${name}: the image's USER (${args(finalStage, 'USER').at(-1) ?? 'none'})`)
  }
})

t.test('the healthchecks of the image\'s services run without a shell, by the image\'s node', async (t) => {
  const simulator = compose.services.simulator!.healthcheck?.test
  t.ok(Array.isArray(simulator), 'the simulator has its own healthcheck (the image\'s asks the exporter\'s /healthz)')
  for (const name of EXPORTER_IMAGE_SERVICES) {
    const test = compose.services[name]!.healthcheck?.test
    if (test === undefined) continue
    // A string, or CMD-SHELL, runs /bin/sh -c, which distroless does not have.
    t.ok(Array.isArray(test) && test[0] === 'CMD', `${name}: exec form (CMD), not a shell command`)
    t.equal(Array.isArray(test) ? test[1] : test, IMAGE_NODE, `${name}: runs ${IMAGE_NODE}, node not being on the image's PATH`)
  }
  t.match(simulator?.at(-1), '/__sim/accounts', 'the simulator\'s healthcheck asks its control API')
})

t.test('files mounted into the image\'s services are readable by its user, whoever owns them', async (t) => {
  // The container runs as uid 65532, which owns no file of a checkout: it reads them as "other".
  for (const name of EXPORTER_IMAGE_SERVICES) {
    for (const { source, target } of repoMounts(compose.services[name]!)) {
      const mode = statSync(join(ROOT, source)).mode
      const needed = isDirectory(source) ? 0o005 : 0o004
      t.equal(mode & needed, needed, `${name}: ${source} (at ${target}) is readable by others (mode ${(mode & 0o777).toString(8)})`)
    }
  }
})

t.test('third-party images are pinned to a version', async (t) => {
  for (const [name, service] of services) {
    if (EXPORTER_IMAGE_SERVICES.includes(name)) continue
    t.match(service.image, /^[a-z0-9./-]+:v?\d+\.\d+\.\d+$/, `${name}: ${service.image ?? 'no image'}`)
  }
})

t.test('exporter-demo polls the simulator\'s demo accounts and answers as exporter', async (t) => {
  const demo = compose.services['exporter-demo']!
  t.ok(aliases(demo).includes('exporter'), 'network alias exporter')
  const env = environment(demo)
  t.equal(env.LAAFFIC_POLL_INTERVAL, '15', 'polls every 15 s')
  t.equal(env.LAAFFIC_BASE_URL, 'http://simulator:9867/v3', 'at the simulator service')
  t.equal(env.LAAFFIC_API_KEY, undefined, 'no single-account key beside the accounts file')

  const accountsFile = hostPath(demo, env.LAAFFIC_ACCOUNTS_FILE ?? '')
  t.equal(accountsFile, 'compose/demo-accounts.yml', 'LAAFFIC_ACCOUNTS_FILE is the mounted compose/demo-accounts.yml')
  // The exporter's own configuration loader, given the service's environment with the file's repository path.
  const config = loadConfig({ ...env, LAAFFIC_ACCOUNTS_FILE: join(ROOT, accountsFile ?? '') })
  t.same(
    config.accounts.map(({ name, apiKey, apiSecret, baseUrl }) => ({ name, apiKey, apiSecret, baseUrl })),
    DEMO_ACCOUNTS.map(({ name, apiKey, apiSecret }) => ({ name, apiKey, apiSecret, baseUrl: 'http://simulator:9867/v3' })),
    'the simulator\'s built-in accounts, keys and secrets',
  )
  t.same(config.accounts.map((a) => a.currency), DEMO_ACCOUNTS.map(() => 'USD'), 'each with its currency, for the status page')
  t.equal(config.pollIntervalSeconds, 15, 'the exporter reads the interval')
  t.equal(config.host, '0.0.0.0', 'the exporter listens beyond its container\'s loopback by default')
  t.equal(config.port, 9866, 'on port 9866')
})

// --- prometheus/prometheus.yml ---------------------------------------------------------------------------

interface ScrapeConfig { job_name: string, static_configs?: Array<{ targets: string[] }> }
interface PrometheusConfig {
  rule_files?: string[]
  alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets: string[] }> }> }
  scrape_configs?: ScrapeConfig[]
}
const prometheus = parse(read('prometheus/prometheus.yml')) as PrometheusConfig

/** Files matching a rule_files glob (filepath.Glob: *, ? and [...] within one path element) under a folder. */
function globFiles (folder: string, pattern: string): string[] {
  let matches = ['']
  for (const part of pattern.split('/')) {
    const re = globToRegExp(part)
    matches = matches.flatMap((prefix) => {
      const dir = join(folder, prefix)
      if (!isDirectory(posix.relative(ROOT, dir))) return []
      return readdirSync(dir).filter((entry) => re.test(entry)).map((entry) => posix.join(prefix, entry))
    })
  }
  return matches.filter((file) => isFile(posix.relative(ROOT, join(folder, file))))
}

t.test('prometheus.yml scrapes exporter:9866 as job laaffic and alerts through alertmanager:9093', async (t) => {
  const laaffic = prometheus.scrape_configs?.find((job) => job.job_name === 'laaffic')
  t.ok(laaffic, 'a job named laaffic (the alert rules select up{job="laaffic"})')
  t.ok(laaffic?.static_configs?.some((c) => c.targets.includes('exporter:9866')), 'target exporter:9866')
  t.match(read('prometheus/rules/laaffic.rules.yml'), 'up{job="laaffic"}', 'the job name the rules use')
  const alertmanagers = prometheus.alerting?.alertmanagers?.flatMap((a) => a.static_configs?.flatMap((c) => c.targets) ?? []) ?? []
  t.same(alertmanagers, ['alertmanager:9093'], 'alerts go to alertmanager:9093')

  // Every host Prometheus reaches is a compose service, a network alias, or itself.
  const hosts = new Set(['localhost', ...services.flatMap(([name, service]) => [name, ...aliases(service)])])
  const targets = [...(prometheus.scrape_configs ?? []).flatMap((job) => job.static_configs?.flatMap((c) => c.targets) ?? []), ...alertmanagers]
  for (const target of targets) t.ok(hosts.has(target.split(':')[0] ?? ''), `${target} is reachable in the compose network`)

  const service = compose.services.prometheus!
  t.equal(hostPath(service, '/etc/prometheus/prometheus.yml'), 'prometheus/prometheus.yml', './prometheus is mounted at /etc/prometheus')
  t.ok((service.command as string[]).includes('--config.file=/etc/prometheus/prometheus.yml'), 'and read from there')
})

t.test('every rule_files glob matches rule files, relative to prometheus.yml', async (t) => {
  t.ok((prometheus.rule_files ?? []).length > 0, 'rule files are loaded')
  for (const pattern of prometheus.rule_files ?? []) {
    t.notOk(pattern.startsWith('/'), `${pattern} is relative, so it works on the host and in the container`)
    t.ok(globFiles(join(ROOT, 'prometheus'), pattern).length > 0, `${pattern} matches at least one file`)
  }
})

// --- alertmanager/alertmanager.yml -----------------------------------------------------------------------

interface Route { receiver?: string, matchers?: string[], group_by?: string[], repeat_interval?: string, routes?: Route[] }
interface AlertmanagerConfig {
  route: Route
  receivers: Array<{ name: string, webhook_configs?: Array<{ url: string, send_resolved?: boolean }> }>
  inhibit_rules?: Array<{ source_matchers?: string[], target_matchers?: string[], equal?: string[] }>
}
const alertmanager = parse(read('alertmanager/alertmanager.yml')) as AlertmanagerConfig
const rules = parse(read('prometheus/rules/laaffic.rules.yml')) as { groups: Array<{ rules: Array<{ alert?: string, labels?: Record<string, string> }> }> }
const alerts = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined)

t.test('alertmanager.yml groups by alert and account, routes by severity, and names real alerts', async (t) => {
  t.same(alertmanager.route.group_by, ['alertname', 'account'], 'grouped by alertname and account')
  const routes = alertmanager.route.routes ?? []
  t.same(routes.map((r) => [r.matchers, r.receiver]), [[['severity="critical"'], 'critical'], [['severity="warning"'], 'warning']], 'critical and warning routes')
  const severities = new Set(alerts.map((alert) => alert.labels?.severity))
  t.same([...severities].sort(), ['critical', 'warning'], 'the rules use exactly the routed severities')
  for (const receiver of alertmanager.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) t.equal(webhook.send_resolved, true, `${receiver.name}: ${webhook.url} gets resolved alerts`)
  }

  const names = new Set(alerts.map((alert) => alert.alert))
  const inhibitions = alertmanager.inhibit_rules ?? []
  t.equal(inhibitions.length, 1, 'one inhibit rule')
  for (const rule of inhibitions) {
    for (const matcher of [...rule.source_matchers ?? [], ...rule.target_matchers ?? []]) {
      const exact = /^alertname="(.+)"$/.exec(matcher)
      if (exact !== null) t.ok(names.has(exact[1]), `${exact[1]} is an alert of laaffic.rules.yml`)
    }
  }
  t.match(inhibitions[0], { source_matchers: ['alertname="LaafficBalanceCritical"'], target_matchers: ['alertname="LaafficBalanceLow"'] }, 'critical balance inhibits low balance')
  t.same(inhibitions[0]?.equal, ['job', 'account'], 'for the same account, whichever exporter (the alerts carry no instance label)')
})

// --- Dockerfile and .dockerignore ------------------------------------------------------------------------

const dockerignored = (path: string): boolean => ignoredIn(ROOT, path)

t.test('.dockerignore keeps host builds, tooling output and credentials out of the build context', async (t) => {
  for (const path of ['node_modules', 'node_modules/fastify/package.json', 'dist/laaffic-exporter.js', '.git/HEAD', '.tap/processinfo', 'coverage/index.html', '.env', '.env.local', 'npm-debug.log', 'laaffic-exporter-0.1.0.tgz']) {
    t.ok(dockerignored(path), `${path} is excluded`)
  }
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'src/cli.ts']) {
    t.notOk(dockerignored(path), `${path} is sent`)
  }
})

t.test('the Dockerfile builds on Node.js on Debian 13 and runs on distroless, on the line CI tests', async (t) => {
  t.equal(stages.length, 2, 'two stages: build and runtime')
  const build = fromOf(buildStage)
  const runtime = fromOf(finalStage)
  const buildNode = /^node:(\d+)-trixie-slim(@sha256:[0-9a-f]{64})?$/.exec(build.image)?.[1]
  const runtimeNode = /^gcr\.io\/distroless\/nodejs(\d+)-debian13(:nonroot)?(@sha256:[0-9a-f]{64})?$/.exec(runtime.image)?.[1]
  t.ok(buildNode, `the build stage on node:N-trixie-slim (${build.image})`)
  t.equal(build.name, 'build', 'named build (the runtime stage copies --from=build)')
  t.ok(runtimeNode, `the runtime stage on gcr.io/distroless/nodejsN-debian13 (${runtime.image})`)
  t.equal(runtimeNode, buildNode, 'one Node.js line in both stages')
  // .ci/run runs the whole suite on the first Node.js version of .ci/node-versions: the line the image must ship.
  const ciMain = /^(\d+)\./m.exec(read('.ci/node-versions'))?.[1]
  t.equal(runtimeNode, ciMain, `the line .ci/run tests in full (Node.js ${ciMain ?? '?'})`)
  const engines = /^>=(\d+)$/.exec(packageJson.engines?.node ?? '')?.[1]
  t.ok(engines !== undefined && Number(runtimeNode) >= Number(engines), `within engines (${packageJson.engines?.node ?? 'none'})`)
})

t.test('the build stage copies what npm run build reads, installs, builds, and deletes the demo', async (t) => {
  const runs = runCommands(buildStage)
  const npmCi = runs.findIndex((run) => run.startsWith('npm ci'))
  t.ok(npmCi >= 0, 'the build stage runs npm ci')
  t.ok(runs.findIndex((run) => run === 'npm run build') > npmCi, 'then npm run build (no install script builds: the packed package.json has none)')

  const copied = copiesOf(buildStage).flatMap((copy) => copy.sources)
  // esbuild reads tsconfig.json (without it the bundles differ: no "use strict" in the CommonJS packages).
  const buildScript = /^node (\S+)$/.exec(packageJson.scripts?.build ?? '')?.[1]
  t.ok(buildScript, `npm run build runs one file with node (${packageJson.scripts?.build ?? 'none'})`)
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', buildScript ?? 'the build script', 'src']) t.ok(copied.includes(file), `the build stage copies ${file}`)
  const extended = (JSON.parse(read('tsconfig.json')) as { extends?: string }).extends
  if (extended !== undefined) t.ok(copied.includes(posix.normalize(extended)), `and ${extended}, which tsconfig.json extends`)
  const npmCiAt = buildStage.findIndex((i) => i.keyword === 'RUN' && i.args.includes('npm ci'))
  t.ok(buildStage.findLastIndex((i) => i.keyword === 'COPY') < npmCiAt, 'everything is copied before npm ci')

  // `npm run demo` starts two programs side by side from a checkout; an image runs one program per container
  // (the compose demo profile runs the simulator and the exporter as two services), so the demo stays out.
  const removed = removedBy(buildStage)
  t.ok(removed.includes('dist/demo.js') && removed.includes('dist/demo.js.map'), 'the build stage deletes dist/demo.js and its map (npm run demo is not shipped)')
  const buildAt = buildStage.findIndex((i) => i.keyword === 'RUN' && i.args === 'npm run build')
  t.ok(buildAt < buildStage.findIndex((i) => i.keyword === 'RUN' && i.args.startsWith('rm ')), 'after npm run build made them')
})

t.test('the runtime stage gets dist/ and package.json only, and runs as distroless\' nonroot user', async (t) => {
  t.same(args(finalStage, 'RUN'), [], 'no RUN: distroless has no shell to run one, and nothing is installed')
  t.same(copiesOf(finalStage).filter((copy) => copy.from === undefined).map((copy) => copy.sources), [['package.json']],
    'from the context: package.json only (the version the bundles read)')
  t.same(copiesOf(finalStage).filter((copy) => copy.from !== undefined), [{ from: 'build', sources: ['/app/dist'], destination: './dist' }],
    'from the build stage: dist/, no node_modules')
  t.equal(args(finalStage, 'WORKDIR').at(-1), '/app', 'in /app, where the entrypoint\'s relative paths lead')
  // By number: Kubernetes' runAsNonRoot can verify a number, not a name. 65532 is distroless' nonroot.
  t.equal(args(finalStage, 'USER').at(-1), '65532:65532', 'USER 65532:65532, distroless\' nonroot user and group')
  t.equal(envOf(finalStage).NODE_ENV, 'production', 'NODE_ENV=production')
  t.ok(args(finalStage, 'EXPOSE').some((a) => a.split(/\s+/).includes('9866')), 'EXPOSE 9866')
  t.same(args(finalStage, 'STOPSIGNAL'), ['SIGTERM'], 'STOPSIGNAL SIGTERM')
  const labels = args(finalStage, 'LABEL').join(' ')
  for (const key of ['title', 'description', 'source', 'licenses', 'version']) t.match(labels, `org.opencontainers.image.${key}=`, `OCI label ${key}`)
  t.match(labels, 'org.opencontainers.image.licenses="MIT"', 'licensed MIT')
})

t.test('the ENTRYPOINT runs the exporter\'s bundle with its shebang\'s Node.js flags, and takes its arguments', async (t) => {
  t.ok(entrypoint.length > 0, 'an ENTRYPOINT in exec form: node is PID 1 and gets SIGTERM itself')
  t.equal(entrypoint[0], IMAGE_NODE, `run by ${IMAGE_NODE} (distroless' node, not on its PATH)`)
  const bundle = packageJson.bin?.['laaffic-exporter'] ?? ''
  t.equal(entrypoint.at(-1), bundle, `then the laaffic-exporter command of package.json (${bundle})`)
  // The flags bound the exporter's memory (BENCHMARKS.md): the image must run with the ones npm start gets.
  t.same(entrypoint.slice(1, -1), bundleFlags(t, bundle), `with exactly the Node.js flags of ${bundle}'s shebang`)
  t.same(args(finalStage, 'CMD'), [], 'no CMD: `docker run IMAGE --help` hands --help to the exporter')
})

t.test('the HEALTHCHECK runs the exporter\'s own --healthcheck with the image\'s node, in exec form', async (t) => {
  const line = args(finalStage, 'HEALTHCHECK').at(-1)
  t.match(line, /--timeout=\d+s .*CMD \[/, 'HEALTHCHECK with a --timeout, exec form (distroless has no shell)')
  const probe = execForm(line)
  t.equal(probe[0], IMAGE_NODE, `run by ${IMAGE_NODE}`)
  // It reads the configuration as the exporter does, so TLS from TLS_CERT_FILE or WEB_CONFIG_FILE is followed
  // (test/cli/healthcheck.test.ts runs it in each TLS setup, test/bundle/production-install.test.ts in the image).
  t.same(probe.slice(1), [packageJson.bin?.['laaffic-exporter'] ?? 'the bin', '--healthcheck'], 'the bundle with --healthcheck')
})

t.test('every COPY source of the Dockerfile exists and is in the build context', async (t) => {
  for (const copy of args(dockerfile, 'COPY').filter((a) => !a.includes('--from='))) {
    for (const source of copy.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1)) {
      t.ok(existsSync(join(ROOT, source)), `${source} exists`)
      t.notOk(dockerignored(source), `${source} is not excluded by .dockerignore`)
    }
  }
})

t.test('.env.example documents the live setup', async (t) => {
  const example = read('.env.example')
  for (const line of ['COMPOSE_PROFILES=live', 'LAAFFIC_API_KEY=', 'LAAFFIC_API_SECRET=', 'LAAFFIC_BALANCE_WARNING=', 'LAAFFIC_BALANCE_CRITICAL=']) {
    t.match(example, new RegExp(`^${line}$`, 'm'), line)
  }
})

// --- promtool and amtool ---------------------------------------------------------------------------------

t.test('promtool check config passes (with the rule files)', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const check = spawnSync(promtool, ['check', 'config', 'prometheus/prometheus.yml'], { cwd: ROOT, encoding: 'utf8' })
  t.equal(check.status, 0, 'promtool exits 0', { output: check.stdout + check.stderr })
  t.match(check.stdout, /SUCCESS: [1-9]\d* rule files found/)
})

t.test('amtool check-config passes, and alerts route by severity', async (t) => {
  const amtool = requireProgram(t, 'amtool', 'prometheus-alertmanager')
  if (amtool === undefined) return
  const config = 'alertmanager/alertmanager.yml'
  const check = spawnSync(amtool, ['check-config', config], { cwd: ROOT, encoding: 'utf8' })
  t.equal(check.status, 0, 'amtool exits 0', { output: check.stdout + check.stderr })
  for (const [severity, receiver] of [['critical', 'critical'], ['warning', 'warning'], ['none', 'warning']] as const) {
    const route = spawnSync(amtool, ['config', 'routes', 'test', `--config.file=${config}`, 'alertname=LaafficBalanceLow', 'account=otp', `severity=${severity}`],
      { cwd: ROOT, encoding: 'utf8' })
    t.equal(route.stdout.trim(), receiver, `severity=${severity} goes to ${receiver}`)
  }
})
