import t from 'tap'
import { parseBalanceResponse } from '../../src/api/answer.js'

t.test('the provider sample and its variants are good answers', async (t) => {
  const good: Array<[string, object]> = [
    ['{"status":"0","reason":"success","balance":"99.990000","gift":"50.00000","credit":"0"}', { balance: 99.99, gift: 50, credit: 0 }],
    ['{"status":0,"balance":12.5,"gift":1,"credit":1000}', { balance: 12.5, gift: 1, credit: 1000 }],
    ['{"status":"0","balance":"-3.5"}', { balance: -3.5 }],
    ['{"status":"0","balance":" 7 ","gift":null}', { balance: 7 }],
    ['{"status":"0","balance":"1e3","credit":".5"}', { balance: 1000, credit: 0.5 }],
  ]
  for (const [body, values] of good) t.same(parseBalanceResponse(body), { ok: true, values }, body)
})

t.test('status errors keep the code as given, known or not', async (t) => {
  for (const status of ['-1', '-2', '-13', '-16', '-18', '-10', '-15', '42']) {
    t.same(parseBalanceResponse(JSON.stringify({ status, reason: `why ${status}` })), { ok: false, status, reason: `why ${status}` })
  }
  t.same(parseBalanceResponse('{"status":-13}'), { ok: false, status: '-13', reason: '' }, 'numeric status, no reason')
})

t.test('bad bodies are invalid_response and never a number', async (t) => {
  const bad: Array<[string, string]> = [
    ['<html><body>502 Bad Gateway</body></html>', 'body is not JSON'],
    ['', 'body is not JSON'],
    ['{"status":"0","balance":"99.9', 'body is not JSON'],
    ['[1,2]', 'body is not a JSON object'],
    ['null', 'body is not a JSON object'],
    ['"0"', 'body is not a JSON object'],
    ['{"balance":"1"}', 'status is missing or not an integer'],
    ['{"status":"ok","balance":"1"}', 'status is missing or not an integer'],
    ['{"status":"0.5","balance":"1"}', 'status is missing or not an integer'],
    ['{"status":"0"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"abc"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"NaN"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"Infinity"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"1e309"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":1e309}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"0x10"}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":""}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":true}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":["1"]}', 'balance is missing or not a finite number'],
    ['{"status":"0","balance":"1","gift":"abc"}', 'gift is not a finite number'],
    ['{"status":"0","balance":"1","credit":"1e400"}', 'credit is not a finite number'],
    [`{"status":"0","balance":"${'9'.repeat(400)}"}`, 'balance is missing or not a finite number'],
  ]
  for (const [body, reason] of bad) {
    t.same(parseBalanceResponse(body), { ok: false, status: 'invalid_response', reason }, body.slice(0, 60))
  }
})
