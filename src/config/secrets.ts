import { quote } from './env.js'
import { readFileSync } from 'node:fs'

export type ReadFile = (path: string) => string

export const readUtf8File: ReadFile = (path) => readFileSync(path, 'utf8')

/** Reads a file a variable names; a failure becomes one problem line naming the variable and the error code. */
export function readConfigFile (path: string, variable: string, readFile: ReadFile, problems: string[]): string | undefined {
  try {
    return readFile(path)
  } catch (err) {
    problems.push(`${variable}: cannot read ${quote(path)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
    return undefined
  }
}

interface SecretSource {
  inline: string | undefined
  file: string | undefined
  /** How the two sources are named in error messages, e.g. LAAFFIC_API_SECRET / LAAFFIC_API_SECRET_FILE. */
  inlineName: string
  fileName: string
}

/**
 * Resolves a secret given inline or as a file (Docker and Kubernetes secrets end with a newline,
 * so trailing line breaks are trimmed). Errors name the source but never contain the secret.
 */
export function resolveSecret (source: SecretSource, readFile: ReadFile, problems: string[]): string | undefined {
  const { inline, file, inlineName, fileName } = source
  if (inline !== undefined && file !== undefined) {
    problems.push(`${inlineName} and ${fileName} are both set: set only one`)
    return undefined
  }
  if (file !== undefined) {
    const content = readConfigFile(file, fileName, readFile, problems)
    if (content === undefined) return undefined
    const secret = content.replace(/[\r\n]+$/, '')
    if (secret === '') {
      problems.push(`${fileName}: ${quote(file)} is empty`)
      return undefined
    }
    return secret
  }
  if (inline === undefined || inline === '') {
    problems.push(`${inlineName} or ${fileName} is required`)
    return undefined
  }
  return inline
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl (value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}
