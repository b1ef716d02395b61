// The chart's wiring, checked as test/deploy/kustomize.test.ts checks the kustomize examples': for every ci values
// file, what selects what, which ports and files are named, whether the user can read the mounted Secrets, and the
// built exporter started with the pod's environment and Secret files answering the probes and, with the
// ServiceMonitor's credentials, /metrics. The Secrets a values file names but does not render are the kustomize
// examples' (secret.example.yaml), with the test's own certificate for the TLS one.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError, type Config } from '../../src/config/types.js'
import { startExporter } from '../helpers/exporter-process.js'
import { exampleSecrets, ofKind, podPath, relabel, secretFiles, selects, type Container, type KubeObject, type Relabeling, type Workload } from '../helpers/kubernetes.js'
import { waitFor } from '../helpers/wait.js'
import { CI_VALUES, requireHelm, template } from '../helpers/helm.js'
import { exporterEnv, podEnvironment, podNames, status } from '../helpers/kubernetes-pod.js'

const FIXTURE_SECRETS = [...exampleSecrets('deploy/kubernetes/examples/accounts-file'), ...exampleSecrets('deploy/kubernetes/examples/web-config').filter((s) => s.metadata.name !== 'laaffic-exporter')]
const bin = requireHelm(t)

for (const values of bin === undefined ? [] : CI_VALUES) {
  const objects = template(bin as string, [values])
  const rendered = ofKind(objects, 'Secret')
  const secrets = [...rendered, ...FIXTURE_SECRETS.filter((f) => !rendered.some((r) => r.metadata.name === f.metadata.name))]
  const workload = objects.find((o): o is Workload => o.kind === 'Deployment' || o.kind === 'StatefulSet') as Workload
  const pod = workload.spec.template
  const container = pod.spec.containers[0] as Container
  const tls = container.readinessProbe?.httpGet?.scheme === 'HTTPS'

  t.test(`${values}: the Service, the ServiceMonitor and the NetworkPolicy select the pod; the shards are the replicas`, async (t) => {
    const labels = pod.metadata.labels
    t.ok(selects(workload.spec.selector.matchLabels, labels), `the ${workload.kind}'s selector matches its pod`)
    const services = ofKind(objects, 'Service').filter((s) => selects((s.spec as { selector?: Record<string, string> }).selector, labels))
    t.equal(services.length, 1, 'one Service selects the pod')
    const port = (services[0]?.spec as { ports: Array<{ name: string, port: number, targetPort: string }> }).ports[0]
    t.match(port, { name: 'metrics', targetPort: 'metrics' }, 'its port is named metrics and targets the container\'s')
    t.equal(container.ports?.find((p) => p.name === 'metrics')?.containerPort, port?.port, 'the container listens on the Service\'s port')
    const listen = Number(container.env?.find((e) => e.name === 'PORT')?.value ?? 9866)
    t.equal(listen, port?.port, `the exporter is told that port (PORT, default 9866): ${listen}`)
    for (const policy of ofKind(objects, 'NetworkPolicy')) t.ok(selects((policy.spec as { podSelector: { matchLabels?: Record<string, string> } }).podSelector.matchLabels, labels), 'the NetworkPolicy selects the pod')
    for (const monitor of ofKind(objects, 'ServiceMonitor')) {
      const spec = monitor.spec as { selector: { matchLabels?: Record<string, string> }, endpoints: Array<{ port: string, scheme?: string, relabelings?: Relabeling[] }> }
      t.equal(ofKind(objects, 'Service').filter((s) => selects(spec.selector.matchLabels, s.metadata.labels)).length, 1, 'the ServiceMonitor selects one Service')
      const endpoint = spec.endpoints[0]
      t.equal(endpoint?.port, 'metrics')
      const refs = [(endpoint as { tlsConfig?: { ca?: { secret?: { name: string, key: string } } } } | undefined)?.tlsConfig?.ca?.secret, ...Object.values((endpoint as { basicAuth?: Record<string, { name: string, key: string }> } | undefined)?.basicAuth ?? {})]
      for (const ref of refs.filter((r) => r !== undefined)) t.ok(ref.key in secretFiles(secrets.find((x) => x.metadata.name === ref.name) ?? { apiVersion: '', kind: '', metadata: { name: '' } }), `the scrape's Secret ${ref.name} has the key ${ref.key}`)
      t.equal(endpoint?.scheme ?? 'http', tls ? 'https' : 'http', `it scrapes ${tls ? 'over HTTPS, as the pod serves' : 'plain HTTP'}`)
      const chartRules = (endpoint?.relabelings ?? []).filter((r) => r.action === 'replace' && ['job', 'instance'].includes(r.targetLabel ?? ''))
      const target = (kind: string, name: string): Record<string, string> => relabel({ job: 'x', instance: '10.1.2.3:9866', __meta_kubernetes_service_name: 'laaffic-exporter', __meta_kubernetes_pod_name: name, __meta_kubernetes_pod_controller_kind: kind }, chartRules)
      t.equal(target('ReplicaSet', 'laaffic-exporter-5d8f9c7b6-x2k4q').job, 'laaffic', 'job="laaffic", the job the rules select')
      t.equal(target('StatefulSet', 'laaffic-exporter-2').instance, 'laaffic-exporter-2', 'a shard\'s instance is its pod\'s name')
      t.equal(target('ReplicaSet', 'laaffic-exporter-5d8f9c7b6-x2k4q').instance, 'laaffic-exporter', 'the Deployment pod\'s instance is the Service\'s name')
    }
    if (workload.kind === 'StatefulSet') {
      t.equal(container.env?.find((e) => e.name === 'LAAFFIC_TOTAL_SHARDS')?.value, String(workload.spec.replicas), 'LAAFFIC_TOTAL_SHARDS is the replicas')
      t.equal(workload.spec.serviceName, services[0]?.metadata.name, 'the governing Service is the headless one')
    } else {
      t.equal(workload.spec.replicas, 1, 'one Deployment pod')
      t.equal(workload.spec.strategy?.type, 'Recreate')
    }
  })

  t.test(`${values}: every file is in a Secret the user can read, and each pod's configuration loads`, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    const { env, folders, problems } = podEnvironment(workload, secrets, work)
    t.same(problems, [], 'every Secret, key and mount the pod names exists')
    for (const volume of pod.spec.volumes ?? []) {
      if (volume.secret === undefined) continue
      t.equal(volume.secret.defaultMode, 0o440, `volume ${volume.name}: 0440, readable through fsGroup ${String(pod.spec.securityContext?.fsGroup)}`)
    }
    for (const variable of (container.env ?? []).filter((e) => e.name.endsWith('_FILE'))) {
      t.ok(podPath(variable.value ?? '', folders) !== undefined, `${variable.name}=${variable.value} is inside a mounted Secret`)
    }
    const configs: Config[] = []
    for (const name of podNames(workload)) {
      try {
        configs.push(loadConfig(exporterEnv(env, folders, name, work)))
      } catch (err) {
        t.fail(`${name}: ${err instanceof ConfigError ? err.problems.join('; ') : String(err)}`)
      }
    }
    const all = configs.flatMap((c) => c.accounts.map((a) => a.name))
    t.equal(new Set(all).size, all.length, 'no account in two pods')
    t.ok(all.length > 0, `accounts polled: ${all.join(', ')}`)
  })

  t.test(`${values}: the probes answer on the exporter run with the pod's configuration, and the scrape's credentials open /metrics`, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    const { env, folders } = podEnvironment(workload, secrets, work)
    // The API is not reachable from a test: a closed loopback port fails each poll at once.
    const exporter = startExporter({ ...exporterEnv(env, folders, podNames(workload)[0] ?? '', work), PORT: '0', LAAFFIC_BASE_URL: 'http://127.0.0.1:1/v3', LOG_LEVEL: 'warn' })
    t.teardown(async () => { await exporter.stop() })
    const port = await exporter.port()
    const get = async (path: string, auth?: string): Promise<number> => await status(tls, port, path, auth)
    t.equal(await get(container.livenessProbe?.httpGet?.path ?? ''), 200, `liveness ${container.livenessProbe?.httpGet?.path ?? ''}: 200${tls ? ' over HTTPS' : ''}`)
    await waitFor(async () => await get(container.readinessProbe?.httpGet?.path ?? '') === 200, 'the readiness probe to answer 200 after the first polls', 20_000)
    t.pass(`readiness ${container.readinessProbe?.httpGet?.path ?? ''}: 200 once the first polls are done`)
    const scrape = ofKind(objects, 'ServiceMonitor').flatMap((m) => (m.spec as { endpoints: Array<{ basicAuth?: Record<string, { name: string, key: string }> }> }).endpoints)[0]?.basicAuth
    if (scrape !== undefined) {
      const value = (ref: { name: string, key: string } | undefined): string => secretFiles(secrets.find((s) => s.metadata.name === ref?.name) as KubeObject)[ref?.key ?? ''] ?? ''
      t.equal(await get('/metrics'), 401, '/metrics without credentials: 401')
      t.equal(await get('/metrics', `${value(scrape.username)}:${value(scrape.password)}`), 200, '/metrics with the ServiceMonitor\'s user and password: 200')
    } else {
      t.equal(await get('/metrics'), 200, '/metrics: 200')
    }
    // The helm test pod's own command, run by this Node.js with the Service's address pointed at the exporter.
    const test = ofKind(objects, 'Pod')[0]?.spec as { containers: Array<{ command: string[], args: string[] }> } | undefined
    const [command, args] = [test?.containers[0]?.command ?? [], test?.containers[0]?.args ?? []]
    t.equal(command[0], '/nodejs/bin/node', 'helm test runs the image\'s node')
    const url = new URL(args[0] ?? '')
    t.equal(url.hostname, `laaffic-exporter.monitoring.svc`, `helm test asks the Service: ${url.href}`)
    url.host = `127.0.0.1:${port}`
    const run = spawnSync(process.execPath, [...command.slice(1), url.href], { encoding: 'utf8', timeout: 10_000 })
    t.equal(run.status, 0, `the helm test command exits 0: ${run.stdout.trim()}${run.stderr}`)
    t.match(run.stdout, /\/healthz 200/)
  })
}
