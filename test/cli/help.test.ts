import t from 'tap'
import { helpText, plain, wrap, WIDTH } from '../../src/cli/help.js'
import { envSchema } from '../../src/config/schema.js'

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

t.test('every line of the help fits 80 columns, and no word is broken', async (t) => {
  t.equal(WIDTH, 80, 'the width of a terminal')
  const text = helpText(envSchema)
  t.same(text.split('\n').filter((line) => line.length > 80), [], 'no line over 80 columns')
  // The same help on a terminal wide enough for every paragraph on one line: the same words, in the same order.
  const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '')
  const unwrapped = helpText(envSchema, 10_000)
  t.ok(unwrapped.split('\n').length < text.split('\n').length, 'the 80-column help is wrapped')
  t.same(words(text), words(unwrapped), 'every word whole')
})

t.test('a description wider than 80 columns at width 100 is wrapped at 80', async (t) => {
  const description = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen'
  const lines = wrap(description, '      ')
  t.ok(lines.length > 1, 'wrapped')
  t.ok(lines.every((line) => line.length <= 80), 'within 80')
  t.equal(lines.join(' ').replace(/\s+/g, ' ').trim(), description, 'every word whole, in order')
})
