#!/usr/bin/env node
// `npm run manifests`: rewrites the Kubernetes manifests made from the shipped rules and dashboard
// (scripts/manifests/generate.ts), and says which files changed.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { generatedFiles } from './manifests/generate.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

for (const file of generatedFiles(root)) {
  const path = join(root, file.path)
  let before: string | undefined
  try {
    before = readFileSync(path, 'utf8')
  } catch {
    before = undefined
  }
  if (before !== file.content) writeFileSync(path, file.content)
  process.stdout.write(`manifests: ${file.path} ${before === file.content ? 'already up to date' : 'written'} (from ${file.from})\n`)
}
