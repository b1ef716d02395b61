// The Helm chart as helm itself sees it: lint --strict over every ci values file, the schema refusing wrong
// values with a message, the required image, the package, and what it renders: objects that pass the Kubernetes
// and Prometheus Operator schemas, the shipped rules with absolute runbook links, the shipped dashboard, NOTES.
import t from 'tap'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse, stringify } from 'yaml'
import { ofKind, ROOT, schemaProblem, type KubeObject } from '../helpers/kubernetes.js'
import { requireProgram } from '../helpers/programs.js'
import { CHART, CI_VALUES, helm, requireHelm, template } from '../helpers/helm.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version
const RULES = parse(read('prometheus/rules/laaffic.rules.yml')) as { groups: Array<{ name: string, rules: Array<Record<string, unknown> & { annotations?: Record<string, string> }> }> }
const bin = requireHelm(t)

t.test('Chart.yaml: apiVersion v2, appVersion is package.json\'s version, a kubeVersion', async (t) => {
  const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, string>
  t.equal(chart.apiVersion, 'v2')
  t.equal(chart.appVersion, VERSION, `appVersion ${VERSION}`)
  t.match(chart.kubeVersion, /^>=1\.\d+/)
})

t.test('no placeholder anywhere in the chart', async (t) => {
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'deploy/helm'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter((f) => f !== '' && !f.includes('/ci/') && !f.endsWith('.json'))
  t.ok(files.length >= 10, `${files.length} files`)
  for (const file of files) t.notMatch(read(file), /\bOWNER\b|example\.com|registry\.example|CHANGEME|changeme|TODO/, file)
})

