// Pages read as a browser reads them: parse5 implements the HTML standard's parsing (the one jsdom uses),
// so what the tests find is what a browser would build, escaping included; a tiny selector on top.
import { parse, type DefaultTreeAdapterTypes, type ParserError } from 'parse5'

export type Element = DefaultTreeAdapterTypes.Element
type Node = DefaultTreeAdapterTypes.Node

export interface ParsedPage {
  document: DefaultTreeAdapterTypes.Document
  /** What the parser had to repair (an unclosed tag, a stray character): none in a well-formed page. */
  errors: ParserError[]
}

export function parseHtml (text: string): ParsedPage {
  const errors: ParserError[] = []
  const document = parse(text, { onParseError: (error) => { errors.push(error) } })
  return { document, errors }
}

const isElement = (node: Node): node is Element => 'tagName' in node

/** Every element under `root`, in document order. */
export function descendants (root: Node): Element[] {
  const found: Element[] = []
  const visit = (node: Node): void => {
    const children = 'content' in node ? node.content.childNodes : 'childNodes' in node ? node.childNodes : []
    for (const child of children) {
      if (isElement(child)) found.push(child)
      visit(child)
    }
  }
  visit(root)
  return found
}

export function attr (element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value
}

export const classes = (element: Element): string[] => (attr(element, 'class') ?? '').split(/\s+/).filter((c) => c !== '')

/** The text a person reads in the element: its text nodes joined, runs of white space made one space. */
export function textOf (node: Node): string {
  const parts: string[] = []
  const visit = (n: Node): void => {
    if (n.nodeName === '#text') parts.push((n as DefaultTreeAdapterTypes.TextNode).value)
    for (const child of 'childNodes' in n ? n.childNodes : []) visit(child)
  }
  visit(node)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** One compound selector: `tag`, `.class`, `#id`, `[attr]` and `[attr=value]`, combined (`td.num`). */
function matches (element: Element, compound: string): boolean {
  const parts = compound.match(/^[a-z0-9]+|\.[\w-]+|#[\w-]+|\[[\w-]+(?:=[^\]]*)?\]/gi) ?? []
  if (parts.join('') !== compound) throw new Error(`unsupported selector ${compound}`)
  return parts.every((part) => {
    if (part.startsWith('.')) return classes(element).includes(part.slice(1))
    if (part.startsWith('#')) return attr(element, 'id') === part.slice(1)
    if (part.startsWith('[')) {
      const [name = '', value] = part.slice(1, -1).split('=')
      return value === undefined ? attr(element, name) !== undefined : attr(element, name) === value
    }
    return element.tagName === part.toLowerCase()
  })
}

/** The elements matching `selector` (compound selectors separated by spaces: descendants), in document order. */
export function select (root: Node, selector: string): Element[] {
  let scope: Node[] = [root]
  for (const compound of selector.trim().split(/\s+/)) {
    const next = new Set<Element>()
    for (const node of scope) for (const element of descendants(node)) if (matches(element, compound)) next.add(element)
    scope = [...next]
  }
  return scope as Element[]
}

/** The one element matching `selector`; throws when there is none or more than one. */
export function selectOne (root: Node, selector: string): Element {
  const found = select(root, selector)
  if (found.length !== 1) throw new Error(`${found.length} elements match ${selector}`)
  return found[0] as Element
}
