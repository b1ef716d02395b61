import t from 'tap'
import { defineEnv } from '../../src/config/define-env.js'
import { listVariables } from '../../src/config/list-variables.js'
import { envSchema } from '../../src/config/schema.js'
import { simulatorEnvSchema } from '../../src/simulator/config.js'

t.test('numeric bounds read as a range in words', async (t) => {
  const ranges = listVariables(defineEnv({
    BOTH: { type: 'integer', minimum: 0, maximum: 65535, description: '' },
    ABOVE: { type: 'number', exclusiveMinimum: 0, maximum: 600, description: '' },
    LOW: { type: 'number', minimum: 0, description: '' },
    HIGH: { type: 'number', maximum: 9, description: '' },
    OVER: { type: 'number', exclusiveMinimum: 1, description: '' },
    NONE: { type: 'number', description: '' },
    TEXT: { type: 'string', minLength: 1, description: '' },
  })).map((v) => [v.name, v.range])
  t.same(ranges, [
    ['BOTH', '0 to 65535'],
    ['ABOVE', 'more than 0, at most 600'],
    ['LOW', 'at least 0'],
    ['HIGH', 'at most 9'],
    ['OVER', 'more than 1'],
    ['NONE', undefined],
    ['TEXT', undefined],
  ])
})

t.test('each exporter variable lists its description, default, allowed values and secrecy', async (t) => {
  const byName = new Map(listVariables(envSchema).map((v) => [v.name, v]))
  t.same(byName.get('LAAFFIC_POLL_INTERVAL'), {
    name: 'LAAFFIC_POLL_INTERVAL',
    description: 'seconds between polls of an account',
    default: '60',
    defaultText: undefined,
    range: '1 to 86400',
    values: undefined,
    secret: false,
    flag: undefined,
  })
  t.same([...byName.values()].filter((v) => v.flag !== undefined).map((v) => [v.name, v.flag]), [
    ['WEB_CONFIG_FILE', '--web.config.file'],
    ['WEB_ENABLE_LIFECYCLE', '--web.enable-lifecycle'],
    ['WEB_TELEMETRY_PATH', '--web.telemetry-path'],
    ['HOST', '--web.listen-address'],
    ['PORT', '--web.listen-address'],
    ['LOG_LEVEL', '--log.level'],
    ['LOG_FORMAT', '--log.format'],
  ], 'the variables Go exporters\' flags set')
  t.match(byName.get('LAAFFIC_MAX_STALENESS'), { default: undefined, defaultText: 'max(900, 3 × interval)', range: '0 to 31536000' })
  t.match(byName.get('LAAFFIC_PROCESS_METRICS'), { default: 'true' })
  t.same(byName.get('LOG_LEVEL')?.values, ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  t.same([...byName.values()].filter((v) => v.secret).map((v) => v.name), ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'METRICS_BEARER_TOKEN'])
})

t.test('every variable of the exporter and the simulator is described', async (t) => {
  for (const variable of [...listVariables(envSchema), ...listVariables(simulatorEnvSchema)]) {
    t.match(variable.description, /\S{3}/, variable.name)
  }
})
