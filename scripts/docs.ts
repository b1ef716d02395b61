#!/usr/bin/env node
// `npm run docs`: rewrites the generated blocks of the documentation (scripts/docs/generated-blocks.ts)
// from the code, and says which files changed.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { GENERATED_BLOCKS, readBlock, writeBlock } from './docs/generated-blocks.js'

const FILES = ['README.md', 'SOAK.md', 'docs/accounts.md', 'docs/metrics.md', 'docs/simulator.md', 'docs/status-page.md']
const root = new URL('../../', import.meta.url)

for (const file of FILES) {
  const path = fileURLToPath(new URL(file, root))
  const before = readFileSync(path, 'utf8')
  let after = before
  for (const [name, render] of Object.entries(GENERATED_BLOCKS)) {
    if (readBlock(after, name) !== undefined) after = writeBlock(after, name, render())
  }
  if (after !== before) writeFileSync(path, after)
  process.stdout.write(`docs: ${file} ${after === before ? 'already up to date' : 'updated'}\n`)
}
