import t from 'tap'
import { API_CODE, BACKOFF_STATUSES, KNOWN_API_STATUSES, providerReason, STATUS_TABLE, STATUSES_STARTING_AT_ZERO, statusInfo } from '../../src/api/status.js'

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

t.test('codes by name are the table\'s codes, and the special cases are columns of the table', async (t) => {
  t.same(API_CODE, {
    authenticationError: '-1', ipRestricted: '-2', userLocked: '-13', queriedTooFrequently: '-15', timestampRejected: '-16', interfaceError: '-18',
  })
  t.same(statusInfo(API_CODE.timestampRejected).evidence, ['clockSkewSeconds'], '-16 is logged with the clock skew')
  t.same(STATUS_TABLE.filter((s) => s.evidence !== undefined).map((s) => s.status), ['-16'])
  t.equal(statusInfo(API_CODE.queriedTooFrequently).startsAtZero, false, '-15 is not Laaffic\'s: no series until it is seen')
  t.equal(providerReason(API_CODE.userLocked), 'user locked')
  t.equal(providerReason('-10'), 'error', 'a code the provider does not name')
})
