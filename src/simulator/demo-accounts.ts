import { API_CODE, providerReason } from '../api/status.js'
import type { SimulatorAccount } from './app.js'

/**
 * The simulator's built-in accounts, used when no accounts file is given (and by `npm run demo`):
 * one healthy account draining steadily, one that fails now and then and is topped up regularly.
 * Their keys are public test values, not credentials.
 */
export const DEMO_ACCOUNTS: SimulatorAccount[] = [
  {
    name: 'otp',
    apiKey: 'demo-otp-key',
    apiSecret: 'demo-otp-secret',
    balance: 500,
    gift: 0,
    credit: 0,
    spendPerHour: 120,
  },
  {
    name: 'marketing',
    apiKey: 'demo-marketing-key',
    apiSecret: 'demo-marketing-secret',
    balance: 80,
    gift: 20,
    credit: 50,
    spendPerHour: 360,
    drainOrder: 'gift-first',
    topUp: { everySeconds: 300, amount: 30 },
    fault: { type: 'status', status: API_CODE.interfaceError, reason: providerReason(API_CODE.interfaceError), probability: 0.3 },
  },
]
