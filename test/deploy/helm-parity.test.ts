// One pod, two ways of installing it: the Helm chart and the kustomize base render the same pod where it matters
// (security contexts, probes, ports, volumes, environment, resources), and the same StatefulSet of shards as
// examples/sharded. Names, labels and the image are left out: they are each way's own.
import t from 'tap'
import { ofKind, render, requireKubectl, type KubeObject, type Workload } from '../helpers/kubernetes.js'
import { requireHelm, template } from '../helpers/helm.js'

/** What a pod does, without what names it. */
function essence (workload: Workload): Record<string, unknown> {
  const spec = workload.spec.template.spec as Workload['spec']['template']['spec'] & { terminationGracePeriodSeconds?: number }
  const [container] = spec.containers
  const rest: Record<string, unknown> = { ...container }
  delete rest.name
  delete rest.image
  return {
    kind: workload.kind,
    replicas: workload.spec.replicas,
    strategy: workload.spec.strategy,
    podManagementPolicy: workload.spec.podManagementPolicy,
    pod: {
      automountServiceAccountToken: spec.automountServiceAccountToken,
      enableServiceLinks: spec.enableServiceLinks,
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
      securityContext: spec.securityContext,
      volumes: spec.volumes,
      containers: spec.containers.length,
    },
    container: rest,
  }
}

const workloadOf = (objects: KubeObject[]): Workload => objects.find((o): o is Workload => o.kind === 'Deployment' || o.kind === 'StatefulSet') as Workload

const kubectl = requireKubectl(t)
const helm = requireHelm(t)
if (kubectl !== undefined && helm !== undefined) {
  const sets = ['existingSecret=laaffic-exporter', 'image.repository=laaffic-exporter']
  for (const [dir, extra] of [['deploy/kubernetes/base', []], ['deploy/kubernetes/examples/sharded', ['shards=3']]] as const) {
    t.test(`the chart's pod${extra.length > 0 ? ` (${extra.join(', ')})` : ''} is ${dir}'s`, async (t) => {
      const kustomized = render(kubectl, dir)
      const charted = template(helm, [], [...sets, ...extra])
      t.same(essence(workloadOf(charted)), essence(workloadOf(kustomized)), 'workload, pod and container alike')
      const service = (objects: KubeObject[]): unknown => {
        const spec = ofKind(objects, 'Service')[0]?.spec as { clusterIP: string, ports: unknown } | undefined
        return { clusterIP: spec?.clusterIP, ports: spec?.ports }
      }
      t.same(service(charted), service(kustomized), 'the Service: headless, the port named metrics')
      const account = (objects: KubeObject[]): unknown => ofKind(objects, 'ServiceAccount')[0]?.automountServiceAccountToken
      t.equal(account(charted), false, 'the ServiceAccount mounts no token')
      t.equal(account(charted), account(kustomized))
    })
  }
}
