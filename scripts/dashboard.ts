#!/usr/bin/env node
// `npm run dashboard`: writes grafana/gnet/laaffic.gnet.json, the grafana.com export, from the
// provisioned grafana/dashboards/laaffic.json (scripts/grafana/gnet-export.ts), and says whether it changed.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderGnetExport } from './grafana/gnet-export.js'

const root = new URL('../../', import.meta.url)
const source = fileURLToPath(new URL('grafana/dashboards/laaffic.json', root))
const target = fileURLToPath(new URL('grafana/gnet/laaffic.gnet.json', root))

const after = renderGnetExport(readFileSync(source, 'utf8'))
let before: string | undefined
try {
  before = readFileSync(target, 'utf8')
} catch {
  before = undefined
}
if (after !== before) writeFileSync(target, after)
process.stdout.write(`dashboard: grafana/gnet/laaffic.gnet.json ${after === before ? 'already up to date' : 'written'}\n`)
