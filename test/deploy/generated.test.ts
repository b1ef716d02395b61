// The Prometheus Operator component's copies of the rules and the dashboard (npm run manifests) must be what
// scripts/manifests/generate.ts makes of the shipped files today: a rule or a panel changed without running it
// fails here. Needs no kubectl (test/deploy/kustomize.test.ts checks the rendered objects).
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { COMPONENT, generatedFiles, prometheusRule, RULES } from '../../scripts/manifests/generate.js'
import { ROOT } from '../helpers/kubernetes.js'

t.test('every generated file of the component is up to date', async (t) => {
  const files = generatedFiles(ROOT)
  t.same(files.map((f) => f.path).sort(), [`${COMPONENT}/laaffic.json`, `${COMPONENT}/prometheusrule.yaml`])
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
