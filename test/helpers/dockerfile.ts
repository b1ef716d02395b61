// Reading the Dockerfile without Docker: its instructions, stages, and what the build stage deletes.
import { readFileSync } from 'node:fs'

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

/** The repository's Dockerfile, read and split into stages. */
export function readDockerfile (path: string): { all: Instruction[], stages: Instruction[][] } {
  const all = instructions(readFileSync(path, 'utf8'))
  return { all, stages: stagesOf(all) }
}