if (bin !== undefined) {
  t.test('helm lint --strict passes with every ci values file', async (t) => {
    t.ok(CI_VALUES.length >= 3, CI_VALUES.join(', '))
    for (const values of CI_VALUES) {
      const lint = helm(bin, ['lint', '--strict', '.', '-f', values])
      t.equal(lint.status, 0, `helm lint --strict -f ${values}: ${lint.stdout.trim().split('\n').at(-1) ?? ''}${lint.stderr}`)
    }
  })

  t.test('the schema refuses a wrong value with a message naming it', async (t) => {
    const base = ['ci/existing-secret-values.yaml']
    const refused = (sets: string[], files: string[] = base): string => {
      try {
        template(bin, files, sets)
        return ''
      } catch (err) {
        return (err as Error).message
      }
    }
    t.match(refused(['serviceMonitor.enabled=maybe']), /serviceMonitor\.enabled: Invalid type\. Expected: boolean, given: string/)
    t.match(refused(['shards=0']), /shards: Must be greater than or equal to 1/)
    t.match(refused(['image.digest=latest']), /image\.digest: Does not match pattern/)
    t.match(refused(['serviceMonitor.interval=often']), /serviceMonitor\.interval: Does not match pattern/)
    t.match(refused(['prometheusRule.runbookBaseUrl=docs/runbook.md']), /prometheusRule\.runbookBaseUrl: Does not match pattern/)
    t.match(refused(['serviceMonitr.enabled=true']), /Additional property serviceMonitr is not allowed/)
    // A whole bad values file, as a user would pass with -f.
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    writeFileSync(join(work, 'bad.yaml'), stringify({ shards: 'three', networkPolicy: { enabled: 'maybe' }, service: { port: 70000 } }))
    const message = refused([], [...base, join(work, 'bad.yaml')])
    for (const problem of [/shards: Invalid type\. Expected: integer, given: string/, /networkPolicy\.enabled: Invalid type/, /service\.port: Must be less than or equal to 65535/]) t.match(message, problem)
  })

  t.test('kubeVersion: an older cluster is refused', async (t) => {
    const old = helm(bin, ['template', 'x', '.', '-f', 'ci/existing-secret-values.yaml', '--kube-version', '1.24.0'])
    t.not(old.status, 0)
    t.match(old.stderr, /chart requires kubeVersion: >=1\.25\.0-0 which is incompatible with Kubernetes v1\.24\.0/)
  })

  t.test('what the chart requires, it asks for by name', async (t) => {
    const message = (sets: string[]): string => {
      try {
        template(bin, [], sets)
        return ''
      } catch (err) {
        return (err as Error).message
      }
    }
    t.match(message(['existingSecret=s']), /image\.repository is required: build the image from the Dockerfile and push it .*\(docs\/docker\.md\)/)
    t.match(message(['image.repository=r']), /give existingSecret .* or inline accounts/)
    t.match(message(['image.repository=r', 'existingSecret=s', 'prometheusRule.enabled=true']), /prometheusRule\.runbookBaseUrl is required/)
    t.match(message(['image.repository=r', 'existingSecret=s', 'serviceMonitor.enabled=true', 'webConfig.config.basic_auth_users.p=h']), /serviceMonitor\.basicAuth: the web configuration asks for a password/)
  })

  t.test('a web configuration from an existing Secret: HTTPS when webConfig.tls says so', async (t) => {
    const objects = template(bin, ['ci/existing-secret-values.yaml'], ['webConfig.existingSecret=my-web-config', 'webConfig.tls=true', 'webConfig.tlsSecret=my-tls'])
    const pod = (ofKind(objects, 'Deployment')[0]?.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string, value?: string }>, livenessProbe: { httpGet: { scheme?: string } }, readinessProbe: { httpGet: { scheme?: string } } }>, volumes: Array<{ name: string, secret?: { secretName: string } }> } } }).template.spec
    t.same(pod.volumes.map((v) => v.secret?.secretName), ['laaffic-exporter', 'my-web-config', 'my-tls'], 'the three Secrets mounted')
    t.ok(pod.containers[0]?.env.some((e) => e.name === 'WEB_CONFIG_FILE' && e.value === '/etc/laaffic-web/web-config.yml'), 'WEB_CONFIG_FILE in the web config Secret\'s folder')
    t.equal(pod.containers[0]?.livenessProbe.httpGet.scheme, 'HTTPS')
    t.equal(pod.containers[0]?.readinessProbe.httpGet.scheme, 'HTTPS')
    t.equal((ofKind(objects, 'ServiceMonitor')[0]?.spec as { endpoints: Array<{ scheme?: string }> }).endpoints[0]?.scheme, 'https')
    t.match(JSON.stringify(ofKind(objects, 'Pod')[0]), /https:\/\/laaffic-exporter\.monitoring\.svc:9866\/healthz/, 'the helm test pod asks over HTTPS')
    const plain = template(bin, ['ci/existing-secret-values.yaml'], ['webConfig.existingSecret=my-web-config'])
    t.equal((ofKind(plain, 'ServiceMonitor')[0]?.spec as { endpoints: Array<{ scheme?: string }> }).endpoints[0]?.scheme, undefined, 'plain HTTP without webConfig.tls')
  })

  t.test('the image: the tag defaults to appVersion, a digest pins it', async (t) => {
    const image = (sets: string[]): string | undefined => (ofKind(template(bin, ['ci/existing-secret-values.yaml'], sets), 'Deployment')[0]?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]?.image
    t.equal(image([]), `ghcr.io/laaffic-exporter-ci/laaffic-exporter:${VERSION}`)
    t.equal(image(['image.tag=edge']), 'ghcr.io/laaffic-exporter-ci/laaffic-exporter:edge')
    const digest = `sha256:${'ab'.repeat(32)}`
    t.equal(image([`image.digest=${digest}`]), `ghcr.io/laaffic-exporter-ci/laaffic-exporter:${VERSION}@${digest}`)
  })

  for (const values of CI_VALUES) {
    t.test(`${values}: every rendered object passes its schema`, async (t) => {
      const objects = template(bin, [values])
      for (const object of objects) t.equal(schemaProblem(object), undefined, `${object.kind} ${object.metadata.name}`)
      t.equal(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').length, 1, 'one workload')
      const test = ofKind(objects, 'Pod')
      t.equal(test[0]?.metadata.annotations?.['helm.sh/hook'], 'test', 'a helm test pod')
      t.match(JSON.stringify(test[0]?.spec), /\/healthz/, 'which asks /healthz')
    })
  }

  t.test('the PrometheusRule: the shipped groups, runbook_url absolute from runbookBaseUrl, release label', async (t) => {
    const objects = template(bin, ['ci/existing-secret-values.yaml'], ['prometheusRule.runbookBaseUrl=https://docs.internal/laaffic/runbook.html/'])
    const rule = ofKind(objects, 'PrometheusRule')[0] as KubeObject & { spec: { groups: typeof RULES.groups } }
    t.equal(rule.metadata.labels?.release, 'kube-prometheus-stack', 'the label kube-prometheus-stack selects')
    const expected = structuredClone(RULES.groups)
    for (const r of expected.flatMap((g) => g.rules)) {
      if (r.annotations?.runbook_url !== undefined) r.annotations.runbook_url = r.annotations.runbook_url.replace('docs/runbook.md#', 'https://docs.internal/laaffic/runbook.html#')
    }
    t.same(rule.spec.groups, expected, 'the rules file\'s groups, with each runbook_url made absolute')
    const links = rule.spec.groups.flatMap((g) => g.rules).map((r) => r.annotations?.runbook_url).filter((u) => u !== undefined)
    t.ok(links.length >= 5 && links.every((u) => u.startsWith('https://docs.internal/laaffic/runbook.html#laaffic')), `${links.length} absolute runbook links`)
    const promtool = requireProgram(t, 'promtool', 'prometheus')
    if (promtool !== undefined) {
      const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
      t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
      writeFileSync(join(work, 'rules.yml'), stringify({ groups: rule.spec.groups }))
      const check = spawnSync(promtool, ['check', 'rules', join(work, 'rules.yml')], { encoding: 'utf8' })
      t.equal(check.status, 0, `promtool check rules: ${check.stdout}${check.stderr}`)
    }
  })

  t.test('the dashboard ConfigMap: the shipped dashboard, byte for byte, with the sidecar\'s label', async (t) => {
    const [byDefault] = ofKind(template(bin, ['ci/existing-secret-values.yaml']), 'ConfigMap')
    t.equal(byDefault?.metadata.labels?.grafana_dashboard, '1', 'grafana_dashboard: "1" by default')
    t.equal((byDefault?.data as Record<string, string>)['laaffic.json'], read('grafana/dashboards/laaffic.json'))
    const [custom] = ofKind(template(bin, ['ci/sharded-values.yaml']), 'ConfigMap')
    t.match(custom?.metadata, { namespace: 'grafana', labels: { dashboards: 'laaffic' }, annotations: { grafana_folder: 'SMS' } })
  })

  t.test('NOTES.txt tells how to open the status page and how to see the target in Prometheus', async (t) => {
    // helm template leaves NOTES.txt out: a copy of the chart renders it as a ConfigMap's value.
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    cpSync(CHART, join(work, 'chart'), { recursive: true })
    cpSync(join(CHART, 'templates', 'NOTES.txt'), join(work, 'chart', 'files', 'notes.txt'))
    writeFileSync(join(work, 'chart', 'templates', 'notes.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\ndata:\n  notes: {{ tpl (.Files.Get "files/notes.txt") . | toJson }}\n')
    const notes = (values: string[], sets: string[] = []): string => (ofKind(template(bin, values, sets, join(work, 'chart')), 'ConfigMap').find((c) => c.metadata.name === 'notes')?.data as Record<string, string>).notes ?? ''
    const withRelease = notes(['ci/existing-secret-values.yaml'])
    t.match(withRelease, /kubectl -n monitoring port-forward deployment\/laaffic-exporter 9866/)
    t.match(withRelease, /up\{job="laaffic"\}/)
    t.notMatch(withRelease, /kube-prometheus-stack selects/, 'no warning when the release label is set')
    t.match(notes(['ci/existing-secret-values.yaml'], ['serviceMonitor.additionalLabels=null']), /kube-prometheus-stack selects `release: <its release name>`/, 'a warning without it')
    t.match(notes(['ci/sharded-values.yaml']), /port-forward statefulset\/laaffic-exporter 9100/)
    t.match(notes(['ci/inline-web-config-values.yaml']), /https:\/\/localhost:9866\//)
  })

  t.test('what README.md and docs/kubernetes.md tell a kube-prometheus-stack user to type renders a labelled target, rules and dashboard', async (t) => {
    const command = /helm install laaffic-exporter deploy\/helm\/laaffic-exporter[^`]*?(?=\n```)/.exec(read('README.md'))?.[0] ?? ''
    const sets = [...command.replaceAll('\\\n', ' ').matchAll(/--set (\S+)/g)].map((m) => m[1] ?? '')
    t.ok(sets.length >= 3, `README: ${sets.join(' ')}`)
    const docsValues = /<<'YAML'\n([\s\S]*?)\nYAML\n/.exec(read('docs/kubernetes.md'))?.[1]
    t.ok(docsValues !== undefined, 'docs/kubernetes.md: a values file')
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    writeFileSync(join(work, 'laaffic-values.yaml'), docsValues ?? '')
    for (const [what, objects] of [['README', template(bin, [], sets)], ['docs/kubernetes.md', template(bin, [join(work, 'laaffic-values.yaml')])]] as const) {
      for (const kind of ['ServiceMonitor', 'PrometheusRule']) t.equal(ofKind(objects, kind)[0]?.metadata.labels?.release, 'kube-prometheus-stack', `${what}: the ${kind} carries release: kube-prometheus-stack`)
      t.equal(ofKind(objects, 'ConfigMap')[0]?.metadata.labels?.grafana_dashboard, '1', `${what}: the dashboard ConfigMap carries grafana_dashboard: "1"`)
      t.match(JSON.stringify(ofKind(objects, 'PrometheusRule')[0]), /"runbook_url":"https:\/\/[^"]+\/docs\/runbook\.md#laafficbalancecritical"/, `${what}: absolute runbook links`)
      t.equal((ofKind(objects, 'Deployment')[0]?.spec as { template: { spec: { volumes: Array<{ secret?: { secretName: string } }> } } }).template.spec.volumes[0]?.secret?.secretName, 'laaffic-exporter', `${what}: the Secret it created`)
    }
  })

  t.test('helm package builds the chart\'s archive', async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'laaffic-helm-'))
    t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
    const result = helm(bin, ['package', CHART, '--destination', work])
    t.equal(result.status, 0, result.stdout + result.stderr)
    const archive = join(work, `laaffic-exporter-${(parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { version: string }).version}.tgz`)
    t.ok(existsSync(archive), archive)
    const list = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout.split('\n')
    for (const file of ['Chart.yaml', 'values.yaml', 'values.schema.json', 'README.md', 'templates/NOTES.txt', 'templates/tests/healthz.yaml', 'files/laaffic.rules.yml', 'files/laaffic.json']) {
      t.ok(list.includes(`laaffic-exporter/${file}`), `the archive holds ${file}`)
    }
  })
}
