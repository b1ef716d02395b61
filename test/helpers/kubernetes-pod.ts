// A pod of the rendered manifests (kustomize's or the Helm chart's) as the kubelet would give it to the
// exporter: its environment, its Secret volumes written out as folders, its name; and the probe's request. The
// tests start the built exporter with these and ask the probe paths.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { ROOT, secretFiles, podPath, type Container, type KubeObject, type Workload } from './kubernetes.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
/** The pod of a Deployment is named after its ReplicaSet: no ordinal. */
export const DEPLOYMENT_POD = 'laaffic-exporter-5d8f9c7b6-x2k4q'

/** The container's environment and its Secret mounts written out under `work`, as the kubelet would. */
export function podEnvironment (workload: Workload, secrets: readonly KubeObject[], work: string): { env: Map<string, string | ((pod: string) => string)>, folders: Map<string, string>, problems: string[] } {
  const pod = workload.spec.template.spec
  const container = pod.containers[0] as Container
  const problems: string[] = []
  const folders = new Map<string, string>()
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v) => v.name === mount.name)
    const folder = join(work, mount.name)
    if (volume !== undefined && 'emptyDir' in volume) {
      mkdirSync(folder, { recursive: true })
      folders.set(mount.mountPath, folder)
      continue
    }
    const secret = secrets.find((s) => s.metadata.name === volume?.secret?.secretName)
    if (secret === undefined) {
      problems.push(`${mount.mountPath}: no Secret ${volume?.secret?.secretName ?? '(not a Secret volume)'} in secret.example.yaml`)
      continue
    }
    mkdirSync(folder, { recursive: true })
    for (const [key, content] of Object.entries(secretFiles(secret))) writeFileSync(join(folder, key), secretFileContent(secret, key, content))
    folders.set(mount.mountPath, folder)
  }
  const env = new Map<string, string | ((pod: string) => string)>()
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef
    if (ref !== undefined) {
      const value = secretFiles(secrets.find((s) => s.metadata.name === ref.name) ?? { apiVersion: '', kind: '', metadata: { name: '' } })[ref.key]
      if (value === undefined) problems.push(`${variable.name}: no key ${ref.key} in a Secret ${ref.name} of secret.example.yaml`)
      else env.set(variable.name, value)
    } else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name') {
      env.set(variable.name, (podName: string) => podName)
    } else if (variable.value !== undefined) {
      env.set(variable.name, variable.value)
    } else {
      problems.push(`${variable.name}: a value this test does not know how to give`)
    }
  }
  return { env, folders, problems }
}

/** The TLS Secret of the examples holds placeholders: the test's own self-signed pair stands in. */
function secretFileContent (secret: KubeObject, key: string, content: string): string {
  if (secret.type !== 'kubernetes.io/tls') return content
  const file = { 'tls.crt': 'self-signed.crt', 'tls.key': 'self-signed.key', 'ca.crt': 'self-signed.crt' }[key]
  return file === undefined ? content : read(`test/fixtures/tls/${file}`)
}

/** The pods of the workload: each StatefulSet ordinal, or one Deployment pod. */
export function podNames (workload: Workload): string[] {
  if (workload.kind !== 'StatefulSet') return [DEPLOYMENT_POD]
  return Array.from({ length: workload.spec.replicas ?? 1 }, (_, i) => `${workload.metadata.name}-${i}`)
}

/** The environment the exporter gets in pod `podName`, with file paths moved to the test's folders. */
export function exporterEnv (env: ReadonlyMap<string, string | ((pod: string) => string)>, folders: ReadonlyMap<string, string>, podName: string, work: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of env) {
    const text = typeof value === 'function' ? value(podName) : value
    result[name] = name.endsWith('_FILE') ? podPath(text, folders) ?? text : text
  }
  if (result.WEB_CONFIG_FILE !== undefined) result.WEB_CONFIG_FILE = rewrittenWebConfig(result.WEB_CONFIG_FILE, folders, work)
  return result
}

/** The web configuration file with the pod's paths moved to the test's folders. */
export function rewrittenWebConfig (file: string, folders: ReadonlyMap<string, string>, work: string): string {
  let text = readFileSync(file, 'utf8')
  for (const [mountPath, folder] of folders) text = text.replaceAll(`${mountPath}/`, `${folder}/`)
  const rewritten = join(work, 'web-config.yml')
  writeFileSync(rewritten, text)
  return rewritten
}

/** The status of a GET over HTTP or HTTPS (any certificate, as the kubelet's probes), with basic auth if given. */
export async function status (tls: boolean, port: number, path: string, auth?: string): Promise<number> {
  if (!tls) {
    const headers: Record<string, string> = auth === undefined ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }
    return (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).status
  }
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, ...(auth !== undefined && { auth }) }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

