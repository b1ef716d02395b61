import t from 'tap'
import { containerFlags, withOwnFlags } from '../../src/cli/container-flags.js'
import { flagSpecs } from '../../src/cli/flags.js'
import { envSchema } from '../../src/config/schema.js'

const FLAGS = flagSpecs(envSchema)
const VARIABLES = Object.keys(envSchema.properties)
const read = (argv: string[]) => containerFlags(FLAGS, VARIABLES, () => `${argv.join('\0')}\0`)
const pairs = (flags: ReturnType<typeof read>) => flags.map((flag) => [flag.spec.name, flag.value])

t.test('the flags of PID 1 when it is the exporter, as the image or the installed command starts it', async (t) => {
  t.same(pairs(read(['/nodejs/bin/node', '--max-semi-space-size=2', '--heap-growing-percent=20', 'dist/laaffic-exporter.js', '--web.listen-address=:9100', '--log.format', 'logfmt'])),
    [['--web.listen-address', ':9100'], ['--log.format', 'logfmt']], 'the image\'s ENTRYPOINT with docker run\'s arguments')
  t.same(pairs(read(['node', '/usr/lib/node_modules/laaffic-exporter/dist/laaffic-exporter.js', '--web.config.file=/etc/web.yml'])),
    [['--web.config.file', '/etc/web.yml']], 'the installed bundle')
  t.same(pairs(read(['/usr/local/bin/laaffic-exporter', '--no-web.enable-lifecycle'])), [['--web.enable-lifecycle', 'false']], 'the command by name')
})

t.test('nothing from another PID 1, an unreadable one, or an exporter not serving', async (t) => {
  t.same(read(['/sbin/init', 'splash']), [], 'init')
  t.same(read(['/lib/systemd/systemd', '--system']), [], 'systemd')
  t.same(read(['node', 'dist/laaffic-exporter.js']), [], 'the exporter without flags')
  t.same(read(['node', 'dist/laaffic-exporter.js', '--bogus']), [], 'a command line that would not parse')
  t.same(containerFlags(FLAGS, VARIABLES, () => { throw new Error('EACCES') }), [], '/proc/1/cmdline unreadable')
})

t.test('a flag given to the check itself wins over PID 1\'s', async (t) => {
  const inherited = read(['node', 'dist/laaffic-exporter.js', '--web.listen-address=:9100', '--log.level=debug'])
  const own = read(['node', 'dist/laaffic-exporter.js', '--web.listen-address=127.0.0.1:9200'])
  t.same(pairs(withOwnFlags(inherited, own)), [['--log.level', 'debug'], ['--web.listen-address', '127.0.0.1:9200']])
})
