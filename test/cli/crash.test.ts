// A crash's stack trace points at the TypeScript sources, through the bundle's source map (src/cli/crash.ts).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { mapStack } from '../../src/cli/crash.js'

const BUNDLE = new URL('../../dist/laaffic-exporter.js', import.meta.url)

/** 1-based line and column of `text` in a file. */
function positionOf (file: URL, text: string): { line: number, column: number } {
  const lines = readFileSync(file, 'utf8').split('\n')
  const line = lines.findIndex((l) => l.includes(text))
  if (line === -1) throw new Error(`${text} not found in ${file.pathname}`)
  return { line: line + 1, column: (lines[line] ?? '').indexOf(text) + 1 }
}

t.test('frames in the bundle are rewritten to the TypeScript file and line; others are left alone', async (t) => {
  const generated = positionOf(BUNDLE, 'apiKey + apiSecret + timestamp')
  const original = positionOf(new URL('../../src/api/sign.ts', import.meta.url), 'apiKey + apiSecret + timestamp')
  const stack = [
    'Error: boom',
    `    at signedHeaders (${BUNDLE.href}:${generated.line}:${generated.column})`,
    `    at ${BUNDLE.href}:${generated.line}:${generated.column}`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
    `    at other (${pathToFileURL('/elsewhere/x.js').href}:1:1)`,
  ].join('\n')
  const mapped = mapStack(stack, BUNDLE.href).split('\n')
  t.equal(mapped[0], 'Error: boom')
  t.equal(mapped[1], `    at signedHeaders (src/api/sign.ts:${original.line}:${original.column})`)
  t.equal(mapped[2], `    at src/api/sign.ts:${original.line}:${original.column}`)
  t.equal(mapped[3], '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)', 'Node\'s own frames stay')
  t.equal(mapped[4], `    at other (${pathToFileURL('/elsewhere/x.js').href}:1:1)`, 'other files stay')
})

t.test('without a map the stack is printed as it is', async (t) => {
  const stack = `Error: boom\n    at f (${BUNDLE.href}:10:5)`
  t.equal(mapStack(stack, BUNDLE.href, () => { throw Object.assign(new Error('no map'), { code: 'ENOENT' }) }), stack)
  t.equal(mapStack(stack, BUNDLE.href, () => 'not json'), stack)
})
