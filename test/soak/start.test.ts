// scripts/soak/start.ts: the soak's start phase, with the built simulator and a stand-in exporter that never
// gets ready, so that the wait for it can be interrupted.
import t from 'tap'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Program } from '../../scripts/lib/program.js'
import { DEFAULTS } from '../../scripts/soak/options.js'
import { Prng } from '../../scripts/soak/prng.js'
import { Rig } from '../../scripts/soak/rig.js'
import { startPrograms } from '../../scripts/soak/start.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

t.test('Ctrl-C while waiting for the exporter to be ready: the error says the soak was aborted', async (t) => {
  // A root of its own: the built simulator, and an exporter that answers 503 to everything, saying so.
  const root = t.testdir({
    'package.json': JSON.stringify({ type: 'commonjs' }),
    dist: {
      'laaffic-exporter.js': "require('node:http').createServer((q, s) => { console.log(`${q.method} ${q.url}`); s.statusCode = 503; s.end() })" +
        '.listen(Number(process.env.PORT), process.env.HOST)\n',
      'laaffic-simulator.js': `import(${JSON.stringify(join(ROOT, 'dist', 'laaffic-simulator.js'))})\n`,
    },
  })
  const programs: Program[] = []
  const rig = await Rig.create((program) => { programs.push(program) })
  t.teardown(async () => { await rig.close() })
  const controller = new AbortController()

  const starting = startPrograms(rig, { ...DEFAULTS, accounts: 2 }, root, new Prng(1), () => {}, controller.signal)
  const failed = starting.then(() => undefined, (err: unknown) => err as Error)
  await waitFor(() => programs[1]?.stdout().includes('GET /readyz\n') === true, 'the soak to ask the exporter whether it is ready', 15_000)
  controller.abort()
  const err = await failed
  t.equal(err?.message, 'soak aborted while waiting for the exporter to be ready')
})
