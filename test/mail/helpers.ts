// Mail for the tests: messages built with nodemailer's MIME composer (or written by hand when the
// point is broken MIME), a real SMTP server (smtp-server) on 127.0.0.1, and Dovecot started with a
// throw-away config when it is installed.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {simpleParser, type ParsedMail} from 'mailparser'
import MailComposer from 'nodemailer/lib/mail-composer'
import {SMTPServer} from 'smtp-server'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import type {Desk} from '../../src/store/desk.js'
import {tempDir} from '../helpers.js'

export type Compose = ConstructorParameters<typeof MailComposer>[0]

export function buildMessage(opts: Compose): Promise<Buffer> {
  return new MailComposer({...opts}).compile().build()
}

export async function setMail(desk: Desk, mail: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
  await updateDeskJson(desk, 'Set up mail', (c) => ({...c, ...extra, mail}))
}

export interface Received {
  from: string
  to: string[]
  raw: Buffer
  parsed: ParsedMail
}

export interface SmtpSink {
  port: number
  url: string
  messages: Received[]
  /** Recipients to refuse (550), to make deliveries fail. */
  refuse: Set<string>
  close: () => Promise<void>
}

export async function startSmtp(): Promise<SmtpSink> {
  const messages: Received[] = []
  const refuse = new Set<string>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 64 * 1024 * 1024,
    onRcptTo(address, _session, cb) {
      if (refuse.has(address.address.toLowerCase())) return cb(Object.assign(new Error('550 no such user here'), {responseCode: 550}))
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        messages.push({from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw)})
        cb()
      })
    },
  })
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()))
  const port = (server.server.address() as {port: number}).port
  return {port, url: `smtp://127.0.0.1:${port}?starttls=off`, messages, refuse, close: () => new Promise((res) => server.close(() => res()))}
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as {port: number}).port
      s.close(() => res(port))
    })
  })
}

export const DOVECOT = '/usr/sbin/dovecot'

/** Skip (locally) or fail (CI) when Dovecot is missing. Returns the reason to skip, or null. */
export function dovecotMissing(): string | null {
  if (existsSync(DOVECOT)) return null
  if (process.env.CI === 'true') throw new Error(`Dovecot is required in CI (${DOVECOT} is missing): install dovecot-imapd (.ci/run does).`)
  return `Dovecot is not installed (${DOVECOT}); IMAP tests skipped. Install the Debian package dovecot-imapd to run them.`
}

export interface Dovecot {
  port: number
  user: string
  password: string
  url: string
  maildir: string
  log: string
  /** Puts a message into the inbox (Maildir new/), as an MTA would. */
  deliver: (raw: Buffer) => void
  stop: () => Promise<void>
}

let deliveries = 0

export async function startDovecot(): Promise<Dovecot> {
  const dir = tempDir('tix-dovecot-')
  const port = await freePort()
  const me = userInfo()
  const user = 'desk'
  const password = 'pw-' + Math.random().toString(36).slice(2)
  const home = join(dir, 'home')
  const maildir = join(home, 'Maildir')
  for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, d), {recursive: true})
  mkdirSync(join(dir, 'run'), {recursive: true})
  mkdirSync(join(dir, 'state'), {recursive: true})
  const root = me.uid === 0
  // Dovecot never runs mail or login processes as root: as root, they run as nobody, and the
  // maildir is made writable for it.
  const nobody = root ? {uid: 65534, gid: 65534, user: 'nobody', group: spawnSync('id', ['-gn', 'nobody']).stdout.toString().trim() || 'nogroup'} : null
  const mailUid = nobody?.uid ?? me.uid
  const mailGid = nobody?.gid ?? me.gid
  if (root) spawnSync('chmod', ['-R', '0777', home])
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`)
  if (root) spawnSync('chmod', ['0755', dir])
  const conf = [
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    'protocols = imap',
    `listen = 127.0.0.1`,
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `log_path = ${join(dir, 'dovecot.log')}`,
    `mail_location = maildir:${maildir}`,
    `default_internal_user = ${nobody?.user ?? me.username}`,
    `default_login_user = ${nobody?.user ?? me.username}`,
    `default_internal_group = ${nobody?.group ?? spawnSync('id', ['-gn']).stdout.toString().trim()}`,
    `first_valid_uid = ${mailUid}`,
    `last_valid_uid = ${mailUid}`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN ${join(dir, 'users')}`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${mailUid} gid=${mailGid} home=${home}`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '  chroot =',
    '}',
    'service anvil {',
    '  chroot =',
    '}',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '}',
  ].join('\n')
  const confPath = join(dir, 'dovecot.conf')
  writeFileSync(confPath, conf + '\n')
  const proc: ChildProcess = spawn(DOVECOT, ['-c', confPath, '-F'], {stdio: ['ignore', 'pipe', 'pipe']})
  let err = ''
  proc.stderr!.on('data', (d) => (err += d))
  // Wait until it listens.
  const {connect} = await import('node:net')
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        res(true)
      })
      s.once('error', () => res(false))
    })
    if (ok) break
    if (proc.exitCode !== null || i > 100) throw new Error(`Dovecot did not start: ${err}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    port,
    user,
    password,
    url: `imap://${user}:${password}@127.0.0.1:${port}/INBOX?starttls=off`,
    maildir,
    log: join(dir, 'dovecot.log'),
    deliver(raw) {
      const name = `${Date.now()}.M${++deliveries}P${process.pid}.tix`
      writeFileSync(join(maildir, 'tmp', name), raw, {mode: 0o666})
      renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name))
    },
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res()
        proc.once('exit', () => res())
        proc.kill('SIGTERM')
      }),
  }
}
