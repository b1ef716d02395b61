import { spawnSync } from 'node:child_process'
import type { Test } from 'tap'

/**
 * The path of a program from Debian's packages (prometheus brings promtool), or undefined when it is
 * missing locally. In CI (CI=true) a missing program fails the test: CI must never skip these.
 */
export function requireProgram (t: Test, name: string, debianPackage: string): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
  if (found !== '') return found
  if (process.env.CI === 'true') {
    t.fail(`${name} is missing: .ci/run must install the Debian package ${debianPackage}`)
  } else {
    t.comment(`SKIPPED: ${name} not found (apt-get install ${debianPackage} to run this test)`)
    void t.skip(`${name} not found`, () => {})
  }
  return undefined
}
