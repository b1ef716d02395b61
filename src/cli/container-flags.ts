// In a container the exporter is PID 1, started with the flags of the image's ENTRYPOINT plus those of
// `docker run IMAGE --web.listen-address=:9100` or compose's `command:`. Docker runs the HEALTHCHECK as a
// process of its own, without them: `--healthcheck` reads them from PID 1's command line, so it asks where
// the exporter listens. Outside a container PID 1 is init (or systemd), whose command line names no
// laaffic-exporter: nothing is read then.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArguments } from './args.js'
import type { FlagSpec, GivenFlag } from './flags.js'

/** The flags PID 1 was started with when it runs laaffic-exporter serving; none otherwise. */
export function containerFlags (flags: readonly FlagSpec[], variables: readonly string[], readCmdline: () => string = () => readFileSync('/proc/1/cmdline', 'utf8')): GivenFlag[] {
  if (process.pid === 1) return []
  let argv: string[]
  try {
    argv = readCmdline().split('\0').slice(0, -1)
  } catch {
    return []
  }
  // node [node flags] dist/laaffic-exporter.js [flags], or the installed command itself.
  const script = argv.findIndex((arg) => ['laaffic-exporter.js', 'laaffic-exporter'].includes(basename(arg)))
  if (script === -1) return []
  const parsed = parseArguments(argv.slice(script + 1), flags, variables)
  return 'command' in parsed && parsed.command === 'serve' ? parsed.flags : []
}

/** PID 1's flags, each replaced by the same flag given to the check itself. */
export const withOwnFlags = (inherited: readonly GivenFlag[], own: readonly GivenFlag[]): GivenFlag[] =>
  [...inherited.filter((flag) => !own.some((mine) => mine.spec === flag.spec)), ...own]
