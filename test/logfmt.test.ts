import t from 'tap'
import { pino } from 'pino'
import { logfmtDestination, logfmtLine } from '../src/logfmt.js'
import { createLogger } from '../src/logger.js'

t.test('a pino record as one logfmt line: time, level, name, msg, then the fields, nested ones dotted', async (t) => {
  const json = JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 7, 3, 0, 0, 5), name: 'laaffic-exporter', msg: 'starting laaffic-exporter', version: '0.1.0', config: { accounts: 2, tls: false, shard: { index: 0 } } })
  t.equal(logfmtLine(`${json}\n`), 'time=2026-12-07T03:00:00.005Z level=info name=laaffic-exporter msg="starting laaffic-exporter" version=0.1.0 config.accounts=2 config.tls=false config.shard.index=0\n')
})

t.test('values are bare when they can be, quoted with JSON escapes when they cannot', async (t) => {
  const cases: Array<[unknown, string]> = [
    ['plain', 'v=plain'],
    ['two words', 'v="two words"'],
    ['', 'v=""'],
    ['a=b', 'v="a=b"'],
    ['say "hi"', 'v="say \\"hi\\""'],
    ['line\nbreak', 'v="line\\nbreak"'],
    ['tab\there', 'v="tab\\there"'],
    ['back\\slash', 'v="back\\\\slash"'],
    ['\u001b[31mred', 'v="\\u001b[31mred"'],
    [-0.4, 'v=-0.4'],
    [null, 'v=null'],
    [['a', 'b c'], 'v="[\\"a\\",\\"b c\\"]"'],
  ]
  for (const [value, expected] of cases) {
    t.equal(logfmtLine(JSON.stringify({ level: 40, time: 0, v: value })), `time=1970-01-01T00:00:00.000Z level=warn ${expected}\n`, JSON.stringify(value))
  }
  t.equal(logfmtLine(JSON.stringify({ level: 50, time: 0, 'a key=x': 1 })), 'time=1970-01-01T00:00:00.000Z level=error a_key_x=1\n', 'a key loses the characters that would end it')
})

t.test('the exporter\'s logger through the logfmt destination: one line per record, secrets still redacted', async (t) => {
  const written: string[] = []
  const logger = createLogger('debug', logfmtDestination({ write: (line: string) => { written.push(line) } }))
  logger.info({ account: 'otp', apiSecret: 'CANARY-secret', err: { message: 'connect ECONNREFUSED 127.0.0.1:9' } }, 'poll failed')
  logger.debug('quiet')
  t.equal(written.length, 2, 'two records, two writes')
  t.match(written[0], /^time=\S+Z level=info name=laaffic-exporter msg="poll failed" account=otp apiSecret=\[REDACTED\] err\.type=Object err\.message="connect ECONNREFUSED 127\.0\.0\.1:9" /)
  t.match(written[1], /^time=\S+ level=debug name=laaffic-exporter msg=quiet\n$/)
  t.notMatch(written.join(''), 'CANARY', 'the secret never reaches the line')
  t.equal(written.join('').split('\n').length, 3, 'each record one line')
  t.ok(pino.levels.values.fatal === 60, 'pino\'s numbers, as the level names assume')
})
