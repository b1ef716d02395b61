// The table of per-account settings: every setting gets a value, is reported by a reload when it changes,
// and is checked alike from its variable and from the accounts file.
import t from 'tap'
import { accountChanges } from '../../src/config/account-changes.js'
import { ACCOUNT_SETTINGS, completeSettings, DEFAULT_SETTINGS, IN_PLACE_SETTINGS, SETTING_NAMES, type AccountConfig } from '../../src/config/account-settings.js'
import { describeConfig } from '../../src/config/describe.js'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'
import { AccountStates } from '../../src/state/account-states.js'
import { account } from '../helpers/api.js'
import { testConfig } from '../helpers/config.js'

const KEY_AND_SECRET = { LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's' }

function problemsOf (env: Record<string, string>, files: Record<string, string> = {}): string[] {
  try {
    loadConfig(env, (path) => files[path] ?? '')
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

const fromFile = (yaml: string, env: Record<string, string> = {}): AccountConfig[] =>
  loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/a.yml', ...env }, () => yaml).accounts

t.test('every setting has a value when nothing sets it', async (t) => {
  const values = completeSettings({}, {})
  for (const name of SETTING_NAMES) t.not(values[name], undefined, name)
  t.same(DEFAULT_SETTINGS, { provider: 'laaffic', baseUrl: 'https://api.laaffic.com/v3', currency: '', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 })
})

t.test('a reload reports a change of every setting, by account name', async (t) => {
  // A value of each setting that differs from the default and passes its checks.
  const other: Record<string, string | number> = { provider: 'onbuka', baseUrl: 'http://127.0.0.1:1/v3', currency: 'EUR', balanceWarning: 500, balanceCritical: 1, spendSpikeFloor: 99 }
  t.same(Object.keys(other).sort(), [...SETTING_NAMES].sort(), 'a value for every setting of the table')
  for (const name of SETTING_NAMES) {
    const changes = accountChanges([account('a'), account('b')], [{ ...account('a'), [name]: other[name] }, account('b')])
    const where = ACCOUNT_SETTINGS[name].reload === 'repoll' ? 'credentialsChanged' : 'settingsChanged'
    t.same(changes, { added: [], removed: [], credentialsChanged: [], settingsChanged: [], [where]: ['a'] }, `${name} is reported in ${where}`)
  }
  t.same(accountChanges([account('a'), account('b')], [account('b', { apiSecret: 'new' }), account('c')]),
    { added: ['c'], removed: ['a'], credentialsChanged: ['b'], settingsChanged: [] }, 'added, removed and a rotated secret')
  t.same(accountChanges([account('a')], [account('a')]), { added: [], removed: [], credentialsChanged: [], settingsChanged: [] }, 'nothing changed')
})

t.test('the start line shows every setting and never the key or secret', async (t) => {
  const [shown] = describeConfig(testConfig({ accounts: [account('a', { apiKey: 'CANARY-key', currency: 'USD' })] })).accounts as [Record<string, unknown>]
  t.same(Object.keys(shown).sort(), ['name', ...SETTING_NAMES].sort())
  t.equal(shown.currency, 'USD')
  t.notMatch(JSON.stringify(shown), /CANARY/)
})

t.test('each provider gives its base URL; baseUrl and LAAFFIC_BASE_URL win', async (t) => {
  const urls = { laaffic: 'https://api.laaffic.com/v3', onbuka: 'https://api.onbuka.com/v3', itniotech: 'https://api.itniotech.com/sms' }
  for (const [provider, url] of Object.entries(urls)) {
    t.equal(loadConfig({ ...KEY_AND_SECRET, LAAFFIC_PROVIDER: provider }).accounts[0]?.baseUrl, url, `LAAFFIC_PROVIDER=${provider}`)
    t.equal(fromFile(`accounts: [{name: a, apiKey: k, apiSecret: s, provider: ${provider}}]`)[0]?.baseUrl, url, `provider: ${provider} in the file`)
  }
  t.equal(loadConfig({ ...KEY_AND_SECRET, LAAFFIC_PROVIDER: 'itniotech', LAAFFIC_BASE_URL: 'http://proxy:8080/sms' }).accounts[0]?.baseUrl,
    'http://proxy:8080/sms', 'LAAFFIC_BASE_URL wins over the provider')
  t.same(fromFile([
    'accounts:',
    '  - {name: own, apiKey: k, apiSecret: s, provider: onbuka, baseUrl: "http://proxy/v3"}',
    '  - {name: mine, apiKey: k, apiSecret: s, provider: itniotech}',
    '  - {name: env, apiKey: k, apiSecret: s}',
  ].join('\n'), { LAAFFIC_PROVIDER: 'onbuka' }).map((a) => [a.name, a.provider, a.baseUrl]), [
    ['own', 'onbuka', 'http://proxy/v3'],
    ['mine', 'itniotech', 'https://api.itniotech.com/sms'],
    ['env', 'onbuka', 'https://api.onbuka.com/v3'],
  ], 'an account\'s baseUrl, else its provider\'s URL; LAAFFIC_PROVIDER is the default provider')
})

t.test('an unknown provider is refused with a line naming it', async (t) => {
  t.same(problemsOf({ ...KEY_AND_SECRET, LAAFFIC_PROVIDER: 'twilio' }), ['LAAFFIC_PROVIDER: must be one of laaffic, onbuka, itniotech (got "twilio")'])
  t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, { '/a.yml': 'accounts: [{name: otp, apiKey: k, apiSecret: s, provider: Onbuka}]' }),
    ['LAAFFIC_ACCOUNTS_FILE: account "otp": provider must be one of laaffic, onbuka, itniotech (got "Onbuka")'])
})

