import t from 'tap'
import { listenProblem } from '../../src/http/listen-problem.js'

const error = (code: string | undefined, message = `listen ${code ?? 'failure'}`): Error => Object.assign(new Error(message), { code })

// The flag wins over the variables (src/cli/flags.ts): a user who started it with the flag must be told of it.
t.test('each reason a listen fails for names the setting that changes it, the flag too', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    ['EADDRINUSE', 'port 9100 on 0.0.0.0 is already in use: set PORT (or --web.listen-address, which wins over it) to a free port (or stop what listens there)'],
    ['EACCES', 'port 9100 on 0.0.0.0 needs privileges this process does not have: set PORT (or --web.listen-address, which wins over it) to 1024 or above'],
    ['EADDRNOTAVAIL', '0.0.0.0 is not an address of this machine: set HOST (or --web.listen-address, which wins over it) to one of its addresses (0.0.0.0 listens on all)'],
    ['ENOTFOUND', 'HOST 0.0.0.0 does not resolve to an address: set HOST (or --web.listen-address, which wins over it) to an address or a resolvable name'],
    [undefined, '0.0.0.0:9100: listen failure'],
  ]
  for (const [code, sentence] of cases) t.equal(listenProblem(error(code), '0.0.0.0', 9100), sentence, code ?? 'no code')
})
