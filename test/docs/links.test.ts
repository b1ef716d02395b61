// Every relative link of the documentation (README.md, CONTRIBUTING.md, docs/*.md) points at a file of the
// repository that exists, and every #anchor into a Markdown file (the same one included) at a heading or
// anchor that exists there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The documents checked, relative to the repository root. */
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`),
]

/** The Markdown without what GitHub does not read as links or headings: fenced code and inline code. */
function proseOf (markdown: string): string {
  const lines: string[] = []
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && marker !== undefined) {
      fence = marker
      lines.push('')
    } else if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined
      lines.push('')
    } else {
      // A code span's text is shown as is: brackets in it make no link.
      lines.push(line.replace(/(`+)(.+?)\1/g, (_all, ticks: string, code: string) => `${ticks}${code.replace(/[[\]()]/g, ' ')}${ticks}`))
    }
  }
  return lines.join('\n')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a '-'. */
function slug (heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** Every anchor a document defines: its headings' slugs (a repeated one gets -1, -2, ...) and <a id/name>. */
function anchorsOf (markdown: string): Set<string> {
  const prose = proseOf(markdown)
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const match of prose.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const base = slug(match[1] ?? '')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  for (const match of prose.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '')
  return anchors
}

/** The targets of a document's links and images: inline `[text](target)` and definitions `[label]: target`. */
function linksOf (markdown: string): string[] {
  const prose = proseOf(markdown)
  const inline = [...prose.matchAll(/\]\(\s*<?([^\s)>]*)>?(?:\s+["'(][^)]*)?\)/g)].map((m) => m[1] ?? '')
  const definitions = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((m) => m[1] ?? '')
  return [...inline, ...definitions]
}

/**
 * What is wrong with the relative links of `document` (a path relative to `root`, its text `markdown`):
 * one line per link that points at a missing file, outside the repository, or at a missing anchor.
 */
function linkProblems (root: string, document: string, markdown: string): string[] {
  const problems: string[] = []
  for (const target of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto: and the like: not a file here
    const hash = target.indexOf('#')
    const path = decodeURI(hash < 0 ? target : target.slice(0, hash))
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1))
    const file = path === '' ? resolve(root, document) : path.startsWith('/') ? join(root, path) : resolve(root, dirname(document), path)
    const shown = `${document}: (${target})`
    if (relative(root, file).startsWith('..')) {
      problems.push(`${shown} points outside the repository`)
    } else if (!existsSync(file)) {
      problems.push(`${shown} points at ${relative(root, file)}, which does not exist`)
    } else if (anchor !== undefined && file.endsWith('.md') && statSync(file).isFile()) {
      const text = file === resolve(root, document) ? markdown : readFileSync(file, 'utf8')
      if (!anchorsOf(text).has(anchor)) problems.push(`${shown}: ${relative(root, file)} has no heading with the anchor #${anchor}`)
    }
  }
  return problems
}

t.test('GitHub anchors of headings', async (t) => {
  const cases: Array<[string, string]> = [
    ['Quick start', 'quick-start'],
    ['Alerts and recording rules', 'alerts-and-recording-rules'],
    ['With Prometheus, Alertmanager and Grafana (docker compose)', 'with-prometheus-alertmanager-and-grafana-docker-compose'],
    ['The `npm run docs` blocks', 'the-npm-run-docs-blocks'],
    ['LaafficIPNotAllowed', 'laafficipnotallowed'],
    ['Bench & soak', 'bench--soak'],
    ['laaffic_up: what it means', 'laaffic_up-what-it-means'],
    ['See [the runbook](docs/runbook.md)', 'see-the-runbook'],
  ]
  for (const [heading, expected] of cases) t.equal(slug(heading), expected, heading)
  t.same([...anchorsOf('# A\n## B\n## B\n```\n# not a heading\n```\n<a id="kept"></a>\n')], ['a', 'b', 'b-1', 'kept'])
})

t.test('a broken link or anchor is reported; code, external links and good links are not', async (t) => {
  const markdown = [
    '# Title',
    '## Good section',
    'See [the runbook](docs/runbook.md), [its first alert](docs/runbook.md#laafficbalancecritical),',
    '[a section](#good-section), [the licence][licence], <https://example.com> and [a site](https://example.com/x#y).',
    'Broken: [gone](docs/no-such-file.md), [no section](#no-such-section), [bad alert](docs/runbook.md#nope),',
    '[out](../outside.md) and [a definition][missing].',
    '`[not a link](nowhere.md)`',
    '```',
    '[not a link either](nowhere.md)',
    '```',
    '[licence]: LICENSE',
    '[missing]: docs/missing.md',
  ].join('\n')
  t.same(linkProblems(ROOT, 'README.md', markdown), [
    'README.md: (docs/no-such-file.md) points at docs/no-such-file.md, which does not exist',
    'README.md: (#no-such-section): README.md has no heading with the anchor #no-such-section',
    'README.md: (docs/runbook.md#nope): docs/runbook.md has no heading with the anchor #nope',
    'README.md: (../outside.md) points outside the repository',
    'README.md: (docs/missing.md) points at docs/missing.md, which does not exist',
  ])
})

t.test('every relative link of the documentation points at something that exists', async (t) => {
  for (const document of DOCUMENTS) {
    const markdown = readFileSync(join(ROOT, document), 'utf8')
    t.same(linkProblems(ROOT, document, markdown), [], `${document}: no broken link`)
  }
})
