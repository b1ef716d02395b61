import { ACCOUNT_SETTINGS, IN_PLACE_SETTINGS, type AccountSetting } from '../config/account-settings.js'
import type { AccountState, AccountStates } from '../state/account-states.js'
import { isFresh } from '../state/freshness.js'
import { escapeLabelValue, familyHeader, formatValue } from './exposition.js'
import { METRIC } from './names.js'

export interface Family {
  name: string
  help: string
  type: 'gauge' | 'counter'
  /** The account's sample lines of this family, each ending in a newline; `fresh` says whether its values may be shown. */
  lines: (state: AccountState, label: string, fresh: boolean) => string
}

/** A family with one sample per account, absent while the value is unknown. */
function perAccount (name: string, help: string, type: Family['type'], read: (state: AccountState, fresh: boolean) => number | undefined): Family {
  return {
    name,
    help,
    type,
    lines: (state, label, fresh) => {
      const value = read(state, fresh)
      // join, not a template literal: a template's result is a rope of its pieces (about 150 bytes for a
      // 70-character line), join's a flat string (about 90), and these lines are kept for every account.
      return value === undefined ? '' : [name, '{account="', label, '"} ', formatValue(value), '\n'].join('')
    },
  }
}

/** What the table of per-account settings exports: a gauge of its own (thresholds), or a label of laaffic_account_info. */
function settingFamilies (): Family[] {
  const exported = IN_PLACE_SETTINGS.map((name) => { const setting: AccountSetting = ACCOUNT_SETTINGS[name]; return { name, setting } })
  // The thresholds are settings, exported so alert rules compare against each account's own limits.
  const gauges = exported.flatMap(({ name, setting: { exports, variable } }) => exports !== undefined && 'gauge' in exports
    ? [perAccount(exports.gauge, `${exports.help} (${variable} or ${name}).`, 'gauge', (s) => { const value = s[name]; return typeof value === 'number' ? value : undefined })]
    : [])
  // The settings that are words (provider, currency) ride on one info series, to join onto the values.
  const labels = exported.flatMap(({ name, setting, setting: { exports, variable } }) => exports !== undefined && 'infoLabel' in exports
    ? [{ name, label: exports.infoLabel, from: `${variable} or ${name}${setting.schema.default === undefined ? '; empty when not set' : ''}` }]
    : [])
  const info: Family = {
    name: METRIC.accountInfo,
    help: `Always 1; labelled with the account's ${labels.map((l) => `${l.label} (${l.from})`).join(' and ')}.`,
    type: 'gauge',
    lines: (s, label) => [METRIC.accountInfo, '{account="', label, '"', ...labels.map((l) => `,${l.label}="${escapeLabelValue(String(s[l.name]))}"`), '} 1\n'].join(''),
  }
  return [...gauges, info]
}

/** Every per-account family, in the order /metrics shows them. */
export const ACCOUNT_FAMILIES: readonly Family[] = [
  perAccount(METRIC.balance, 'Account balance from the last good getBalance answer.', 'gauge', (s, fresh) => fresh ? s.values?.balance : undefined),
  perAccount(METRIC.giftBalance, 'Gift (bonus) balance from the last good getBalance answer.', 'gauge', (s, fresh) => fresh ? s.values?.gift : undefined),
  perAccount(METRIC.creditLimit, 'Credit limit from the last good getBalance answer.', 'gauge', (s, fresh) => fresh ? s.values?.credit : undefined),
  perAccount(METRIC.up, '1 if the latest poll of the account succeeded, else 0.', 'gauge', (s) => s.up === undefined ? undefined : Number(s.up)),
  perAccount(METRIC.lastSuccess, 'Unix time of the last successful poll.', 'gauge', (s) => s.lastSuccessMs === undefined ? undefined : s.lastSuccessMs / 1000),
  perAccount(METRIC.pollDuration, 'Duration of the latest poll, retries included.', 'gauge', (s) => s.lastPollDurationSeconds),
  perAccount(METRIC.clockSkew, 'The Laaffic API\'s clock (its Date header) minus the local clock, from the latest answer; whole-second resolution.',
    'gauge', (s) => s.clockSkewSeconds),
  perAccount(METRIC.polls, 'Polls of the getBalance API made.', 'counter', (s) => s.polls),
  perAccount(METRIC.apiRequests, 'HTTP requests sent to the getBalance API, retries included.', 'counter', (s) => s.apiRequests),
  {
    name: METRIC.pollErrors,
    help: 'Failed polls by cause: the API status code, or timeout, network, http_<code>, invalid_response.',
    type: 'counter',
    lines: (s, label) => [...s.errors]
      .map(([status, count]) => `${METRIC.pollErrors}{account="${label}",status="${escapeLabelValue(status)}"} ${formatValue(count)}\n`).join(''),
  },
  ...settingFamilies(),
]

/** An account's lines of every family, and what they were rendered from. */
interface AccountText { version: number, fresh: boolean, lines: string[] }

/**
 * The per-account families as exposition text, read from the account states at render time and never
 * kept anywhere else. Each account's lines are kept until that account changes (or its values go stale),
 * so after one poll only that account is formatted again: with thousands of accounts a render is mostly
 * joining strings. prom-client's metric objects would hash every label set on every collection, which
 * made a render after a change of one account cost as much as a first one. The text is what prom-client
 * writes for the same samples, with each account's samples together (a status first counted later follows
 * its account's other statuses, where prom-client would put it at the end of the family).
 */
export class AccountFamilies {
  /** Keyed by the state record: a removed account's text goes with it. */
  private readonly texts = new WeakMap<AccountState, AccountText>()

  private readonly headers: string[]

  constructor (
    private readonly states: AccountStates,
    private readonly now: () => number,
    private readonly maxStalenessMs: number,
    private readonly families: readonly Family[] = ACCOUNT_FAMILIES,
  ) {
    this.headers = families.map((family) => familyHeader(family.name, family.help, family.type))
  }

  /** True while the account's values may be exported: within LAAFFIC_MAX_STALENESS of the last success. */
  isFresh (state: AccountState): boolean {
    return isFresh(state.lastSuccessMs, this.now(), this.maxStalenessMs)
  }

  /** The families, each `# HELP`, `# TYPE` and its samples, separated by blank lines like prom-client's. */
  render (): string {
    const all = this.states.all().map((state) => this.textOf(state).lines)
    return this.headers.map((header, i) => header + all.map((lines) => lines[i]).join('')).join('\n')
  }

  /** The next moment a value series goes stale by the clock alone (no poll involved), in Unix ms. */
  changesAtMs (): number {
    let next = Infinity
    if (this.maxStalenessMs === 0) return next
    for (const state of this.states.all()) {
      if (this.isFresh(state)) next = Math.min(next, (state.lastSuccessMs ?? 0) + this.maxStalenessMs + 1)
    }
    return next
  }

  private textOf (state: AccountState): AccountText {
    const fresh = this.isFresh(state)
    const cached = this.texts.get(state)
    if (cached !== undefined && cached.version === state.version && cached.fresh === fresh) return cached
    const label = escapeLabelValue(state.name)
    const text = { version: state.version, fresh, lines: this.families.map((family) => family.lines(state, label, fresh)) }
    this.texts.set(state, text)
    return text
  }
}
