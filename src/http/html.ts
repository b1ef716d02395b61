// HTML built so that escaping cannot be forgotten: every value put into the `html` template is escaped
// unless it is itself a fragment the template made.

/** A piece of markup made by `html` (or `join`): inserted as it is. */
export class Html {
  constructor (readonly text: string) {}
  toString (): string {
    return this.text
  }
}

type Value = string | number | Html | readonly Html[] | undefined

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

const SPECIAL = /[&<>"']/

/** Text safe in an element's content and in a quoted attribute value. */
export const escapeHtml = (text: string): string => SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text

function insert (value: Value): string {
  // A number's text has nothing to escape; most values of a page of 1,000 accounts are numbers or plain text.
  if (typeof value === 'number') return String(value)
  if (value instanceof Html) return value.text
  if (Array.isArray(value)) return (value as readonly Html[]).map((item) => item.text).join('')
  if (value === undefined) return ''
  return escapeHtml(String(value))
}

/** A template literal tag: the literal parts are markup, each value is escaped text (or a fragment). */
export function html (strings: TemplateStringsArray, ...values: Value[]): Html {
  let text = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) text += insert(values[i]) + (strings[i + 1] ?? '')
  return new Html(text)
}
