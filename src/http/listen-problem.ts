/**
 * Why the server cannot listen, as a sentence naming the setting that changes it (HOST or PORT, and the flag), from the
 * error code Node gives: `EADDRINUSE` alone leaves a newcomer to find out which port and what to change.
 */
/** The flag wins over HOST and PORT (src/cli/flags.ts): naming the variable alone sends a flag's user astray. */
const OR_FLAG = '(or --web.listen-address, which wins over it)'

export function listenProblem (err: unknown, host: string, port: number): string {
  const { code, message } = err as NodeJS.ErrnoException
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use: set PORT ${OR_FLAG} to a free port (or stop what listens there)`
    case 'EACCES':
      return `port ${port} on ${host} needs privileges this process does not have: set PORT ${OR_FLAG} to 1024 or above`
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: set HOST ${OR_FLAG} to one of its addresses (0.0.0.0 listens on all)`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} does not resolve to an address: set HOST ${OR_FLAG} to an address or a resolvable name`
    default:
      return `${host}:${port}: ${message}`
  }
}
