import { openSync, readSync, closeSync } from 'node:fs'

/**
 * The Node.js flags a built program's shebang gives node (`#!/usr/bin/env -S node FLAGS...`, or none with
 * `#!/usr/bin/env node`): what every other way of starting it (the image's ENTRYPOINT, compose) must repeat.
 */
export function shebangNodeFlags (file: string): string[] {
  const words = firstLine(file).split(/\s+/)
  const [interpreter, ...rest] = words
  if (interpreter !== '#!/usr/bin/env') throw new Error(`${file}: the shebang is not #!/usr/bin/env ...: ${words.join(' ')}`)
  const [node, ...flags] = rest[0] === '-S' ? rest.slice(1) : rest
  if (node !== 'node') throw new Error(`${file}: the shebang does not run node: ${words.join(' ')}`)
  return flags
}

/** The first line of a file, without reading the whole of a bundle of megabytes. */
function firstLine (file: string): string {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(4096)
    const length = readSync(fd, buffer, 0, buffer.length, 0)
    return buffer.subarray(0, length).toString('utf8').split('\n')[0] ?? ''
  } finally {
    closeSync(fd)
  }
}
