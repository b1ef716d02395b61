import t from 'tap'
import { advance, balanceAnswer, type SimulatedAccount } from '../../src/simulator/account-model.js'

const T0 = 1_700_000_000_000
const MINUTE = 60_000
const HOUR = 3_600_000

function account (overrides: Partial<SimulatedAccount> = {}): SimulatedAccount {
  return {
    name: 'main',
    apiKey: 'key-main',
    apiSecret: 'secret-main',
    balance: 100,
    gift: 50,
    credit: 0,
    spendPerHour: 0,
    drainOrder: 'gift-first',
    updatedAtMs: T0,
    ...overrides,
  }
}

const figures = (a: SimulatedAccount) => ({ balance: a.balance, gift: a.gift, updatedAtMs: a.updatedAtMs, nextTopUpAtMs: a.nextTopUpAtMs })

t.test('spends at spendPerHour as time passes', async (t) => {
  const a = account({ balance: 100, gift: 50, spendPerHour: 36 })
  advance(a, T0 + 30 * MINUTE)
  t.same(figures(a), { balance: 100, gift: 32, updatedAtMs: T0 + 30 * MINUTE, nextTopUpAtMs: undefined }, 'half an hour: 18 spent')
  advance(a, T0 + HOUR)
  t.same(figures(a), { balance: 100, gift: 14, updatedAtMs: T0 + HOUR, nextTopUpAtMs: undefined }, 'one hour: 36 spent')
  advance(a, T0 + 90 * MINUTE)
  t.same(figures(a), { balance: 96, gift: 0, updatedAtMs: T0 + 90 * MINUTE, nextTopUpAtMs: undefined }, 'gift used up, then balance')
})

t.test('spends nothing without spendPerHour, and never runs backwards', async (t) => {
  const idle = account({ spendPerHour: 0 })
  advance(idle, T0 + 10 * HOUR)
  t.same(figures(idle), { balance: 100, gift: 50, updatedAtMs: T0 + 10 * HOUR, nextTopUpAtMs: undefined })

  const a = account({ spendPerHour: 36, updatedAtMs: T0 + HOUR })
  advance(a, T0 + HOUR)
  t.same(figures(a), { balance: 100, gift: 50, updatedAtMs: T0 + HOUR, nextTopUpAtMs: undefined }, 'same time: no change')
  advance(a, T0)
  t.same(figures(a), { balance: 100, gift: 50, updatedAtMs: T0 + HOUR, nextTopUpAtMs: undefined }, 'earlier time: no change')
})

t.test('gift-first takes the gift before the balance', async (t) => {
  const a = account({ balance: 100, gift: 10, credit: 0, spendPerHour: 30, drainOrder: 'gift-first' })
  advance(a, T0 + HOUR)
  t.equal(a.gift, 0)
  t.equal(a.balance, 80)
})

t.test('balance-first takes the balance, then the gift, then the credit', async (t) => {
  const a = account({ balance: 10, gift: 50, credit: 20, spendPerHour: 30, drainOrder: 'balance-first' })
  advance(a, T0 + HOUR)
  t.same({ balance: a.balance, gift: a.gift }, { balance: 0, gift: 30 }, 'balance first')
  advance(a, T0 + 2 * HOUR)
  t.same({ balance: a.balance, gift: a.gift }, { balance: 0, gift: 0 }, 'then the gift')
  advance(a, T0 + 3 * HOUR)
  t.same({ balance: a.balance, gift: a.gift }, { balance: -20, gift: 0 }, 'then the credit, down to -credit only')
})

t.test('gift-first also spends into the credit once gift and balance are gone', async (t) => {
  const a = account({ balance: 10, gift: 5, credit: 20, spendPerHour: 25, drainOrder: 'gift-first' })
  advance(a, T0 + HOUR)
  t.same({ balance: a.balance, gift: a.gift }, { balance: -10, gift: 0 })
})

t.test('the balance never goes below -credit and spending stops there', async (t) => {
  for (const drainOrder of ['gift-first', 'balance-first'] as const) {
    const a = account({ balance: 10, gift: 5, credit: 20, spendPerHour: 100, drainOrder })
    advance(a, T0 + HOUR)
    t.same({ balance: a.balance, gift: a.gift }, { balance: -20, gift: 0 }, `${drainOrder}: stops at -credit`)
    advance(a, T0 + 100 * HOUR)
    t.same({ balance: a.balance, gift: a.gift }, { balance: -20, gift: 0 }, `${drainOrder}: stays at -credit`)
  }

  const noCredit = account({ balance: 3, gift: 0, credit: 0, spendPerHour: 60 })
  advance(noCredit, T0 + HOUR)
  t.equal(noCredit.balance, 0, 'without credit the balance stops at 0')

  const overdrawn = account({ balance: -50, gift: 0, credit: 20, spendPerHour: 60 })
  advance(overdrawn, T0 + HOUR)
  t.equal(overdrawn.balance, -50, 'a balance already below -credit is neither spent further nor raised')
})

