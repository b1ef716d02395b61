// The Helm chart as helm itself sees it: Chart.yaml, lint --strict over every ci values file, the schema refusing
// wrong values with a message, the values it requires asked for by name, kubeVersion, and the package. What it
// renders is checked in helm-objects.test.ts, its wiring in helm-wiring.test.ts.
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse, stringify } from 'yaml'
import { CHART, CI_VALUES, helm, requireHelm, template } from '../helpers/helm.js'
import { ROOT } from '../helpers/kubernetes.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version
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
