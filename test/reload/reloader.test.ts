// The Reloader on its own, with parts that record what happens to them: nothing commits unless every part
// prepared; a part's unexpected exception is a refusal naming the part; src/reload knows no part.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { ConfigError, type Config } from '../../src/config/types.js'
import type { ReloadablePart } from '../../src/reload/reloadable.js'
import { Reloader } from '../../src/reload/reloader.js'
import { ReloadStatus } from '../../src/reload/reload-status.js'
import { testConfig } from '../helpers/config.js'
import { captureLogs } from '../helpers/logs.js'

function setup (failing: Record<string, Error | undefined>) {
  const events: string[] = []
  const logs = captureLogs('debug')
  const status = new ReloadStatus(0)
  const next: Config = testConfig({})
  const reloader = new Reloader({ initial: testConfig({}), load: () => next, status, logger: logs.logger, now: () => 1000 })
  const part = (name: string): ReloadablePart => ({
    name,
    prepare: () => {
      events.push(`prepare ${name}`)
      const error = failing[name]
      if (error !== undefined) throw error
      return () => { events.push(`commit ${name}`) }
    },
  })
  for (const name of ['first', 'second', 'third']) reloader.register(part(name))
  return { reloader, events, logs, status, next }
}

t.test('every part prepares before any commits, in the order they were registered', async (t) => {
  const { reloader, events, status, next } = setup({})
  t.same(await reloader.reload('HTTP'), { ok: true })
  t.same(events, ['prepare first', 'prepare second', 'prepare third', 'commit first', 'commit second', 'commit third'])
  t.equal(reloader.current, next, 'the new configuration is the running one')
  t.same([status.successful, status.lastSuccessMs], [true, 1000])
})

t.test('a part that cannot prepare refuses the reload: no part commits', async (t) => {
  const { reloader, events, status } = setup({ third: new ConfigError(['TLS: the key does not match the certificate']) })
  const initial = reloader.current
  t.same(await reloader.reload('file change'), { ok: false, problems: ['TLS: the key does not match the certificate'] })
  t.same(events, ['prepare first', 'prepare second', 'prepare third'], 'nothing committed')
  t.equal(reloader.current, initial, 'the running configuration stays')
  t.equal(status.successful, false)
})

t.test('an unexpected exception in a prepare is a refusal naming the part, not a rejection', async (t) => {
  const { reloader, events, logs } = setup({ second: new RangeError('Invalid array length') })
  t.same(await reloader.reload('SIGHUP'), { ok: false, problems: ['second: unexpected error while preparing: RangeError: Invalid array length'] })
  t.same(events, ['prepare first', 'prepare second'])
  t.match(logs.records, [{ level: 50, trigger: 'SIGHUP', problems: ['second: unexpected error while preparing: RangeError: Invalid array length'] }])
})

t.test('src/reload imports nothing from src/http (the app registers the parts)', async (t) => {
  const folder = new URL('../../src/reload/', import.meta.url)
  for (const file of readdirSync(folder)) {
    t.notMatch(readFileSync(new URL(file, folder), 'utf8'), /from '\.\.\/http\//, file)
  }
})
