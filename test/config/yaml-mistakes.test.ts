// YAML mistakes in a block (not [ ] or { }) file, as a hand-edited accounts file has them: the sentence says
// what is wrong and the column points at the line's first word, not at its first column.
import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'

function problemsOf (text: string): string[] {
  try {
    loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, () => text)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

const PREFIX = 'LAAFFIC_ACCOUNTS_FILE: "/a.yml" is not valid YAML or JSON: '

t.test('a key indented between the list item and its mapping: the indentation, at the key', async (t) => {
  t.same(problemsOf('accounts:\n  - name: a\n    apiKey: x\n   apiSecret: y\n'), [
    `${PREFIX}line 4, column 4: the indentation is wrong here: the keys of one mapping (and the items of one list) start at the same column`,
  ])
})

t.test('a key without its colon: said so, not a [ ] or { } collection', async (t) => {
  t.same(problemsOf('accounts:\n  - name: a\n    apiKey: x\n    apiSecret: y\n    currency\n'), [
    `${PREFIX}line 5, column 5: a key without a colon and a value after it (write "key: value")`,
  ])
})
