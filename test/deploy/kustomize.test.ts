// deploy/kubernetes without a cluster: every kustomization rendered by `kubectl kustomize`, every object
// checked against the Kubernetes and Prometheus Operator schemas, and the wiring a cluster would only show
// later: which labels select which pods, which ports and paths are named, which files the pod can read, that
// the probes answer on the exporter and the ServiceMonitor's credentials open /metrics.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { loadConfig } from '../../src/config/load.js'
import { PROVIDERS } from '../../src/config/providers.js'
import { envSchema } from '../../src/config/schema.js'
import { ConfigError, type Config } from '../../src/config/types.js'
import { argsOf, execForm, readDockerfile } from '../helpers/dockerfile.js'
import { startExporter } from '../helpers/exporter-process.js'
import {
  exampleSecrets, kustomizations, memoryBytes, ofKind, podPath, relabel, render, requireKubectl, ROOT, schemaProblem, secretFiles, selects,
  type Container, type KubeObject, type Relabeling, type Workload,
} from '../helpers/kubernetes.js'
import { requireProgram } from '../helpers/programs.js'
import { waitFor } from '../helpers/wait.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version
const LABEL = { 'app.kubernetes.io/name': 'laaffic-exporter' }
/** The Dockerfile's runtime stage: its user (uid:gid) and ENTRYPOINT. */
const runtimeStage = readDockerfile(join(ROOT, 'Dockerfile')).stages.at(-1) ?? []
const [IMAGE_UID, IMAGE_GID] = (argsOf(runtimeStage, 'USER').at(-1) ?? '').split(':').map(Number)
/** The job the rules select (up{job="laaffic"}). */
const RULES_JOB = /up\{job="([^"]+)"\}/.exec(read('prometheus/rules/laaffic.rules.yml'))?.[1]
/** WEB_CONFIG_FILE comes with issue 11 (the exporter-toolkit web configuration); until envSchema declares it, the probes below stand its TLS and users in through TLS_* and METRICS_BASIC_AUTH_USERS_FILE. */
const VARIABLES = new Set([...Object.keys(envSchema.properties), 'WEB_CONFIG_FILE'])
const WEB_CONFIG_SUPPORTED = 'WEB_CONFIG_FILE' in envSchema.properties
/** The pod of a Deployment is named after its ReplicaSet: no ordinal. */
const DEPLOYMENT_POD = 'laaffic-exporter-5d8f9c7b6-x2k4q'

const MiB = 1024 * 1024
/** Memory figures of BENCHMARKS.md (Node.js 24): one account after 100,000 scrapes, and 1,000 accounts. */
function benchMegabytes (): { oneAccountLoaded: number, thousandAccounts: number } {
  const text = read('BENCHMARKS.md')
  const loaded = /\| RSS after 100,000 more scrapes at 50 connections\s*\|\s*([\d.]+) MB/.exec(text)?.[1]
  const thousand = /\| 1,000 account\(s\): \/metrics size, RSS\s*\|\s*[\d.,]+ KiB, ([\d.]+) MB/.exec(text)?.[1]
  if (loaded === undefined || thousand === undefined) throw new Error('BENCHMARKS.md: the RSS rows the manifests are sized from are missing')
  // The bench's MB are MiB (scripts/lib/stats.ts).
  return { oneAccountLoaded: Number(loaded) * MiB, thousandAccounts: Number(thousand) * MiB }
}

// ---------------------------------------------------------------------------------------------------------

const KUSTOMIZATIONS = kustomizations()
const rendered = new Map<string, KubeObject[]>()

await t.test('kubectl kustomize renders every kustomization', async (t) => {
  t.same(KUSTOMIZATIONS, [
    'deploy/kubernetes/base',
    'deploy/kubernetes/examples/accounts-file',
    'deploy/kubernetes/examples/sharded',
    'deploy/kubernetes/examples/single-account',
    'deploy/kubernetes/examples/web-config',
  ], 'the base and the examples the docs name')
  const kubectl = requireKubectl(t)
  if (kubectl === undefined) return
  for (const dir of KUSTOMIZATIONS) {
    const objects = render(kubectl, dir)
    rendered.set(dir, objects)
    t.ok(objects.length > 0, `${dir}: ${objects.map((o) => o.kind).join(', ')}`)
  }
})