t.test('currency: an ISO 4217 code, from the file or LAAFFIC_CURRENCY', async (t) => {
  t.equal(loadConfig({ ...KEY_AND_SECRET, LAAFFIC_CURRENCY: 'EUR' }).accounts[0]?.currency, 'EUR')
  t.equal(loadConfig(KEY_AND_SECRET).accounts[0]?.currency, '', 'unknown when not set')
  t.same(fromFile('accounts: [{name: a, apiKey: k, apiSecret: s, currency: USD}, {name: b, apiKey: k, apiSecret: s}]', { LAAFFIC_CURRENCY: 'INR' })
    .map((a) => a.currency), ['USD', 'INR'], 'the file\'s, else the variable\'s')
  for (const bad of ['eur', 'EURO', 'E1R', 'ABC', '€']) {
    t.same(problemsOf({ ...KEY_AND_SECRET, LAAFFIC_CURRENCY: bad }), [`LAAFFIC_CURRENCY: must be an ISO 4217 currency code such as USD or EUR (got ${JSON.stringify(bad)})`], bad)
  }
  t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, { '/a.yml': 'accounts: [{name: a, apiKey: k, apiSecret: s, currency: usd}]' }),
    ['LAAFFIC_ACCOUNTS_FILE: account "a": currency must be an ISO 4217 currency code such as USD or EUR (got "usd")'])
  t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, { '/a.yml': 'accounts: [{name: a, apiKey: k, apiSecret: s, currency: 978}]' }),
    ['LAAFFIC_ACCOUNTS_FILE: account "a": currency must be a non-empty string (quote it: YAML read it as a number)'])
})

t.test('file problems name the entry by its name, or number it from 1', async (t) => {
  const yaml = [
    'accounts:',
    '  - {name: otp, apiKey: k, apiSecret: s}',
    '  - {apiKey: k, apiSecret: s}',
    '  - {name: twice, apiKey: k, apiSecret: s}',
    '  - {name: twice, apiKey: k, apiSecret: s, balanceWarning: x}',
    '  - {name: marketing, apiKey: k, apiSecret: s, spendSpikeFloor: -1}',
    '  - 7',
  ].join('\n')
  t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, { '/a.yml': yaml }), [
    'LAAFFIC_ACCOUNTS_FILE: account 2: name is required',
    'LAAFFIC_ACCOUNTS_FILE: account 4 ("twice"): balanceWarning must be a number',
    'LAAFFIC_ACCOUNTS_FILE: account 4 ("twice"): name "twice" is also used by account 3; names must be unique',
    'LAAFFIC_ACCOUNTS_FILE: account "marketing": spendSpikeFloor must be >= 0 (got -1)',
    'LAAFFIC_ACCOUNTS_FILE: account 6 must be a mapping with name, apiKey and apiSecret or apiSecretFile',
  ])
})

t.test('a rule the variables break is reported once, for them', async (t) => {
  const yaml = 'accounts: [{name: a, apiKey: k, apiSecret: s}, {name: b, apiKey: k, apiSecret: s, balanceCritical: 300}]'
  t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: '/a.yml', LAAFFIC_BALANCE_CRITICAL: '200' }, { '/a.yml': yaml }), [
    'LAAFFIC_ACCOUNTS_FILE: account "b": balanceCritical must not be above balanceWarning (got 300 > 100)',
    'LAAFFIC_BALANCE_CRITICAL: must not be above LAAFFIC_BALANCE_WARNING (got 200 > 100)',
  ])
})

t.test('the account state holds every in-place setting, takes a changed one at a reload, and never holds the key or secret', async (t) => {
  const states = new AccountStates([account('a', { apiKey: 'CANARY-key', apiSecret: 'CANARY-secret' })])
  t.same(Object.keys(states.get('a')).filter((key) => key === 'name' || (SETTING_NAMES as string[]).includes(key)).sort(), ['name', ...IN_PLACE_SETTINGS].sort())
  t.notMatch(JSON.stringify(states.get('a')), /CANARY/)
  const before = states.get('a').version
  states.setAccounts([account('a', { currency: 'JPY', provider: 'itniotech' })])
  t.match(states.get('a'), { currency: 'JPY', provider: 'itniotech' })
  t.ok(states.get('a').version > before, 'the version moves, so the cached metrics text is rendered again')
})
