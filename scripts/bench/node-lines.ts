// Which Node.js binaries the bench compares: `--node 24` (a line: the version .ci/node-versions pins for
// it, fetched from the npm registry into .ci/node/ like .ci/run does), `--node /path/to/node`, or by default
// the node running the bench.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startProgram, type Program } from '../lib/program.js'

export interface NodeLine {
  /** The binary. */
  node: string
  /** Its version, e.g. v24.21.0. */
  version: string
}

export function resolveNodeLines (requested: readonly string[], repo: string, say: (line: string) => void): NodeLine[] {
  const wanted = requested.length === 0 ? [process.execPath] : requested
  return wanted.map((spec) => {
    const node = /^\d+$/.test(spec) ? pinnedNode(spec, repo, say) : spec
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
    if (!/^v\d+\./.test(version)) throw new Error(`${node} is not a Node.js binary`)
    return { node, version }
  })
}

function pinnedNode (line: string, repo: string, say: (line: string) => void): string {
  const versions = readFileSync(join(repo, '.ci', 'node-versions'), 'utf8').split('\n').filter((l) => /^\d/.test(l))
  const version = versions.find((v) => v.startsWith(`${line}.`))
  if (version === undefined) throw new Error(`.ci/node-versions pins no Node.js ${line} (it has ${versions.join(', ')})`)
  const dir = join(repo, '.ci', 'node', version)
  const node = join(dir, 'node_modules', '.bin', 'node')
  if (!existsSync(node)) {
    say(`fetching Node.js ${version} from the npm registry into ${dir}`)
    const npm = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`], { stdio: 'inherit' })
    if (npm.status !== 0) throw new Error(`npm could not fetch node@${version}`)
  }
  return node
}

/** The Node.js flags the exporter's command runs with: those on its bundle's shebang line. */
export function exporterNodeFlags (bundle: string): string[] {
  const first = readFileSync(bundle, 'utf8').split('\n', 1)[0] ?? ''
  const flags = /^#!\/usr\/bin\/env -S node (.*)$/.exec(first)?.[1]
  return flags === undefined ? [] : flags.split(' ')
}

/** The built exporter on this Node.js line, started as its command starts it (with its shebang's flags). */
export function startExporterOn (line: NodeLine, repo: string, env: Record<string, string>): Program {
  const bundle = join(repo, 'dist', 'laaffic-exporter.js')
  return startProgram({ command: line.node, args: [...exporterNodeFlags(bundle), bundle], env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env } })
}
