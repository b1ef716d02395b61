import t from 'tap'
import { helpText, plain, wrap, WIDTH } from '../../src/cli/help.js'

t.test('Markdown descriptions read as plain text', async (t) => {
  const cases: Array<[string, string]> = [
    ['the `account` label', 'the account label'],
    ["turns off prom-client's `process_*` and `nodejs_*` metrics", "turns off prom-client's process_* and nodejs_* metrics"],
    ['``a ` tick``', 'a ` tick'],
    ['(see [Securing the endpoint](#securing-the-endpoint))', '(see Securing the endpoint in README.md)'],
    ['[the provider](https://example.com/api)', 'the provider (https://example.com/api)'],
    ['[docs/simulator.md](docs/simulator.md)', 'docs/simulator.md'],
    ['**not** *ever*', 'not ever'],
    ['`[not a link](x)` and `*not emphasis*`', '[not a link](x) and *not emphasis*'],
    ['2 * 3 * 4', '2 * 3 * 4'],
  ]
  for (const [markdown, text] of cases) t.equal(plain(markdown), text, markdown)
})

t.test('wrap fills lines up to the width, indented, and keeps a longer word whole', async (t) => {
  t.same(wrap('aa bb cc dd', '  ', '    ', 8), ['  aa bb', '    cc', '    dd'])
  t.same(wrap('a  b\nc', '', '', 80), ['a b c'], 'runs of white space are one space')
  t.same(wrap('short abcdefghijkl end', '', '', 8), ['short', 'abcdefghijkl', 'end'])
  t.same(wrap('', '  '), ['  '])
})

t.test('every line of the help fits the width', async (t) => {
  const long = helpText().split('\n').filter((line) => line.length > WIDTH)
  t.same(long, [], `no line over ${WIDTH} columns`)
})
