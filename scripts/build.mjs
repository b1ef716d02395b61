#!/usr/bin/env node
// @ts-check
// `npm run build`: each program bundled with esbuild into one file under dist/, with its source map, plus
// the licences of the bundled packages. A bundle loads faster and in less memory than the same code spread
// over hundreds of node_modules files, and the built programs need no node_modules at run time (the image
// and the npm package carry dist/ only). Type checking is `npm run typecheck`: esbuild only strips types.
// Plain JavaScript, so it runs before anything is compiled.
import { build } from 'esbuild'
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'

/**
 * How every start of the exporter runs Node.js (the shebang of dist/laaffic-exporter.js, so `npm start`
 * and the installed command get them; the Dockerfile's ENTRYPOINT repeats them and a test compares): a
 * young generation of at most 2 MiB per semi-space, where V8 would grow it to 16 MiB under a burst of
 * scrapes and keep the pages (1 MiB saved no more memory and cost throughput: BENCHMARKS.md); and an old
 * generation allowed to grow 20 % past what lived after the last full collection before the next one, where
 * V8 allows up to 4 × while the process allocates fast: polling 10,000 accounts a minute (each poll's garbage
 * outlives a 2 MiB young generation) left 425 MB RSS, 190 to 230 MB with it, for a fifth more polling CPU. Not
 * --enable-source-maps: it decodes the whole map at start (about 42 MB); src/cli/crash.ts maps a crash's
 * stack from the map only when one happens.
 */
const EXPORTER_NODE_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=20']

const PROGRAMS = [
  { entry: 'src/cli.ts', outfile: 'dist/laaffic-exporter.js', flags: EXPORTER_NODE_FLAGS },
  { entry: 'src/simulator/server.ts', outfile: 'dist/laaffic-simulator.js', flags: ['--enable-source-maps'] },
  { entry: 'src/demo.ts', outfile: 'dist/demo.js', flags: [] },
]

// Bundled CommonJS packages call require() for Node's own modules; an ES module has no require of its own.
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

await rm('dist', { recursive: true, force: true })
const bundled = new Set()
for (const { entry, outfile, flags } of PROGRAMS) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // `env -S` splits the flags (Linux, macOS); the image, which has no env, names them in its ENTRYPOINT.
    banner: { js: `#!/usr/bin/env ${flags.length === 0 ? 'node' : `-S node ${flags.join(' ')}`}\n${REQUIRE_SHIM}` },
  })
  await asciiOnly(outfile)
  await chmod(outfile, 0o755)
  for (const input of Object.keys(result.metafile.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]
    if (name !== undefined) bundled.add(name)
  }
}
await writeFile('dist/THIRD_PARTY_LICENSES.txt', await licences([...bundled].sort()))
process.stdout.write(`build: ${PROGRAMS.map((p) => p.outfile).join(', ')} (${bundled.size} packages bundled; licences in dist/THIRD_PARTY_LICENSES.txt)\n`)

/**
 * V8 keeps a script's source in memory for as long as it runs, as one string: one character outside Latin-1
 * makes it two bytes per character (5.3 MB instead of 2.6 MB for the exporter). esbuild writes strings,
 * regular expressions and identifiers in ASCII (its default charset) but leaves comments (`≈`, `…`, `×`, in
 * ours and the packages') and the text of tagged templates (the status page's `html` parts: `·`, `—`) as
 * they are. Each such UTF-16 unit becomes a `\uXXXX` escape: text in a comment, the same character in a
 * template's cooked text, string or regular expression. (A `?` in its place once showed on the status page.)
 * On such a line the source map's columns after the character are off by five per escape.
 */
async function asciiOnly (file) {
  const code = await readFile(file, 'utf8')
  const ascii = code.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (ascii !== code) await writeFile(file, ascii)
}

/** The licence text of each bundled package, as their licences ask to keep with copies of the code. */
async function licences (names) {
  const sections = []
  for (const name of names) {
    const folder = join('node_modules', name)
    const { version, license } = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'))
    const text = await firstReadable(['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'license.md', 'LICENCE', 'COPYING'].map((f) => join(folder, f)))
    sections.push(`${name} ${version} (${license ?? 'see package'})\n\n${text ?? `(no licence file in the package; its package.json says ${license})`}`)
  }
  return `Packages bundled into dist/ and their licences.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`
}

async function firstReadable (paths) {
  for (const path of paths) {
    try {
      return (await readFile(path, 'utf8')).trim()
    } catch {
      // Not this name: try the next.
    }
  }
  return undefined
}