for (const [dir, objects] of rendered) {
  const secrets = exampleSecrets(dir).length > 0 ? exampleSecrets(dir) : exampleSecrets('deploy/kubernetes/examples/accounts-file')
  const workloads = objects.filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'StatefulSet')
  const workload = workloads[0] as Workload
  const pod = workload.spec.template
  const container = pod.spec.containers[0] as Container

  t.test(`${dir}: every object passes its schema and carries the app label`, async (t) => {
    for (const object of objects) {
      t.equal(schemaProblem(object), undefined, `${object.kind} ${object.metadata.name}`)
      t.match(object.metadata.labels, LABEL, `${object.kind} ${object.metadata.name}: ${stringify(LABEL).trim()}`)
    }
    for (const secret of exampleSecrets(dir)) t.equal(schemaProblem(secret), undefined, `secret.example.yaml: Secret ${secret.metadata.name}`)
    t.equal(workloads.length, 1, 'one workload')
    t.equal(pod.spec.containers.length, 1, 'one container')
    const namespaces = new Set(objects.map((o) => o.metadata.namespace))
    t.equal(namespaces.size, 1, 'one namespace for everything')
    for (const secret of exampleSecrets(dir)) t.equal(secret.metadata.namespace, [...namespaces][0], `Secret ${secret.metadata.name} in the same namespace`)
  })

  t.test(`${dir}: the pod runs as the image's user, hardened, with the image's own entrypoint`, async (t) => {
    const security = pod.spec.securityContext ?? {}
    t.equal(security.runAsUser, IMAGE_UID, `runAsUser is the Dockerfile's USER (${IMAGE_UID})`)
    t.equal(security.runAsGroup, IMAGE_GID, `runAsGroup is its group (${IMAGE_GID})`)
    t.equal(security.runAsNonRoot, true, 'runAsNonRoot')
    t.equal(security.seccompProfile?.type, 'RuntimeDefault', 'seccomp RuntimeDefault')
    t.same(container.securityContext, { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    t.equal(pod.spec.automountServiceAccountToken, false, 'no service account token in the pod')
    const account = ofKind(objects, 'ServiceAccount').find((sa) => sa.metadata.name === pod.spec.serviceAccountName)
    t.ok(account, `its ServiceAccount ${pod.spec.serviceAccountName ?? '(none)'} is rendered`)
    t.equal(account?.automountServiceAccountToken, false, 'which mounts no token either')
    t.equal(pod.spec.enableServiceLinks, false, 'no service link variables in the exporter\'s environment')
    // command would replace the ENTRYPOINT, and with it the Node.js flags; args would be taken for options.
    t.equal(container.command, undefined, `no command: the image's ENTRYPOINT ${JSON.stringify(execForm(argsOf(runtimeStage, 'ENTRYPOINT').at(-1)))} runs`)
    t.equal(container.args, undefined, 'no args')
    t.match(container.image, new RegExp(`(^|/)laaffic-exporter:${VERSION.replaceAll('.', '\\.')}$`), `the image of this version (${VERSION}, package.json)`)
    for (const name of (container.env ?? []).map((e) => e.name)) t.ok(VARIABLES.has(name), `${name} is a variable the exporter reads`)
  })

  t.test(`${dir}: requests and limits cover the measured memory`, async (t) => {
    const { oneAccountLoaded, thousandAccounts } = benchMegabytes()
    const request = memoryBytes(container.resources?.requests?.memory)
    const limit = memoryBytes(container.resources?.limits?.memory)
    t.ok(request >= oneAccountLoaded, `memory request ${container.resources?.requests?.memory} >= ${(oneAccountLoaded / MiB).toFixed(1)} MB (one account after 100,000 scrapes)`)
    t.ok(limit >= 1.5 * thousandAccounts, `memory limit ${container.resources?.limits?.memory} >= 1.5 × ${(thousandAccounts / MiB).toFixed(1)} MB (1,000 accounts)`)
    t.ok(container.resources?.requests?.cpu !== undefined, 'a CPU request')
  })

  t.test(`${dir}: selectors, ports and probes fit the pod`, async (t) => {
    const labels = pod.metadata.labels
    t.ok(selects(workload.spec.selector.matchLabels, labels), `the ${workload.kind}'s selector matches its pod's labels`)
    const ports = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]))
    const port = Number((container.env ?? []).find((e) => e.name === 'PORT')?.value ?? envSchema.properties.PORT.default)
    t.equal(ports.get('metrics'), port, `the container port named metrics is the port the exporter listens on (${port})`)

    const services = ofKind(objects, 'Service').filter((s) => selects((s.spec as { selector?: Record<string, string> }).selector, labels))
    t.equal(services.length, 1, 'one Service selects the pod (two would make two targets of each pod)')
    const service = services[0]?.spec as { clusterIP?: string, ports: Array<{ name: string, port: number, targetPort: string | number }> } | undefined
    for (const p of service?.ports ?? []) {
      t.ok(typeof p.targetPort === 'string' ? ports.has(p.targetPort) : [...ports.values()].includes(p.targetPort), `Service port ${p.name} targets a container port`)
    }
    t.ok(service?.ports.some((p) => p.name === 'metrics'), 'the Service has a port named metrics')

    for (const [kind, probe, path] of [['liveness', container.livenessProbe, '/healthz'], ['readiness', container.readinessProbe, '/readyz']] as const) {
      t.equal(probe?.httpGet?.path, path, `${kind} probe on ${path}`)
      t.ok(ports.has(String(probe?.httpGet?.port)) || ports.get('metrics') === probe?.httpGet?.port, `${kind} probe on the metrics port`)
    }

    for (const policy of ofKind(objects, 'NetworkPolicy')) {
      const spec = policy.spec as { podSelector: { matchLabels?: Record<string, string> }, ingress?: Array<{ ports?: Array<{ port: string | number }> }>, egress?: Array<{ ports?: Array<{ port: number, protocol: string }> }> }
      t.ok(selects(spec.podSelector.matchLabels, labels), 'the NetworkPolicy selects the pod')
      const ingress = (spec.ingress ?? []).flatMap((rule) => rule.ports ?? []).map((p) => p.port)
      t.same(ingress, ['metrics'], 'ingress to the metrics port only')
      const egress = (spec.egress ?? []).flatMap((rule) => rule.ports ?? []).map((p) => `${p.port}/${p.protocol}`)
      const apiPort = new URL(PROVIDERS.laaffic.baseUrl).protocol === 'https:' ? 443 : 80
      t.same(egress.sort(), ['443/TCP', '53/TCP', '53/UDP'].sort(), `egress to DNS and to the API's port (${apiPort}, from the default provider's base URL)`)
      t.ok(egress.includes(`${apiPort}/TCP`), 'the API\'s port is open')
    }
  })

  t.test(`${dir}: every file the exporter reads is mounted from a Secret it can read, and the configuration loads`, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'laaffic-kustomize-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    const { env, folders, problems } = podEnvironment(workload, secrets, work)
    t.same(problems, [], 'every Secret, key and mount the pod names exists')
    for (const mount of container.volumeMounts ?? []) {
      t.equal(mount.subPath, undefined, `${mount.mountPath}: mounted as a folder (a subPath would never see a rotated Secret)`)
      t.equal(mount.readOnly, true, `${mount.mountPath}: read-only`)
    }
    for (const volume of pod.spec.volumes ?? []) {
      const mode = volume.secret?.defaultMode ?? 0o644
      const fsGroup = pod.spec.securityContext?.fsGroup
      // Secret files belong to root and, with an fsGroup, to that group: the user reads them as group or other.
      const readable = (mode & 0o004) !== 0 || ((mode & 0o040) !== 0 && fsGroup !== undefined)
      t.ok(readable, `volume ${volume.name}: mode ${mode.toString(8)} with fsGroup ${String(fsGroup)} is readable by uid ${IMAGE_UID}`)
    }
    // Every *_FILE variable names a file of a mounted Secret.
    for (const variable of (container.env ?? []).filter((e) => e.name.endsWith('_FILE'))) {
      t.ok(podPath(variable.value ?? '', folders) !== undefined, `${variable.name}=${variable.value} is inside a mounted Secret`)
    }
    const webConfigPath = (container.env ?? []).find((e) => e.name === 'WEB_CONFIG_FILE')?.value
    if (webConfigPath !== undefined) {
      const local = podPath(webConfigPath, folders) as string
      const web = parse(readFileSync(local, 'utf8')) as { tls_server_config?: { cert_file?: string, key_file?: string } }
      for (const path of [web.tls_server_config?.cert_file, web.tls_server_config?.key_file].filter((p) => p !== undefined)) {
        t.ok(podPath(path, folders) !== undefined, `the web configuration's ${path} is inside a mounted Secret`)
      }
      const promtool = requireProgram(t, 'promtool', 'prometheus')
      if (promtool !== undefined) {
        const check = spawnSync(promtool, ['check', 'web-config', rewrittenWebConfig(local, folders, work)], { encoding: 'utf8' })
        t.equal(check.status, 0, `promtool check web-config: ${check.stdout}${check.stderr}`)
      }
    }
    // The exporter's own loader, given the pod's environment with the mounted files where the test put them.
    const pods = podNames(workload)
    const configs: Config[] = []
    for (const name of pods) {
      try {
        configs.push(loadConfig(exporterEnv(env, folders, name, work)))
      } catch (err) {
        t.fail(`${name}: ${err instanceof ConfigError ? err.problems.join('; ') : String(err)}`)
      }
    }
    t.equal(configs.length, pods.length, `the configuration loads in ${pods.join(', ')}`)
    const all = configs.flatMap((c) => c.accounts.map((a) => a.name))
    t.equal(new Set(all).size, all.length, 'no account in two pods')
    t.ok(all.length > 0, `accounts polled: ${all.join(', ')}`)
  })

  if (workload.kind === 'StatefulSet') {
    t.test(`${dir}: the shards are the StatefulSet's pods, told their number from the replicas`, async (t) => {
      const env = new Map((container.env ?? []).map((e) => [e.name, e]))
      t.equal(env.get('LAAFFIC_TOTAL_SHARDS')?.value, String(workload.spec.replicas), `LAAFFIC_TOTAL_SHARDS is the replicas (${workload.spec.replicas})`)
      t.equal(env.get('LAAFFIC_POD_NAME')?.valueFrom?.fieldRef?.fieldPath, 'metadata.name', 'LAAFFIC_POD_NAME is the pod\'s name (Downward API)')
      t.equal(workload.spec.podManagementPolicy, 'Parallel', 'the shards start together')
      const governing = ofKind(objects, 'Service').find((s) => s.metadata.name === workload.spec.serviceName)
      t.equal((governing?.spec as { clusterIP?: string } | undefined)?.clusterIP, 'None', 'serviceName is a rendered headless Service')
      // One pod more than the shards (kubectl scale without the overlay) stops with a configuration error.
      const extra = `${workload.metadata.name}-${workload.spec.replicas ?? 1}`
      const work = mkdtempSync(join(tmpdir(), 'laaffic-kustomize-'))
      t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
      const { env: podEnv, folders } = podEnvironment(workload, secrets, work)
      let problems: string[] = []
      try {
        loadConfig(exporterEnv(podEnv, folders, extra, work))
      } catch (err) {
        problems = (err as ConfigError).problems
      }
      t.match(problems, [new RegExp(`^LAAFFIC_POD_NAME: the ordinal of "${extra}" \\(${workload.spec.replicas ?? 1}\\) must be below LAAFFIC_TOTAL_SHARDS`)],
        `a pod ${extra} stops with a configuration error`)
    })
  } else {
    t.test(`${dir}: one Deployment pod polls every account, replaced rather than doubled`, async (t) => {
      t.equal(workload.spec.replicas, 1, 'one replica (more would poll every account as often again)')
      t.equal(workload.spec.strategy?.type, 'Recreate', 'the old pod stops before the new one starts')
      t.notOk((container.env ?? []).some((e) => /SHARD|POD_NAME/.test(e.name)), 'not sharded')
    })
  }

  const monitors = ofKind(objects, 'ServiceMonitor')
  if (monitors.length > 0) {
    t.test(`${dir}: the ServiceMonitor scrapes the Service's metrics port as job ${RULES_JOB ?? '?'}, with a stable instance`, async (t) => {
      const spec = monitors[0]?.spec as {
        selector: { matchLabels?: Record<string, string> }
        endpoints: Array<{ port: string, path?: string, scheme?: string, interval?: string, scrapeTimeout?: string, relabelings?: Relabeling[], tlsConfig?: { ca?: { secret?: { name: string, key: string } } }, basicAuth?: Record<string, { name: string, key: string }> }>
      }
      const services = ofKind(objects, 'Service').filter((s) => selects(spec.selector.matchLabels, s.metadata.labels))
      t.equal(services.length, 1, 'it selects one Service')
      const servicePorts = ((services[0]?.spec as { ports?: Array<{ name: string }> } | undefined)?.ports ?? []).map((p) => p.name)
      const seconds = (duration: string | undefined): number => Number(/^(\d+)s$/.exec(duration ?? '')?.[1] ?? NaN)
      for (const endpoint of spec.endpoints) {
        t.ok(servicePorts.includes(endpoint.port), `endpoint port ${endpoint.port} is a port name of the Service`)
        t.ok(seconds(endpoint.scrapeTimeout) <= seconds(endpoint.interval), `scrapeTimeout ${endpoint.scrapeTimeout} <= interval ${endpoint.interval}`)
        t.equal(endpoint.path ?? '/metrics', '/metrics', 'path /metrics')
        const tls = container.readinessProbe?.httpGet?.scheme === 'HTTPS'
        t.equal(endpoint.scheme ?? 'http', tls ? 'https' : 'http', `scheme ${tls ? 'https, as the pod serves TLS' : 'http'}`)
        for (const ref of [endpoint.tlsConfig?.ca?.secret, ...Object.values(endpoint.basicAuth ?? {})].filter((r) => r !== undefined)) {
          const secret = secrets.find((s) => s.metadata.name === ref.name)
          t.ok(secret !== undefined && ref.key in secretFiles(secret), `the Secret ${ref.name} with key ${ref.key} is in secret.example.yaml`)
        }
        // What Prometheus makes of a target of each kind of pod (the labels its Kubernetes discovery gives).
        const target = (kind: string, podName: string): Record<string, string> => relabel({
          job: 'laaffic-exporter', instance: '10.1.2.3:9866', __meta_kubernetes_service_name: services[0]?.metadata.name ?? '',
          __meta_kubernetes_pod_name: podName, __meta_kubernetes_pod_controller_kind: kind,
        }, endpoint.relabelings ?? [])
        t.equal(target('ReplicaSet', DEPLOYMENT_POD).job, RULES_JOB, `job="${RULES_JOB ?? ''}", the job the rules select`)
        t.equal(target('StatefulSet', 'laaffic-exporter-2').instance, 'laaffic-exporter-2', 'a StatefulSet pod: instance is its name')
        t.equal(target('ReplicaSet', DEPLOYMENT_POD).instance, 'laaffic-exporter', 'a Deployment pod: instance is the Service\'s name')
      }
    })

    t.test(`${dir}: the PrometheusRule holds the shipped rules and the dashboard ConfigMap the shipped dashboard`, async (t) => {
      const rules = ofKind(objects, 'PrometheusRule')
      t.equal(rules.length, 1, 'one PrometheusRule')
      const groups = (rules[0]?.spec as { groups: unknown[] }).groups
      t.same(groups, (parse(read('prometheus/rules/laaffic.rules.yml')) as { groups: unknown[] }).groups, 'spec.groups are the groups of prometheus/rules/laaffic.rules.yml')
      const promtool = requireProgram(t, 'promtool', 'prometheus')
      if (promtool !== undefined) {
        const work = mkdtempSync(join(tmpdir(), 'laaffic-kustomize-'))
        t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
        writeFileSync(join(work, 'rules.yml'), stringify({ groups }))
        const check = spawnSync(promtool, ['check', 'rules', join(work, 'rules.yml')], { encoding: 'utf8' })
        t.equal(check.status, 0, `promtool check rules on spec.groups: ${check.stdout}${check.stderr}`)
      }
      const dashboards = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1')
      t.equal(dashboards.length, 1, 'one ConfigMap labelled grafana_dashboard: "1"')
      const data = dashboards[0]?.data as Record<string, string> | undefined
      t.equal(data?.['laaffic.json'], read('grafana/dashboards/laaffic.json'), 'laaffic.json, byte for byte')
      t.equal(dashboards[0]?.metadata.name, 'laaffic-exporter-dashboard', 'a fixed name (no hash suffix): an update replaces it')
      // kubectl apply (client side) keeps the whole object in an annotation, which may not exceed 256 KiB.
      t.ok(JSON.stringify(dashboards[0]).length < 262_144, `small enough for kubectl apply's last-applied annotation (${JSON.stringify(dashboards[0]).length} bytes)`)
    })
  }

  t.test(`${dir}: the probes answer on the exporter run with the pod's configuration`, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'laaffic-kustomize-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    const { env, folders } = podEnvironment(workload, secrets, work)
    const tls = container.readinessProbe?.httpGet?.scheme === 'HTTPS'
    const exporterEnvironment = {
      ...exporterEnv(env, folders, podNames(workload)[0] ?? '', work),
      // The API is not reachable from a test: a closed loopback port fails each poll at once.
      LAAFFIC_BASE_URL: 'http://127.0.0.1:1/v3',
      LOG_LEVEL: 'warn',
    }
    const exporter = startExporter(exporterEnvironment)
    t.teardown(async () => { await exporter.stop() })
    const port = await exporter.port()
    const get = async (path: string, auth?: string): Promise<number> => await status(tls, port, path, auth)
    t.equal(await get(container.livenessProbe?.httpGet?.path ?? ''), 200, `liveness ${container.livenessProbe?.httpGet?.path ?? ''} answers 200${tls ? ' over HTTPS' : ''}`)
    await waitFor(async () => await get(container.readinessProbe?.httpGet?.path ?? '') === 200, 'the readiness probe to answer 200 after the first polls', 20_000)
    t.pass(`readiness ${container.readinessProbe?.httpGet?.path ?? ''} answers 200 once the first polls are done`)
    const scrape = ofKind(objects, 'ServiceMonitor').flatMap((m) => (m.spec as { endpoints: Array<{ basicAuth?: Record<string, { name: string, key: string }> }> }).endpoints)[0]?.basicAuth
    if (scrape !== undefined) {
      const value = (ref: { name: string, key: string } | undefined): string => secretFiles(secrets.find((s) => s.metadata.name === ref?.name) ?? { apiVersion: '', kind: '', metadata: { name: '' } })[ref?.key ?? ''] ?? ''
      t.equal(await get('/metrics'), 401, '/metrics without credentials: 401')
      t.equal(await get('/metrics', `${value(scrape.username)}:${value(scrape.password)}`), 200, '/metrics with the ServiceMonitor\'s user and password: 200')
    } else {
      t.equal(await get('/metrics'), 200, '/metrics answers')
    }
  })
}

