// scripts/lib/program.ts: the one way the tests and scripts start a program, on small inline Node programs.
import t from 'tap'
import { realpathSync } from 'node:fs'
import { createServer } from 'node:net'
import { DRAIN_GRACE_MS, startProgram, runProgram, type Exit, type ProgramOptions } from '../../scripts/lib/program.js'
import { waitFor } from '../../scripts/lib/wait.js'

/** A Node program given as source (CommonJS, as `node -e` runs it). */
const node = (source: string, options: Omit<ProgramOptions, 'command' | 'args'> = {}): ProgramOptions =>
  ({ ...options, command: process.execPath, args: ['-e', source] })

/** How a program ended, without how long stopping it took: to compare exactly. */
const exitOf = ({ code, signal }: Exit): Exit => ({ code, signal })

/** `promise`, or an error once `ms` have passed: a call that hangs fails the test instead of stalling it. */
async function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`${what} still waiting after ${ms} ms`)) }, ms) })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Source of a Node program that starts a grandchild sharing its stdout and stderr, prints `grandchild PID`,
 * then runs `then`. The grandchild ends by itself after a minute, should a teardown miss it.
 */
const withGrandchild = (then: string): string =>
  "const grandchild = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'inherit', 'inherit'] }); " +
  `process.stdout.write('grandchild ' + grandchild.pid + '\\n'); ${then}`

const grandchildPid = (output: string): number | undefined => {
  const pid = /^grandchild (\d+)$/m.exec(output)?.[1]
  return pid === undefined ? undefined : Number(pid)
}

const killIfAlive = (pid: number | undefined): void => {
  try {
    if (pid !== undefined) process.kill(pid, 'SIGKILL')
  } catch {
    // Gone already.
  }
}

const alive = (pid: number): boolean => {
  try {
    return process.kill(pid, 0)
  } catch {
    return false
  }
}

t.test('the port comes from /proc, with nothing logged, and answers', async (t) => {
  const server = startProgram(node("require('node:http').createServer((q, s) => s.end('hi')).listen(0, '127.0.0.1')"))
  t.teardown(() => { server.child.kill('SIGKILL') })
  const url = await server.url()
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(await (await fetch(url)).text(), 'hi', 'the program listening there answers')
  t.equal(server.stdout(), '', 'it logged nothing')
  t.equal(await server.port(), Number(new URL(url).port), 'the same port again')
})

// One machine in a while has no IPv6 loopback (a container started without it): then the case is skipped.
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer().once('error', () => { resolve(false) })
  probe.listen(0, '::1', () => { probe.close(() => { resolve(true) }) })
})

t.test('one port on two sockets (127.0.0.1 and ::1, as fastify for localhost) is one port', { skip: ipv6Loopback ? false : 'no ::1 on this machine' }, async (t) => {
  const server = startProgram(node(
    "const http = require('node:http'); const v4 = http.createServer((q, s) => s.end('v4')).listen(0, '127.0.0.1', () => " +
    "http.createServer((q, s) => s.end('v6')).listen(v4.address().port, '::1', () => console.log('both')))"))
  t.teardown(() => { server.child.kill('SIGKILL') })
  // Both sockets listen before port() looks, or it could see the first one alone and pass anyway.
  await waitFor(() => server.stdout() === 'both\n', 'the program to listen on both addresses', 15_000)
  const port = await server.port()
  t.equal(await (await fetch(`http://127.0.0.1:${port}`)).text(), 'v4', 'that port on 127.0.0.1')
  t.equal(await (await fetch(`http://[::1]:${port}`)).text(), 'v6', 'and on ::1')
})

t.test('two ports: port() says it needs a program with one', async (t) => {
  const server = startProgram(node(
    "const http = require('node:http'); let n = 0; const up = () => { if (++n === 2) console.log('both') }; " +
    "http.createServer().listen(0, '127.0.0.1', up); http.createServer().listen(0, '127.0.0.1', up)"))
  t.teardown(() => { server.child.kill('SIGKILL') })
  await waitFor(() => server.stdout() === 'both\n', 'the program to listen on its two ports', 15_000)
  await t.rejects(server.port(), /listens on \d+, \d+: port\(\) needs a program with one port/)
})

t.test('a program that ends before listening: port() says so, with its stderr', async (t) => {
  const failing = startProgram(node("process.stderr.write('no config\\n'); process.exit(3)"))
  await t.rejects(failing.port(), /ended \(code 3\) before listening: no config/)
  t.same(await failing.exited, { code: 3, signal: null })
})

t.test('cwd is passed to the program, and the caller stays where it was', async (t) => {
  const dir = realpathSync(t.testdir({}))
  const here = process.cwd()
  const result = await runProgram({ ...node('console.log(process.cwd())', { cwd: dir }), timeoutMs: 10_000 })
  t.equal(result.stdout, `${dir}\n`)
  t.equal(process.cwd(), here)
})

t.test('the environment is the one given, plus PATH, and nothing else of the caller\'s', async (t) => {
  process.env.CALLER_ONLY = 'stays here'
  t.teardown(() => { delete process.env.CALLER_ONLY })
  const result = await runProgram({ ...node('console.log(JSON.stringify(process.env))', { env: { ONLY_THIS: '1' } }), timeoutMs: 10_000 })
  // (tap itself adds NODE_OPTIONS and _TAPJS_* variables to every child it sees started.)
  const seen = JSON.parse(result.stdout) as Record<string, string>
  t.match(seen, { ONLY_THIS: '1', PATH: process.env.PATH })
  t.equal(seen.CALLER_ONLY, undefined, 'not a variable of the caller')
  t.equal(seen.HOME, undefined, 'not even HOME')
})

