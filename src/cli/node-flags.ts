// The V8 settings the exporter is measured and sized with (BENCHMARKS.md, docs/kubernetes.md) must hold however
// it is started. The shebang of dist/laaffic-exporter.js and the image's ENTRYPOINT pass them, but a systemd
// unit, a process manager, the soak and the bench run `node dist/laaffic-exporter.js`, which reads no shebang.
// Measured with 500 accounts polled every 2 s and 4 clients scraping back to back (issue 19): without them
// RSS peaked at 404-416 MB; with them on the command line at 153 MB; set later with v8.setFlagsFromString, at
// 147 to 316 MB (the heap is already sized by then). So a start without them re-executes itself with them,
// in the same process (process.execve: same pid, so systemd, a pid file and `kill` see one process).

/**
 * --max-semi-space-size=2: a young generation of at most 2 MiB per semi-space (V8 grows it to 16 MiB under a
 * burst of scrapes and keeps the pages). --heap-growing-percent=20: the old generation may grow 20 % past
 * what lived after the last full collection (V8 allows up to 4 x while the process allocates fast).
 * scripts/build.mjs writes the same list into the shebang and the Dockerfile repeats it (a test compares).
 */
export const EXPORTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=20']

/** Set in the environment of the re-executed process: it never re-executes twice. */
export const REEXECUTED_VARIABLE = 'LAAFFIC_EXPORTER_REEXECUTED'

const flagName = (flag: string): string => flag.split('=')[0]?.replaceAll('_', '-') ?? flag

/** The flags of `wanted` whose name `execArgv` does not set already (a value the operator chose wins). */
export function missingNodeFlags (execArgv: readonly string[], wanted: readonly string[] = EXPORTER_NODE_FLAGS): string[] {
  const given = new Set(execArgv.map(flagName))
  return wanted.filter((flag) => !given.has(flagName(flag)))
}

/**
 * Replaces this process with the same program started with the missing flags, or returns when none is
 * missing, when it was re-executed already, or where the platform cannot (process.execve is POSIX only).
 */
export function ensureNodeFlags (): void {
  const missing = missingNodeFlags(process.execArgv)
  if (missing.length === 0 || process.env[REEXECUTED_VARIABLE] !== undefined || typeof process.execve !== 'function') return
  process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [REEXECUTED_VARIABLE]: '1' })
}
