// The simulator's control API (/__sim/, src/simulator/control-routes.ts) seen from another process: the one
// client with which the tests, the soak and the bench steer a running simulator.
import type { Agent } from 'node:http'
import type { DrainOrder, TopUp } from '../../src/simulator/account-model.js'
import type { Fault } from '../../src/simulator/faults.js'
import type { ReceivedRequest } from '../../src/simulator/request-log.js'
import { keepAliveAgent, send } from './http.js'

export interface AccountPatch {
  balance?: number
  gift?: number
  credit?: number
  spendPerHour?: number
  drainOrder?: DrainOrder
  /** null removes the top-up. */
  topUp?: TopUp | null
}

/** An account as the control API shows it (never its secret). */
export interface AccountView {
  name: string
  apiKey: string
  balance: number
  gift: number
  credit: number
  spendPerHour: number
  drainOrder: DrainOrder
  topUp: TopUp | null
  fault: Fault | null
}

export interface ControlOptions {
  /** The connections to use (default: a keep-alive agent of 8 of its own). */
  agent?: Agent
  timeoutMs?: number
}

export class SimulatorControl {
  private readonly agent: Agent
  private readonly timeoutMs: number

  /** `simulatorUrl`: where the simulator listens, e.g. http://127.0.0.1:9867. */
  constructor (private readonly simulatorUrl: string, options: ControlOptions = {}) {
    this.agent = options.agent ?? keepAliveAgent(8)
    this.timeoutMs = options.timeoutMs ?? 10_000
  }

  async accounts (): Promise<AccountView[]> {
    return await this.call('GET', '/accounts', 200) as AccountView[]
  }

  async account (name: string): Promise<AccountView> {
    return await this.call('GET', `/accounts/${encodeURIComponent(name)}`, 200) as AccountView
  }

  async patchAccount (name: string, patch: AccountPatch): Promise<AccountView> {
    return await this.call('PATCH', `/accounts/${encodeURIComponent(name)}`, 200, patch) as AccountView
  }

  async setFault (name: string, fault: Fault): Promise<void> {
    await this.call('PUT', `/accounts/${encodeURIComponent(name)}/fault`, 200, fault)
  }

  async clearFault (name: string): Promise<void> {
    await this.call('DELETE', `/accounts/${encodeURIComponent(name)}/fault`, 204)
  }

  /** The requests the simulator received (its last thousand), oldest first; only `account`'s when given. */
  async requests (account?: string): Promise<ReceivedRequest[]> {
    return await this.call('GET', `/requests${account === undefined ? '' : `?account=${encodeURIComponent(account)}`}`, 200) as ReceivedRequest[]
  }

  async clearRequests (): Promise<void> {
    await this.call('DELETE', '/requests', 204)
  }

  /** Moves the simulated provider's clock `offsetSeconds` away from the real one (0: back in step). */
  async setClock (offsetSeconds: number): Promise<void> {
    await this.call('PUT', '/clock', 200, { offsetSeconds })
  }

  /** Closes the connections of the agent (whether it was given or made here). */
  close (): void {
    this.agent.destroy()
  }

  /** One request; throws unless the answer has the status the route gives on success. */
  private async call (method: string, path: string, expected: number, json?: unknown): Promise<unknown> {
    const answer = await send(`${this.simulatorUrl}/__sim${path}`, { agent: this.agent, method, json, timeoutMs: this.timeoutMs })
    if (answer.status !== expected) throw new Error(`${method} /__sim${path}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`)
    return answer.body === '' ? undefined : JSON.parse(answer.body) as unknown
  }
}