// ---------------------------------------------------------------------------------------------------------

/** The container's environment and its Secret mounts written out under `work`, as the kubelet would. */
function podEnvironment (workload: Workload, secrets: readonly KubeObject[], work: string): { env: Map<string, string | ((pod: string) => string)>, folders: Map<string, string>, problems: string[] } {
  const pod = workload.spec.template.spec
  const container = pod.containers[0] as Container
  const problems: string[] = []
  const folders = new Map<string, string>()
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v) => v.name === mount.name)
    const secret = secrets.find((s) => s.metadata.name === volume?.secret?.secretName)
    if (secret === undefined) {
      problems.push(`${mount.mountPath}: no Secret ${volume?.secret?.secretName ?? '(not a Secret volume)'} in secret.example.yaml`)
      continue
    }
    const folder = join(work, mount.name)
    mkdirSync(folder, { recursive: true })
    for (const [key, content] of Object.entries(secretFiles(secret))) writeFileSync(join(folder, key), secretFileContent(secret, key, content))
    folders.set(mount.mountPath, folder)
  }
  const env = new Map<string, string | ((pod: string) => string)>()
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef
    if (ref !== undefined) {
      const value = secretFiles(secrets.find((s) => s.metadata.name === ref.name) ?? { apiVersion: '', kind: '', metadata: { name: '' } })[ref.key]
      if (value === undefined) problems.push(`${variable.name}: no key ${ref.key} in a Secret ${ref.name} of secret.example.yaml`)
      else env.set(variable.name, value)
    } else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name') {
      env.set(variable.name, (podName: string) => podName)
    } else if (variable.value !== undefined) {
      env.set(variable.name, variable.value)
    } else {
      problems.push(`${variable.name}: a value this test does not know how to give`)
    }
  }
  return { env, folders, problems }
}

