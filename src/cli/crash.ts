// A crash's stack trace with TypeScript positions, read from the bundle's source map only when it is needed.
// Node's --enable-source-maps would do the mapping, but it decodes the whole map at start: about 42 MB of
// memory for the life of the process (measured on Node 24), to serve a stack trace that should never come.
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

/** `at fn (file:///…/bundle.js:LINE:COLUMN)` or `at file:///…/bundle.js:LINE:COLUMN`. */
const FRAME = /(\(|at )(file:\/\/[^\s()]+?):(\d+):(\d+)(\)?)$/gm

/**
 * The stack with every frame in `bundleUrl` rewritten to the TypeScript source and position the map gives
 * (`src/config/load.ts:42:7`); other frames, and all of them when there is no map, stay as they are.
 */
export function mapStack (stack: string, bundleUrl: string, readMap: (path: string) => string = (path) => readFileSync(path, 'utf8')): string {
  let map: SourceMap | undefined
  try {
    map = new SourceMap(JSON.parse(readMap(`${fileURLToPath(bundleUrl)}.map`)) as ConstructorParameters<typeof SourceMap>[0])
  } catch {
    return stack
  }
  return stack.replace(FRAME, (frame, open: string, url: string, line: string, column: string, close: string) => {
    if (url !== bundleUrl) return frame
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1)
    if (!('originalSource' in entry)) return frame
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '')
    return `${open}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${close}`
  })
}

/** An uncaught exception or unhandled rejection is printed with mapped positions, then the process exits 1, as Node would. */
export function reportCrashesMapped (bundleUrl: string): void {
  const crash = (error: unknown): void => {
    const text = error instanceof Error && typeof error.stack === 'string' ? mapStack(error.stack, bundleUrl) : String(error)
    process.stderr.write(`${text}\n`)
    process.exit(1)
  }
  process.on('uncaughtException', crash)
  process.on('unhandledRejection', crash)
}
