// The copies of the rules and the dashboard in the kustomize component and the Helm chart, and the chart README's
// values table (npm run manifests), must be what scripts/manifests/generate.ts makes of the shipped files and of
// values.yaml today: a rule, a panel or a value changed without running it fails here. Needs neither kubectl nor
// helm (test/deploy/kustomize.test.ts and helm*.test.ts check the rendered objects).
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CHART } from '../../scripts/manifests/chart-readme.js'
import { COMPONENT, generatedFiles, prometheusRule, RULES } from '../../scripts/manifests/generate.js'
import { ROOT } from '../helpers/kubernetes.js'

t.test('every generated file of the component and the chart is up to date', async (t) => {
  const files = generatedFiles(ROOT)
  t.same(files.map((f) => f.path).sort(), [
    `${CHART}/README.md`, `${CHART}/files/laaffic.json`, `${CHART}/files/laaffic.rules.yml`,
    `${COMPONENT}/laaffic.json`, `${COMPONENT}/prometheusrule.yaml`,
  ])
  for (const file of files) {
    const committed = existsSync(join(ROOT, file.path)) ? readFileSync(join(ROOT, file.path), 'utf8') : undefined
    t.ok(committed === file.content, `${file.path} is made from ${file.from} as it is now (run npm run manifests and commit both)`)
  }
})

t.test('the PrometheusRule\'s spec.groups are the rules file\'s groups, comments kept', async (t) => {
  const text = readFileSync(join(ROOT, RULES), 'utf8')
  const rule = parse(prometheusRule(text)) as { apiVersion: string, kind: string, metadata: { name: string }, spec: { groups: unknown } }
  t.same(rule.spec.groups, (parse(text) as { groups: unknown }).groups)
  t.match(rule, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'laaffic-exporter' } })
  t.match(prometheusRule(text), '        # What the account can still spend', 'the rules\' comments are kept, indented')
  t.throws(() => prometheusRule('groups:\n  - name: x\nother: 1\n'), /"groups:" must be its only top-level key/)
  t.throws(() => prometheusRule('rules: []\n'), /no top-level "groups:" line/)
})

t.test('the chart README\'s values table follows values.yaml', async (t) => {
  const readme = generatedFiles(ROOT).find((f) => f.path === `${CHART}/README.md`)?.content ?? ''
  for (const row of ['`image.repository`', '`existingSecret`', '`serviceMonitor.additionalLabels`', '`prometheusRule.runbookBaseUrl`', '`grafanaDashboard.labelValue`']) {
    t.match(readme, row, `a row for ${row}`)
  }
  t.match(readme, /\| `podSecurityContext\.runAsUser` +\| [^|]+\| `65532` +\|/, 'with the default value')
})
