import t from 'tap'
import { signedHeaders } from '../../src/api/sign.js'

t.test('reproduces the provider documentation vector', async (t) => {
  // shared/laaffic-api/README.md: bDqJFiq9 + 7bz1lzh9 + 1630468800
  t.same(signedHeaders('bDqJFiq9', '7bz1lzh9', 1630468800_000), {
    'Api-Key': 'bDqJFiq9',
    Timestamp: '1630468800',
    Sign: '05d7a50893e22a5c4bb3216ae3396c7c',
  })
})

t.test('uses whole seconds and lowercase hex', async (t) => {
  const headers = signedHeaders('bDqJFiq9', '7bz1lzh9', 1630468800_999)
  t.equal(headers.Timestamp, '1630468800')
  t.match(headers.Sign, /^[0-9a-f]{32}$/)
  t.equal(headers.Sign, '05d7a50893e22a5c4bb3216ae3396c7c')
})

t.test('changes with the timestamp', async (t) => {
  t.not(signedHeaders('k', 's', 1000_000).Sign, signedHeaders('k', 's', 1001_000).Sign)
})