t.test('a periodic top-up is added to the balance when it is due, not before', async (t) => {
  const a = account({ balance: 100, topUp: { everySeconds: 600, amount: 30 }, nextTopUpAtMs: T0 + 10 * MINUTE })
  advance(a, T0 + 10 * MINUTE - 1)
  t.same(figures(a), { balance: 100, gift: 50, updatedAtMs: T0 + 10 * MINUTE - 1, nextTopUpAtMs: T0 + 10 * MINUTE }, '1 ms early: not yet')
  advance(a, T0 + 10 * MINUTE)
  t.same(figures(a), { balance: 130, gift: 50, updatedAtMs: T0 + 10 * MINUTE, nextTopUpAtMs: T0 + 20 * MINUTE }, 'on time: added, next one scheduled')
  advance(a, T0 + 20 * MINUTE - 1)
  t.equal(a.balance, 130, 'the next one only when it is due again')
  advance(a, T0 + 20 * MINUTE)
  t.equal(a.balance, 160)
  t.equal(a.gift, 50, 'top-ups never go to the gift')
})

t.test('several top-ups in one long advance are interleaved with spending', async (t) => {
  // 10 spent per 10 minutes, 5 topped up every 10 minutes: the account runs dry before each top-up.
  // Applying all top-ups first (10 + 15 - 30) or spending all first would both end at 0, not 5.
  const start = (): SimulatedAccount => account({
    balance: 10,
    gift: 0,
    credit: 0,
    spendPerHour: 60,
    topUp: { everySeconds: 600, amount: 5 },
    nextTopUpAtMs: T0 + 10 * MINUTE,
  })
  const a = start()
  advance(a, T0 + 30 * MINUTE)
  t.same(figures(a), { balance: 5, gift: 0, updatedAtMs: T0 + 30 * MINUTE, nextTopUpAtMs: T0 + 40 * MINUTE })

  const stepwise = start()
  for (let ms = T0; ms <= T0 + 30 * MINUTE; ms += MINUTE) advance(stepwise, ms)
  t.same(figures(stepwise), figures(a), 'one long advance ends where minute-by-minute advances end')

  advance(a, T0 + 35 * MINUTE)
  t.same(figures(a), { balance: 0, gift: 0, updatedAtMs: T0 + 35 * MINUTE, nextTopUpAtMs: T0 + 40 * MINUTE })
})

t.test('top-ups bring an account at -credit back into spending', async (t) => {
  const a = account({
    balance: -20,
    gift: 0,
    credit: 20,
    spendPerHour: 6,
    topUp: { everySeconds: 3600, amount: 50 },
    nextTopUpAtMs: T0 + HOUR,
  })
  advance(a, T0 + 3 * HOUR)
  // 0-1h: stuck at -20; +50 = 30; 1-2h: 24; +50 = 74; 2-3h: 68; +50 = 118 (due exactly at the end)
  t.same(figures(a), { balance: 118, gift: 0, updatedAtMs: T0 + 3 * HOUR, nextTopUpAtMs: T0 + 4 * HOUR })
})

t.test('balanceAnswer formats like the provider sample', async (t) => {
  const answer = balanceAnswer(account({ balance: 99.99, gift: 50, credit: 0 }))
  t.same(answer, { status: '0', reason: 'success', balance: '99.990000', gift: '50.00000', credit: '0' })
  t.equal(JSON.stringify(answer), '{"status":"0","reason":"success","balance":"99.990000","gift":"50.00000","credit":"0"}',
    'byte for byte the sample of shared/laaffic-api/README.md')
})

t.test('balanceAnswer rounds balance to 6 and gift to 5 decimals; credit as given', async (t) => {
  t.same(balanceAnswer(account({ balance: 1.23456789, gift: 0.123456, credit: 12.5 })),
    { status: '0', reason: 'success', balance: '1.234568', gift: '0.12346', credit: '12.5' })
  t.same(balanceAnswer(account({ balance: -20, gift: 0, credit: 20 })),
    { status: '0', reason: 'success', balance: '-20.000000', gift: '0.00000', credit: '20' })
  t.same(balanceAnswer(account({ balance: -1e-9, gift: 1e-9, credit: 0 })),
    { status: '0', reason: 'success', balance: '0.000000', gift: '0.00000', credit: '0' }, 'no "-0.000000" from float dust')
})

t.test('balanceAnswer with asNumbers gives JSON numbers', async (t) => {
  const answer = balanceAnswer(account({ balance: 99.99, gift: 50, credit: 0 }), true)
  t.same(answer, { status: 0, reason: 'success', balance: 99.99, gift: 50, credit: 0 })
  t.equal(JSON.stringify(answer), '{"status":0,"reason":"success","balance":99.99,"gift":50,"credit":0}')
  t.same(balanceAnswer(account({ balance: 1.23456789, gift: 0.123456, credit: 12.5 }), true),
    { status: 0, reason: 'success', balance: 1.234568, gift: 0.12346, credit: 12.5 })
})
