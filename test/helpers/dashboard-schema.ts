import { dirname, join } from 'node:path'
import ts from 'typescript'
import { DASHBOARD_JSON } from './dashboard.js'

/** A problem the TypeScript compiler found, at a line and column of the dashboard's JSON text. */
export interface SchemaProblem {
  line: number
  column: number
  message: string
}

// The JSON text is checked as a TypeScript object literal `satisfies` Grafana's Dashboard model, so every
// field is checked against the model: an unknown field (excess property) or a wrong type fails. The model
// types enumerations as TypeScript string enums, to which no string literal is assignable: AsJson turns
// each into the union of its values (`${E}`), which is what a JSON file holds. Numeric enums take numbers
// as they are. A JSON import would not do: it widens every string to `string`.
// An annotation query keeps its data source's own fields (a Prometheus one: expr, step, titleFormat) beside
// the model's, as a panel's targets do; the model types only a bare DataQuery target there ("TODO.. this
// should just be a normal query target"), so those fields are left open and the model's own still checked.
const PRELUDE = [
  "import type { AnnotationQuery, Dashboard } from '@grafana/schema'",
  'type AsJson<T> = T extends string ? `${T}` : T extends ReadonlyArray<infer U> ? Array<AsJson<U>> : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T',
  "type Model = AsJson<Omit<Dashboard, 'annotations'>> & { annotations?: { list?: Array<AsJson<AnnotationQuery> & Record<string, unknown>> } }",
  'export const dashboard =',
]

/**
 * Type-checks `jsonText` against the `Dashboard` model of @grafana/schema (the version pinned in
 * package.json) and returns the compiler's problems, positioned in the JSON text. Empty means valid.
 */
export function dashboardSchemaProblems (jsonText: string): SchemaProblem[] {
  // A virtual file beside the real dashboard, so that '@grafana/schema' resolves from the project.
  const file = join(dirname(DASHBOARD_JSON.pathname), 'schema-check.ts')
  const source = `${PRELUDE.join('\n')}\n${jsonText.trimEnd()} satisfies Model\n`
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest)
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => name === file || fileExists(name)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file !== undefined && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
      : { line: 0, character: 0 }
    return {
      line: where.line + 1 - PRELUDE.length,
      column: where.character + 1,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    }
  })
}