/** The TLS Secret of the examples holds placeholders: the test's own self-signed pair stands in. */
function secretFileContent (secret: KubeObject, key: string, content: string): string {
  if (secret.type !== 'kubernetes.io/tls') return content
  const file = { 'tls.crt': 'self-signed.crt', 'tls.key': 'self-signed.key', 'ca.crt': 'self-signed.crt' }[key]
  return file === undefined ? content : read(`test/fixtures/tls/${file}`)
}

/** The pods of the workload: each StatefulSet ordinal, or one Deployment pod. */
function podNames (workload: Workload): string[] {
  if (workload.kind !== 'StatefulSet') return [DEPLOYMENT_POD]
  return Array.from({ length: workload.spec.replicas ?? 1 }, (_, i) => `${workload.metadata.name}-${i}`)
}

/** The environment the exporter gets in pod `podName`, with file paths moved to the test's folders. */
function exporterEnv (env: ReadonlyMap<string, string | ((pod: string) => string)>, folders: ReadonlyMap<string, string>, podName: string, work: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of env) {
    const text = typeof value === 'function' ? value(podName) : value
    result[name] = name.endsWith('_FILE') ? podPath(text, folders) ?? text : text
  }
  const webConfig = result.WEB_CONFIG_FILE
  if (webConfig !== undefined && !WEB_CONFIG_SUPPORTED) {
    // Until the exporter reads WEB_CONFIG_FILE (issue 11), the same TLS pair and users through the variables it has.
    delete result.WEB_CONFIG_FILE
    const web = parse(readFileSync(webConfig, 'utf8')) as { tls_server_config?: { cert_file: string, key_file: string }, basic_auth_users?: Record<string, string> }
    if (web.tls_server_config !== undefined) {
      result.TLS_CERT_FILE = podPath(web.tls_server_config.cert_file, folders) ?? ''
      result.TLS_KEY_FILE = podPath(web.tls_server_config.key_file, folders) ?? ''
    }
    if (web.basic_auth_users !== undefined) {
      const users = join(work, 'users')
      writeFileSync(users, Object.entries(web.basic_auth_users).map(([user, hash]) => `${user}:${hash}`).join('\n'))
      result.METRICS_BASIC_AUTH_USERS_FILE = users
    }
  } else if (webConfig !== undefined) {
    result.WEB_CONFIG_FILE = rewrittenWebConfig(webConfig, folders, work)
  }
  return result
}

/** The web configuration file with the pod's paths moved to the test's folders. */
function rewrittenWebConfig (file: string, folders: ReadonlyMap<string, string>, work: string): string {
  let text = readFileSync(file, 'utf8')
  for (const [mountPath, folder] of folders) text = text.replaceAll(`${mountPath}/`, `${folder}/`)
  const rewritten = join(work, 'web-config.yml')
  writeFileSync(rewritten, text)
  return rewritten
}

/** The status of a GET over HTTP or HTTPS (any certificate, as the kubelet's probes), with basic auth if given. */
async function status (tls: boolean, port: number, path: string, auth?: string): Promise<number> {
  if (!tls) {
    const headers: Record<string, string> = auth === undefined ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }
    return (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).status
  }
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, ...(auth !== undefined && { auth }) }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

