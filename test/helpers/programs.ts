import { spawnSync } from 'node:child_process'
import type { Test } from 'tap'

/**
 * The path of a program from Debian's packages (prometheus brings promtool), or undefined when it is
 * missing locally. In CI (CI=true) a missing program fails the test: CI must never skip these.
 */
export function requireProgram (t: Test, name: string, debianPackage: string): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
  if (found !== '') return found
  return unavailable(t, `${name} not found`, {
    ci: `${name} is missing: .ci/run must install the Debian package ${debianPackage}`,
    locally: `apt-get install ${debianPackage} to run this test`,
  })
}

/**
 * A tool a test needs is missing or unusable (`problem`): in CI (CI=true) the test fails, saying what .ci/run
 * must provide; elsewhere it is skipped with a comment saying how to get the tool.
 */
export function unavailable (t: Test, problem: string, how: { ci: string, locally: string }): undefined {
  if (process.env.CI === 'true') {
    t.fail(how.ci)
  } else {
    t.comment(`SKIPPED: ${problem} (${how.locally})`)
    void t.skip(problem, () => {})
  }
  return undefined
}
