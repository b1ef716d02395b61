// The README is for the people who run the exporter: it stays short enough to read in one sitting.
// Reference material goes to docs/, development notes to CONTRIBUTING.md.
import { statSync } from 'node:fs'
import t from 'tap'

const README = new URL('../../README.md', import.meta.url)
const LIMIT_BYTES = 18 * 1024

t.test(`README.md stays under ${LIMIT_BYTES} bytes`, async (t) => {
  const size = statSync(README).size
  t.ok(size < LIMIT_BYTES, `README.md is ${size} bytes (limit ${LIMIT_BYTES}): move reference material to docs/ or CONTRIBUTING.md`)
})