t.test('every line reaches onLine; only the latest are kept, within keepChars', async (t) => {
  const seen: string[] = []
  const program = startProgram(node("for (let i = 0; i < 100; i++) console.log('line ' + i); process.stderr.write('no newline')", {
    keepChars: 30,
    onLine: (line, stream) => seen.push(`${stream}: ${line}`),
  }))
  await program.exited
  t.equal(seen.filter((l) => l.startsWith('stdout: ')).length, 100, '100 lines handed on')
  t.equal(seen[99], 'stdout: line 99', 'without their newline')
  t.ok(seen.includes('stderr: no newline'), 'a last line without a newline too')
  t.equal(program.stdout(), 'line 97\nline 98\nline 99\n', 'the latest lines that fit in 30 characters')
  t.same(program.dropped(), { stdout: 97, stderr: 0 })
})

t.test('records() parses the JSON lines of stdout', async (t) => {
  const program = startProgram(node("console.log('starting'); console.log(JSON.stringify({ level: 30, msg: 'up' }))"))
  await program.exited
  t.same(program.records(), [{ level: 30, msg: 'up' }])
})

t.test('stop(): SIGTERM, and SIGKILL once the grace time is over', async (t) => {
  const polite = startProgram(node("process.on('SIGTERM', () => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000)"))
  t.teardown(() => { polite.child.kill('SIGKILL') })
  await waitFor(() => polite.stdout() === 'ready\n', 'the polite program to be ready', 15_000)
  const stopped = await polite.stop(5000)
  t.same(exitOf(stopped), { code: 0, signal: null }, 'exits 0 on SIGTERM')
  t.ok(stopped.stopMs < 5000, `within the grace time (${stopped.stopMs} ms)`)

  // It ignores SIGTERM: if a wait below throws, only the teardown's SIGKILL ends it.
  const stubborn = startProgram(node("process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"))
  t.teardown(() => { stubborn.child.kill('SIGKILL') })
  await waitFor(() => stubborn.stdout() === 'ready\n', 'the stubborn program to be ready', 15_000)
  const killed = await stubborn.stop(300)
  t.same(exitOf(killed), { code: null, signal: 'SIGKILL' }, 'ignores SIGTERM, gets SIGKILL')
  t.ok(killed.stopMs >= 300, `after the grace time (${killed.stopMs} ms)`)
  const again = await stubborn.stop()
  t.same(exitOf(again), { code: null, signal: 'SIGKILL' }, 'stopping it again: how it ended')
  // "At once": no SIGTERM and no grace time (3 s by default), only a promise already settled.
  t.ok(again.stopMs < 1000, `at once (${again.stopMs} ms)`)
})

t.test('stop() keeps its deadline when a grandchild still holds the output pipes', async (t) => {
  const parent = startProgram(node(withGrandchild('setInterval(() => {}, 1000)')))
  t.teardown(() => {
    parent.child.kill('SIGKILL')
    killIfAlive(grandchildPid(parent.stdout()))
  })
  await waitFor(() => grandchildPid(parent.stdout()) !== undefined, 'the grandchild to be started')
  const pid = grandchildPid(parent.stdout()) as number

  const graceMs = 2000
  const stopped = await within(parent.stop(graceMs), graceMs + DRAIN_GRACE_MS + 5000, 'stop()')
  t.same(exitOf(stopped), { code: null, signal: 'SIGTERM' }, 'ended by SIGTERM')
  t.ok(stopped.stopMs < graceMs + DRAIN_GRACE_MS, `within the grace time plus the drain grace (${stopped.stopMs} ms)`)
  t.ok(alive(pid), 'the grandchild still runs, holding the pipes: stop() did not wait for it')
  t.equal(parent.stdout(), `grandchild ${pid}\n`, 'what was written before the exit is kept')
})

t.test('runProgram returns when the program ends, even if a grandchild still holds the output pipes', async (t) => {
  let pid: number | undefined
  t.teardown(() => { killIfAlive(pid) })
  const result = await within(runProgram({
    ...node(withGrandchild("process.stdout.write('last words, no newline'); process.exit(0)"), {
      onLine: (line) => { pid ??= grandchildPid(line) },
    }),
    timeoutMs: 5000,
  }), 10_000, 'runProgram')
  t.same(exitOf(result), { code: 0, signal: null }, 'exit code 0')
  t.equal(result.stdout, `grandchild ${String(pid)}\nlast words, no newline`, 'all of its output, the last line without a newline too')
  t.ok(pid !== undefined && alive(pid), 'the grandchild still runs, holding the pipes')
})

t.test('runProgram kills a program that outlives its deadline', async (t) => {
  const result = await runProgram({ ...node('setInterval(() => {}, 1000)'), timeoutMs: 200 })
  t.match(result, { code: null, signal: 'SIGKILL' })
})

t.test('a command that does not exist cannot be started', async (t) => {
  t.throws(() => startProgram({ command: '/nonexistent/program' }), /cannot start \/nonexistent\/program/)
})
