import t from 'tap'
import { BACKOFF_STATUSES, KNOWN_API_STATUSES, STATUS_TABLE, STATUSES_STARTING_AT_ZERO, statusInfo } from '../../src/client/status.js'

t.test('every status the exporter can count has an entry, families included', async (t) => {
  t.equal(statusInfo('-13').status, '-13')
  t.equal(statusInfo('timeout').status, 'timeout')
  t.equal(statusInfo('http_503').status, 'http_<code>', 'an HTTP status falls in its family')
  t.equal(statusInfo('http_429').status, 'http_<code>')
  t.equal(statusInfo('-10').status, 'other', 'an unknown API code falls in "other"')
  t.equal(statusInfo('42').source, 'api')
})

t.test('the derived lists are what the provider documents and the exporter has always done', async (t) => {
  t.same(KNOWN_API_STATUSES, ['-1', '-2', '-13', '-15', '-16', '-18'])
  t.same(BACKOFF_STATUSES, ['-1', '-2', '-13', '-15'])
  t.same(STATUSES_STARTING_AT_ZERO, ['-1', '-2', '-13', '-16', '-18', 'timeout', 'network', 'invalid_response'])
})

t.test('the table is well formed', async (t) => {
  const statuses = STATUS_TABLE.map((s) => s.status)
  t.equal(new Set(statuses).size, statuses.length, 'no status twice')
  for (const info of STATUS_TABLE) {
    t.ok(info.meaning.length > 0 && info.hint.length > 0, `${info.status} has a meaning and a hint`)
    if (info.backoff) t.equal(info.source, 'api', `${info.status}: only API codes back off (a network fault may clear in seconds)`)
    if (info.providerReason !== undefined) t.match(info.status, /^-\d+$/, `${info.status}: only API codes have a provider reason`)
    if (info.startsAtZero) t.notMatch(info.status, /[<>]|other/, `${info.status}: a family cannot start at 0`)
  }
})
