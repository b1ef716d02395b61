// The V8 settings the exporter is measured and sized with (BENCHMARKS.md, docs/kubernetes.md) must hold however
// it is started. The shebang of dist/laaffic-exporter.js and the image's ENTRYPOINT pass them, but a systemd
// unit, a process manager, the soak and the bench run `node dist/laaffic-exporter.js`, which reads no shebang.
// With 500 accounts polled every 2 s and 4 connections scraping back to back (`npm run bench -- --memory`,
// BENCHMARKS.md) RSS peaked at 321-413 MB without them and 141-155 MB with them. Set once the process runs
// (v8.setFlagsFromString) they were measured not to hold (peaks of 147 to 316 MB: the heap is sized by then).
// So a start without them re-executes itself with them, in the same process (process.execve: the same pid,
// so systemd, a pid file and `kill` see one process).

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

/** NODE_OPTIONS split as Node splits it: on spaces, with "double quotes" around a word that holds any. */
export function nodeOptionsWords (text: string): string[] {
  return [...text.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map((match) => match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? '')
}

/**
 * Replaces this process with the same program started with the missing flags, or returns when none is
 * missing, when it was re-executed already, or where the platform cannot (process.execve is POSIX only).
 */
export function ensureNodeFlags (): void {
  // NODE_OPTIONS counts as given too: an operator's --max-semi-space-size there is a value they chose.
  const missing = missingNodeFlags([...process.execArgv, ...nodeOptionsWords(process.env.NODE_OPTIONS ?? '')])
  if (missing.length === 0 || process.env[REEXECUTED_VARIABLE] !== undefined || typeof process.execve !== 'function') return
  process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [REEXECUTED_VARIABLE]: '1' })
}
