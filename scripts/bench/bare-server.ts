// The limit for this runtime: a bare node:http server answering fixed bytes from memory, in a process of
// its own: `PORT=N node bare-server.js FILE CONTENT-TYPE`, on 127.0.0.1 (PORT 0 or unset: a free port, which
// the bench finds as it finds every program's, in /proc).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const [file, contentType] = process.argv.slice(2)
if (file === undefined || contentType === undefined) throw new Error('usage: bare-server FILE CONTENT-TYPE')
const body = readFileSync(file)
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body)
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1')
process.once('SIGTERM', () => { server.close(); process.exit(0) })
