// Looking at a process from outside, through /proc (Linux only): memory, CPU time, file descriptors, TCP sockets.
import { readdir, readFile, readlink } from 'node:fs/promises'

interface TcpRow {
  localPort: number
  remotePort: number
  /** Kernel state code: 01 ESTABLISHED, 08 CLOSE_WAIT, 0A LISTEN, ... */
  state: string
}

export interface FdSample {
  fds: number
  sockets: number
  /** TCP sockets connected to the simulator: the exporter's keep-alive pool, as large as recent polling needed. */
  pool: number
  /** TCP connections accepted on the exporter's port (scrapers). */
  inbound: number
  listening: number
  /** Sockets in CLOSE_WAIT: the peer closed, this process has not (yet). */
  closeWait: number
  /** fds minus the pool: what should not move once the exporter runs. */
  fdsWithoutPool: number
  socketsWithoutPool: number
}

export const STATE_NAMES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
}

/** VmRSS of the process in bytes. */
export async function rssBytes (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(kb) * 1024
}

/** User plus system CPU time of the process, in seconds. */
export async function cpuSeconds (pid: number): Promise<number> {
  // Fields 14 and 15 of /proc/PID/stat, counted from the last ") " (the command name before it may hold
  // spaces and parentheses): user and system time in clock ticks, 100 per second on Linux.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The inodes of the process' sockets, and how many fds it has open. */
async function openFds (pid: number): Promise<{ fds: number, socketInodes: Set<string> }> {
  const entries = await readdir(`/proc/${pid}/fd`)
  const socketInodes = new Set<string>()
  await Promise.all(entries.map(async (fd) => {
    try {
      const target = await readlink(`/proc/${pid}/fd/${fd}`)
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
      if (inode !== undefined) socketInodes.add(inode)
    } catch {
      // Closed between readdir and readlink.
    }
  }))
  return { fds: entries.length, socketInodes }
}

/** TCP sockets (v4 and v6) of the process' network namespace, by inode. */
async function tcpTable (pid: number): Promise<Map<string, TcpRow>> {
  const rows = new Map<string, TcpRow>()
  for (const file of ['tcp', 'tcp6']) {
    let text: string
    try {
      text = await readFile(`/proc/${pid}/net/${file}`, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const [local, remote, state, inode] = [fields[1], fields[2], fields[3], fields[9]]
      if (local === undefined || remote === undefined || state === undefined || inode === undefined) continue
      const port = (address: string): number => parseInt(address.slice(address.lastIndexOf(':') + 1), 16)
      rows.set(inode, { localPort: port(local), remotePort: port(remote), state })
    }
  }
  return rows
}

/** The ports the process listens on (TCP). */
export async function listeningPorts (pid: number): Promise<number[]> {
  const { socketInodes } = await openFds(pid)
  const table = await tcpTable(pid)
  return [...socketInodes].flatMap((inode) => {
    const row = table.get(inode)
    return row !== undefined && row.state === '0A' ? [row.localPort] : []
  })
}

/** Open fds and sockets of the exporter, sorted by where they lead. */
export async function sampleFds (pid: number, ports: { exporter: number, simulator: number }): Promise<FdSample> {
  const { fds, socketInodes } = await openFds(pid)
  const table = await tcpTable(pid)
  const sample = { fds, sockets: socketInodes.size, pool: 0, inbound: 0, listening: 0, closeWait: 0 }
  for (const inode of socketInodes) {
    const row = table.get(inode)
    if (row === undefined) continue
    if (row.state === '0A') sample.listening++
    else if (row.remotePort === ports.simulator) sample.pool++
    else if (row.localPort === ports.exporter) sample.inbound++
    if (row.state === '08') sample.closeWait++
  }
  return { ...sample, fdsWithoutPool: fds - sample.pool, socketsWithoutPool: sample.sockets - sample.pool }
}
