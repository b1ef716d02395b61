// What fastify alone costs, for the bench to show where the exporter's memory goes: a fastify app with one
// route answering fixed bytes from memory, nothing else (`PORT=N node fastify-server.js FILE CONTENT-TYPE`).
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'

const [file, contentType] = process.argv.slice(2)
if (file === undefined || contentType === undefined) throw new Error('usage: fastify-server FILE CONTENT-TYPE')
const body = readFileSync(file)
const app = Fastify()
app.get('/metrics', async (_request, reply) => await reply.type(contentType).send(body))
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
