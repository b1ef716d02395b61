// Reading the Dockerfile without Docker: its instructions, stages, what they copy, run and delete, and what
// .dockerignore keeps out of the build context.
import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'

export interface Instruction { keyword: string, args: string }

/** The instructions of a Dockerfile: comments dropped, continuation lines joined. */
export function instructions (text: string): Instruction[] {
  const lines = text.split('\n').filter((line) => !line.trimStart().startsWith('#'))
  return lines.join('\n').replace(/\\\n/g, ' ').split('\n')
    .map((line) => line.trim()).filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/)
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
    })
}

/** The instructions by stage, each stage starting with its FROM. */
export function stagesOf (all: readonly Instruction[]): Instruction[][] {
  const stages: Instruction[][] = []
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') stages.push([])
    stages.at(-1)?.push(instruction)
  }
  return stages
}

/** The arguments of every `keyword` instruction of a stage, in order. */
export const argsOf = (stage: readonly Instruction[], keyword: string): string[] => stage.filter((i) => i.keyword === keyword).map((i) => i.args)

/** The paths (relative to WORKDIR) that `RUN rm PATH...` instructions of the stage delete. */
export function removedBy (stage: readonly Instruction[]): string[] {
  return argsOf(stage, 'RUN').filter((run) => run.startsWith('rm ')).flatMap((run) => run.split(/\s+/).slice(1).filter((word) => !word.startsWith('-')))
}

/** The shell command of each RUN of the stage, without its --mount (and other) flags. */
export function runCommands (stage: readonly Instruction[]): string[] {
  return argsOf(stage, 'RUN').map((run) => run.replace(/^(--\S+\s+)*/, ''))
}

/** The stage's working directory (its last WORKDIR; absolute in this Dockerfile). */
export function workdirOf (stage: readonly Instruction[]): string {
  const workdir = argsOf(stage, 'WORKDIR').at(-1)
  if (workdir?.startsWith('/') !== true) throw new Error(`the stage ${stage[0]?.args ?? ''} needs an absolute WORKDIR`)
  return workdir
}

/** The image (before any `AS name`) and the stage name of a FROM. */
export function fromOf (stage: readonly Instruction[]): { image: string, name: string | undefined } {
  const [image = '', as, name] = (stage[0]?.args ?? '').split(/\s+/)
  return { image, name: as?.toUpperCase() === 'AS' ? name : undefined }
}

export interface Copy {
  /** The stage copied from (--from=), or undefined for the build context. */
  from: string | undefined
  sources: string[]
  destination: string
}

/** Every COPY of the stage: its --from, sources and destination (other flags, such as --chown, dropped). */
export function copiesOf (stage: readonly Instruction[]): Copy[] {
  return argsOf(stage, 'COPY').map((args) => {
    const words = args.split(/\s+/)
    const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length)
    const paths = words.filter((word) => !word.startsWith('--'))
    return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' }
  })
}

/** A path of a COPY destination or an exec-form argument, resolved against the stage's WORKDIR. */
export const inStage = (workdir: string, path: string): string => posix.resolve(workdir, path)

/** The exec form (`["a", "b"]`) of an ENTRYPOINT, CMD or HEALTHCHECK ... CMD as its argument vector. */
export function execForm (args: string | undefined): string[] {
  const json = args?.includes(' CMD ') === true ? args.slice(args.indexOf(' CMD ') + 5).trim() : args
  const vector: unknown = JSON.parse(json ?? 'null')
  if (!Array.isArray(vector) || !vector.every((word) => typeof word === 'string')) throw new Error(`not an exec form (JSON array of strings): ${String(args)}`)
  return vector
}

/** The variables the stage's ENV instructions set (`KEY=value` pairs, values optionally in double quotes). */
export function envOf (stage: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const args of argsOf(stage, 'ENV')) {
    for (const [, key = '', quoted, plain] of args.matchAll(/(\w+)=(?:"([^"]*)"|(\S*))/g)) env[key] = quoted ?? plain ?? ''
  }
  return env
}

/** The repository's Dockerfile, read and split into stages. */
export function readDockerfile (path: string): { all: Instruction[], stages: Instruction[][] } {
  const all = instructions(readFileSync(path, 'utf8'))
  return { all, stages: stagesOf(all) }
}

/** A glob as a RegExp: `*` and `?` stay within one path element, `**` crosses them (as in .dockerignore). */
export function globToRegExp (glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? ''
    if (glob.startsWith('**/', i)) {
      source += '(.*/)?'
      i += 2
    } else if (glob.startsWith('**', i)) {
      source += '.*'
      i += 1
    } else if (char === '*') {
      source += '[^/]*'
    } else if (char === '?') {
      source += '[^/]'
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    }
  }
  return new RegExp(`^${source}$`)
}

/** Whether the .dockerignore of `root` keeps a path (relative to `root`) out of the build context. */
export function dockerignored (root: string, path: string): boolean {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
  const parts = path.split('/')
  let ignored = false
  for (const line of patterns) {
    const negated = line.startsWith('!')
    const pattern = posix.normalize(negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '')
    const re = globToRegExp(pattern)
    // A pattern that matches a folder excludes everything in it.
    if (parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')))) ignored = !negated
  }
  return ignored
}
