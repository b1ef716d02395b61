import { ACCOUNT_SETTINGS, IN_PLACE_SETTINGS, type AccountSetting } from '../config/account-settings.js'
import type { AccountState, AccountStates } from '../state/account-states.js'
import { isFresh } from '../state/freshness.js'
import { escapeLabelValue, familyHeader, formatValue } from './exposition.js'
import { FamilyBuffers } from './family-buffers.js'
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
      return value === undefined ? '' : `${name}{account="${label}"} ${formatValue(value)}\n`
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
  perAccount(METRIC.pollDuration, 'Duration of the latest poll in seconds, retries included.', 'gauge', (s) => s.lastPollDurationSeconds),
  perAccount(METRIC.clockSkew, 'The Laaffic API\'s clock minus the local clock, in seconds, from the Date header of the latest answer that had one; Date has whole seconds, so accurate to 0.5 s.',
    'gauge', (s) => s.clockSkewSeconds),
  perAccount(METRIC.polls, 'Polls of the getBalance API started (a poll\'s retries count once).', 'counter', (s) => s.polls),
  perAccount(METRIC.apiRequests, 'HTTP requests sent to the getBalance API, retries included.', 'counter', (s) => s.apiRequests),
  {
    name: METRIC.pollErrors,
    help: 'Failed polls by cause: the API status code, or timeout, network, http_<code>, invalid_response.',
    type: 'counter',
    lines: (s, label) => [...s.errors]
      .map(([status, count]) => `${METRIC.pollErrors}{account="${label}",status="${escapeLabelValue(status)}"} ${formatValue(count)}\n`).join(''),
  },
  // Money moved, counted at the source from consecutive good polls (src/state/money-flow.ts).
  perAccount(METRIC.spent, 'What balance + gift lost between consecutive good polls since the start (credit is not spend; spend and a top-up between the same two polls net out).',
    'counter', (s) => s.spentTotal),
  perAccount(METRIC.toppedUp, 'What balance + gift gained between consecutive good polls since the start (net of spend between the same two polls).',
    'counter', (s) => s.toppedUpTotal),
  perAccount(METRIC.topups, 'Good polls that saw balance + gift higher than the good poll before, since the start.', 'counter', (s) => s.topupsTotal),
  perAccount(METRIC.lastTopup, 'Unix time of the poll that last saw balance + gift gain (absent until one did since the start).',
    'gauge', (s) => s.lastTopup === undefined ? undefined : s.lastTopup.atMs / 1000),
  ...settingFamilies(),
]

/**
 * The per-account families as exposition text, read from the account states at render time. After a poll
 * only the accounts that changed are formatted again (FamilyBuffers keeps the rest as bytes): with thousands
 * of accounts a render is mostly copying. prom-client's metric objects would hash every label set on every
 * collection, which made a render after a change of one account cost as much as a first one. The text is
 * what prom-client writes for the same samples, with each account's samples together (a status first counted
 * later follows its account's other statuses, where prom-client would put it at the end of the family).
 */
export class AccountFamilies {
  private readonly buffers: FamilyBuffers<AccountState>

  constructor (
    private readonly states: AccountStates,
    private readonly now: () => number,
    private readonly maxStalenessMs: number,
    private readonly families: readonly Family[] = ACCOUNT_FAMILIES,
  ) {
    this.buffers = new FamilyBuffers(families.map((family) => familyHeader(family.name, family.help, family.type)))
  }

  /** Moves with every change of any account's state (the only thing these families read, besides the clock). */
  version (): number {
    return this.states.version
  }

  /** True while the account's values may be exported at `atMs`: within LAAFFIC_MAX_STALENESS of the last success. */
  private isFreshAt (state: AccountState, atMs: number): boolean {
    return isFresh(state.lastSuccessMs, atMs, this.maxStalenessMs)
  }

  /**
   * The families encoded, one Buffer each (see FamilyBuffers), the blank line after each included, as they
   * stand at `atMs`. The renderer passes the same moment to changesAtMs: read twice, an account going stale
   * between the readings would be rendered fresh and never counted as about to go stale.
   */
  render (atMs: number = this.now()): Buffer[] {
    const accounts = this.states.all().map((state) => ({ state, version: state.version, fresh: this.isFreshAt(state, atMs) }))
    return this.buffers.render(accounts, ({ state, fresh }) => {
      const label = escapeLabelValue(state.name)
      return this.families.map((family) => family.lines(state, label, fresh))
    })
  }

  /** After `atMs`, the next moment a value series goes stale by the clock alone (no poll involved), in Unix ms. */
  changesAtMs (atMs: number = this.now()): number {
    let next = Infinity
    if (this.maxStalenessMs === 0) return next
    for (const state of this.states.all()) {
      if (this.isFreshAt(state, atMs)) next = Math.min(next, (state.lastSuccessMs ?? 0) + this.maxStalenessMs + 1)
    }
    return next
  }
}
