// The chart README's values table, written from the `## @param` comments of values.yaml by Bitnami's
// readme-generator-for-helm (the tool the Bitnami and many prometheus-community charts use). It rewrites the
// "## Parameters" section of a README in place, so it runs on a copy and the text comes back.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const CHART = 'deploy/helm/laaffic-exporter'

const GENERATOR = createRequire(import.meta.url).resolve('@bitnami/readme-generator-for-helm/bin/index.js')

/** The chart's README.md (in the repository at `root`) with its parameters table made from values.yaml as it is. */
export function chartReadme (root: string): string {
  const work = mkdtempSync(join(tmpdir(), 'laaffic-chart-readme-'))
  try {
    const readme = join(work, 'README.md')
    copyFileSync(join(root, CHART, 'README.md'), readme)
    const run = spawnSync(process.execPath, [GENERATOR, '--values', join(root, CHART, 'values.yaml'), '--readme', readme], { encoding: 'utf8' })
    if (run.status !== 0) throw new Error(`readme-generator-for-helm failed on ${CHART}/values.yaml:\n${run.stdout}${run.stderr}`)
    return readFileSync(readme, 'utf8')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
