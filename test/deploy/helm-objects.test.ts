// What the chart renders, as a user's cluster would receive it: objects that pass the Kubernetes and Prometheus
// Operator schemas, the image reference, the web configuration's HTTPS, the shipped rules with absolute runbook
// links, the shipped dashboard, NOTES.txt, and what README.md and docs/kubernetes.md tell a user to type.
import t from 'tap'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse, stringify } from 'yaml'
import { CHART, CI_VALUES, requireHelm, template } from '../helpers/helm.js'
import { ofKind, ROOT, schemaProblem, type KubeObject } from '../helpers/kubernetes.js'
import { requireProgram } from '../helpers/programs.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version
const RULES = parse(read('prometheus/rules/laaffic.rules.yml')) as { groups: Array<{ name: string, rules: Array<Record<string, unknown> & { annotations?: Record<string, string> }> }> }
const bin = requireHelm(t)

if (bin !== undefined) {
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
}
