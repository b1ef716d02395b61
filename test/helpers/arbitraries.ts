// fast-check arbitraries shared by the property tests (test/properties/).
import fc from 'fast-check'
import { randomBytes } from 'node:crypto'

/** A secret marker that no other generated value can contain: any occurrence in an output is a leak. */
export function makeCanary (): string {
  return `CANARY-${randomBytes(6).toString('hex')}`
}

/** Any JavaScript value JSON.stringify can handle, with the odd ones (null prototypes, boxed values, Map, Set, Date...). */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  withBoxedValues: true,
  withNullPrototype: true,
  withObjectString: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
})

/** White space of every kind JavaScript knows (trim() and \s), plus the BOM. */
export const whitespace = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2028', '\u2029', '\u3000', '\ufeff'),
  minLength: 1,
  maxLength: 4,
})

/** Strings that look like numbers, almost look like numbers, or overflow. */
export const numberLikeString: fc.Arbitrary<string> = fc.oneof(
  fc.double().map(String), // NaN, Infinity, 5e-324, 1.7976931348623157e+308...
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.constantFrom('e', 'E', 'e+', 'e-'), fc.integer({ min: 0, max: 500 }))
    .map(([m, e, x]) => `${m}${e}${x}`),
  fc.tuple(whitespace, fc.integer().map(String), whitespace).map(([a, n, b]) => `${a}${n}${b}`),
  fc.constantFrom(
    'NaN', 'Infinity', '-Infinity', '+Infinity', 'infinity', '1e309', '-1e309', '1e400', '1e-400', '-0', '+0', '0.0',
    '0x10', '0X1F', '-0x10', '0b101', '0o17', '017', '1_000', '1,5', '1.5.5', '.5', '5.', '.', '-', '+', '1e', 'e1',
    '\u0663', '\uff10', '99999999999999999999', '9'.repeat(400), '00012', '1E3', '-1e-7', '2147483648', '2147483.648', '4294967296',
  ),
)

/** Integer status codes written every way an API could write them, and things that are not status codes. */
export const statusLikeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer().map(String),
  fc.integer({ min: -20, max: 20 }),
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.tuple(whitespace, fc.integer({ min: -99, max: 99 }), whitespace).map(([a, n, b]) => `${a}${n}${b}`),
  fc.tuple(fc.constantFrom('', '-', '+'), fc.nat({ max: 12 }), fc.nat()).map(([s, z, n]) => `${s}${'0'.repeat(z)}${n}`),
  fc.constantFrom(0, -0, '0', '-0', '+0', '0.0', 0.5, '1e2', 1e2, 1e21, 1234567890, '1234567890', 999999999, '-999999999', '\uff10', '\u0663', true, false, null, [], {}, ['0'], ''),
  fc.double(),
  numberLikeString,
  anyValue,
)

/** Balance, gift and credit as strings and numbers, good and bad, present or absent. */
export const amountLikeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.double().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d.toFixed(6)),
  numberLikeString,
  fc.constantFrom(null, undefined, true, false, '', ' ', '99.990000', '50.00000', '0', [1], { value: 1 }),
  fc.string(),
  anyValue,
)

export const hugeString = fc.constantFrom('x', '9', '\u00e9', '\n', ' ', '\u{1f4a9}', '\\').map((c) => c.repeat(10_000))

export const pathString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '/', '.', '..', '/dev/null', '/proc/self/environ', '/etc/passwd', 'relative/accounts.yml', './a.yml', '../../../etc/shadow',
    '~/accounts.yml', 'C:\\laaffic\\accounts.yml', '//server/share/a.yml', '/tmp/a b/c.yml', '/run/secrets/laaffic\n',
    '/\u00fcn\u00efc\u00f6d\u00e9/\u30d5\u30a1\u30a4\u30eb.yml', '/a'.repeat(300), 'file:///etc/laaffic/accounts.yml', '-', '*', '$HOME/a',
  ),
  fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
)

export const urlString: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(
    fc.constantFrom('http', 'https', 'HTTP', 'HtTpS', 'ftp', 'file', 'javascript', 'data', 'ws', 'wss', 'mailto', 'gopher', 'blob', 'about', 'unix', 'http+unix', ''),
    fc.constantFrom('://', ':', ':/', ':///', ''),
    fc.constantFrom('127.0.0.1:9/v3', 'api.laaffic.com/v3', 'alert(1)', '[::1]:80/', 'user:pass@host/', '%zz', 'host:99999', 'ex ample.com', 'a\nb', '', 'xn--nxasmq6b.com'),
  ).map(([scheme, separator, rest]) => `${scheme}${separator}${rest}`),
)

export const jsonSnippet: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('{', '[1,', '{"a":', 'null', '{}', '[]', '"x"', '{"accounts":[]}', '{"__proto__":{"polluted":1}}'),
)

export const multilineString = fc.array(fc.string({ maxLength: 10 }), { minLength: 2, maxLength: 4 })
  .chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => lines.join(eol)))

/** Values a person, a template or a broken deployment may put in an environment variable. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  whitespace,
  hugeString,
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  numberLikeString,
  fc.constantFrom('true', 'false', 'TRUE', 'False', 'yes', 'no', 'on', 'off', '1', '0', 'y', 'null', 'undefined', 'INFO', 'Debug', 'warning', 'verbose'),
  pathString,
  urlString,
  jsonSnippet,
  multilineString,
)
