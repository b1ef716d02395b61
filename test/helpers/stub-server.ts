import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface StubServer {
  baseUrl: string
  requests: IncomingMessage[]
  close: () => Promise<void>
}

/**
 * A real HTTP server on loopback, for the faults nock cannot reproduce faithfully
 * (a hanging upstream, a reset connection). Closing it destroys every open socket.
 */
export async function startStubServer (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<StubServer> {
  const sockets = new Set<Socket>()
  const requests: IncomingMessage[] = []
  const server = createServer((req, res) => {
    requests.push(req)
    handler(req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v3`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
