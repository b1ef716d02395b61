// One YAML reader for the configuration files (accounts file, web config file): a mistake becomes one sentence
// with the line and column where it is, never the library's message (it quotes the source, maybe a secret).
import { isCollection, isScalar, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml'

export type YamlResult = { document: Document } | { problem: string }

/**
 * Parses one YAML document. `version: '1.1'` resolves scalars as Go's yaml.v2 does (yes/no/on/off are booleans),
 * which the exporter-toolkit's web config file needs; the accounts file keeps YAML 1.2.
 */
export function parseYamlDocument (text: string, version: '1.1' | '1.2' = '1.2'): YamlResult {
  const lines = new LineCounter()
  // logLevel 'error': the library would print warnings (an unknown !tag, with its source line) on stderr.
  const document = parseDocument(text, { version, lineCounter: lines, logLevel: 'error', prettyErrors: false, uniqueKeys: true })
  const error = document.errors[0]
  if (error === undefined) return { document }
  const { line, col } = lines.linePos(mistakeAt(document, error, text))
  return { problem: `line ${line}, column ${col}: ${sentence(error)}` }
}

/** The plain JavaScript value of a parsed document; an alias with no anchor is a problem, not an exception. */
export function plainValue (document: Document): { value: unknown } | { problem: string } {
  try {
    return { value: document.toJS({ maxAliasCount: 100 }) }
  } catch {
    return { problem: 'an *alias names no &anchor defined before it (or aliases nest too deeply)' }
  }
}

/**
 * Where to point. An unclosed quote or bracket is reported by the library at the end of the input, where the
 * reader would look in vain; the mistake is where the quoted value or [ ] { } collection opens.
 */
function mistakeAt (document: Document, error: YAMLError, text: string): number {
  const at = error.pos[0]
  // MISSING_CHAR is also a block file's mis-indented line or key without a colon: those point at the line.
  const unclosed = (error.code === 'MISSING_CHAR' && /quote|flow/.test(error.message)) || (error.code === 'BAD_INDENT' && /^Flow/.test(error.message))
  // A wrongly indented line is reported at its first column; the reader looks for its first word.
  if (!unclosed) return at + (/^ */.exec(text.slice(at))?.[0].length ?? 0)
  let opening: number | undefined
  visit(document, (_key, node) => {
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')
    const flow = isCollection(node) && node.flow === true
    const range = (quoted || flow) ? node.range : undefined
    // The innermost opening before the error whose node runs up to it.
    if (range !== undefined && range !== null && range[0] < at && range[2] >= at && (opening === undefined || range[0] > opening)) opening = range[0]
  })
  return opening ?? at
}

const INDENTATION = 'the indentation is wrong here: the keys of one mapping (and the items of one list) start at the same column'

/** The library's error codes as sentences a reader can act on. */
function sentence (error: YAMLError): string {
  switch (error.code) {
    case 'MISSING_CHAR':
      if (/quote/.test(error.message)) return 'the quoted value that starts here is never closed (its closing quote is missing)'
      if (/flow/.test(error.message)) return 'a comma or colon is missing between the items of this [ ] or { } collection'
      if (/^Sequence item/.test(error.message)) return INDENTATION
      if (/^Implicit map keys/.test(error.message)) return 'a key without a colon and a value after it (write "key: value")'
      return `the YAML is malformed here (${error.code})`
    case 'BAD_INDENT':
      if (/^Flow/.test(error.message)) return 'the [ or { that starts here is never closed, or a line inside it is not indented enough'
      return INDENTATION
    case 'TAB_AS_INDENT': return 'a tab is used for indentation: YAML needs spaces'
    case 'DUPLICATE_KEY': return 'this key appears a second time in the same mapping'
    case 'BLOCK_AS_IMPLICIT_KEY': return 'a second "key:" on one line (quote the value if it holds ": ")'
    case 'MULTILINE_IMPLICIT_KEY': return 'a key runs over more than one line (is a colon missing on the line before?)'
    case 'MULTIPLE_DOCS': return 'a second YAML document starts here ("---"): the file must hold one'
    case 'BAD_DQ_ESCAPE': return 'a backslash escape in this double-quoted value is not valid YAML'
    case 'TAG_RESOLVE_FAILED': return 'this !tag is not known'
    case 'UNEXPECTED_TOKEN': return 'unexpected text here (check the indentation and the "- " and ": " marks)'
    default: return `the YAML is malformed here (${error.code})`
  }
}
