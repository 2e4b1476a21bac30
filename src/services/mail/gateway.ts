// The gateway loop: sync, fetch, send, sync again; then wait. One clone of a desk does this.
// `tix mail test` checks the two server settings and says what is wrong.
import {TixError} from '../../errors.js'
import {mailOf} from '../../domain/mail/config.js'
import type {Desk} from '../../store/desk.js'
import {listRemotes, sync} from '../../store/sync.js'
import type {FetchResult} from './fetch.js'
import {sendOutbox, type SendResult, type Transport} from './send.js'
import {redact, serverSetting} from './settings.js'
import {loadState, saveState} from './state.js'

export interface CycleResult {
  at: string
  synced: boolean
  fetch: Pick<FetchResult, 'fetched' | 'moved'> & {created: number; replies: number} | null
  send: Pick<SendResult, 'sent' | 'failed' | 'skipped'> | null
  errors: string[]
}

/** Publishes the desk (fetch, merge, push) when it has a remote; a desk without one has nothing to race. */
export async function publisher(desk: Desk): Promise<((d: Desk) => Promise<void>) | null> {
  const remotes = await listRemotes(desk)
  if (remotes.length === 0) return null
  return async (d) => {
    await sync(d, {attempts: 8})
  }
}

export async function cycle(desk: Desk, opts: {transport?: Transport; skipFetch?: boolean} = {}): Promise<CycleResult> {
  const out: CycleResult = {at: desk.now().toISOString(), synced: false, fetch: null, send: null, errors: []}
  const publish = await publisher(desk)
  if (publish) {
    try {
      await publish(desk)
      out.synced = true
    } catch (error) {
      out.errors.push(`sync: ${(error as Error).message}`)
    }
  }
  const state = loadState(desk)
  try {
    if (!opts.skipFetch && serverSetting(desk, 'imap')) {
      try {
        const {fetchMail} = await import('./fetch.js')
        const f = await fetchMail(desk, {state})
        out.fetch = {fetched: f.fetched, moved: f.moved, created: f.outcomes.filter((o) => o.result === 'created').length, replies: f.outcomes.filter((o) => o.result === 'reply').length}
      } catch (error) {
        out.errors.push(`fetch: ${(error as Error).message}`)
      }
    }
    const unsynced = out.errors.some((e) => e.startsWith('sync:'))
    if (unsynced) out.errors.push('send: skipped: the desk could not be synced, so no claim could be published (nothing is sent until it can be)')
    else if (opts.transport || serverSetting(desk, 'smtp')) {
      try {
        // On a shared desk the claims are pushed before anything is sent.
        const s = await sendOutbox(desk, {state, transport: opts.transport, publish})
        out.send = {sent: s.sent, failed: s.failed, skipped: s.skipped}
      } catch (error) {
        out.errors.push(`send: ${(error as Error).message}`)
      }
    }
  } finally {
    saveState(desk, state)
  }
  if (publish && (out.fetch?.fetched || out.send?.sent.length || out.send?.failed.length)) {
    try {
      await publish(desk)
    } catch (error) {
      out.errors.push(`sync: ${(error as Error).message}`)
    }
  }
  return out
}

/** Runs cycles until `signal` aborts; the cycle in progress always finishes (SIGTERM-safe). */
export async function runGateway(desk: Desk, opts: {everySeconds: number; once?: boolean; signal: AbortSignal; onCycle: (r: CycleResult) => void; transport?: Transport}): Promise<number> {
  let cycles = 0
  while (!opts.signal.aborted) {
    const r = await cycle(desk, {transport: opts.transport})
    cycles++
    opts.onCycle(r)
    if (opts.once) break
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.everySeconds * 1000)
      opts.signal.addEventListener('abort', () => {
        clearTimeout(timer)
        resolve()
      }, {once: true})
    })
  }
  return cycles
}

export interface CheckResult {
  server: 'imap' | 'smtp' | 'desk'
  ok: boolean
  message: string
  hint?: string
}

/** Checks desk.json's mail section, IMAP (login, mailbox) and SMTP (connection, login). */
export async function testSettings(desk: Desk): Promise<CheckResult[]> {
  const out: CheckResult[] = []
  const config = (await desk.index()).config
  const mail = mailOf(config)
  if (mail.address) out.push({server: 'desk', ok: true, message: `sends as ${mail.name ? `${mail.name} <${mail.address}>` : mail.address}; ${mail.departments.size} department address(es)`})
  else out.push({server: 'desk', ok: false, message: 'desk.json has no mail.address: nothing can be sent', hint: 'tix config set mail.address help@example.com'})
  let imap
  try {
    imap = serverSetting(desk, 'imap')
  } catch (error) {
    out.push({server: 'imap', ok: false, message: (error as Error).message, hint: (error as TixError).hint})
  }
  if (imap === null) out.push({server: 'imap', ok: false, message: 'not set (fine when an MTA pipes mail into `tix mail ingest`)', hint: 'TIX_IMAP_URL=imaps://USER:PASSWORD@imap.example.com/INBOX or git config tix.imap ...'})
  else if (imap) {
    const {imapClient, mailboxOf} = await import('./fetch.js')
    const client = await imapClient(imap.url)
    try {
      await client.connect()
      const st = (await client.status(mailboxOf(imap.url), {messages: true})) || {messages: 0}
      out.push({server: 'imap', ok: true, message: `${redact(imap.url)} (${imap.source}): logged in; ${mailboxOf(imap.url)} has ${st.messages ?? 0} message(s)`})
      await client.logout()
    } catch (error) {
      const e = error as Error & {authenticationFailed?: boolean; code?: string; responseText?: string}
      const why = e.authenticationFailed ? 'the server refused the user name or password' : e.code === 'ECONNREFUSED' ? 'nothing listens at that host and port' : e.code === 'ENOTFOUND' ? 'the host name is unknown' : (e.responseText ?? e.message)
      out.push({server: 'imap', ok: false, message: `${redact(imap.url)} (${imap.source}): ${why}`, hint: 'Check host, port, imap:// vs imaps://, user and password.'})
      client.close()
    }
  }
  let smtp
  try {
    smtp = serverSetting(desk, 'smtp')
  } catch (error) {
    out.push({server: 'smtp', ok: false, message: (error as Error).message, hint: (error as TixError).hint})
  }
  if (smtp === null) out.push({server: 'smtp', ok: false, message: 'not set: replies cannot go out', hint: 'TIX_SMTP_URL=smtps://USER:PASSWORD@smtp.example.com or git config tix.smtp ...'})
  else if (smtp) {
    const nodemailer = await (await import('../../runtime.js')).importModule<typeof import('nodemailer')>('nodemailer')
    const mod = ((nodemailer as unknown as {default?: typeof nodemailer}).default ?? nodemailer) as typeof nodemailer
    const u = smtp.url
    const secure = u.protocol === 'smtps:'
    const t = mod.createTransport({
      host: u.hostname,
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      auth: u.username ? {user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password)} : undefined,
      tls: {rejectUnauthorized: u.searchParams.get('tls') !== 'insecure'},
      ignoreTLS: u.searchParams.get('starttls') === 'off',
      connectionTimeout: 10_000,
    } as Parameters<typeof mod.createTransport>[0])
    try {
      await t.verify()
      out.push({server: 'smtp', ok: true, message: `${redact(u)} (${smtp.source}): connected${u.username ? ' and logged in' : ''}`})
    } catch (error) {
      const e = error as Error & {code?: string}
      const why = e.code === 'EAUTH' ? 'the server refused the user name or password' : e.code === 'ECONNECTION' || e.code === 'ESOCKET' ? `cannot connect (${e.message})` : e.message
      out.push({server: 'smtp', ok: false, message: `${redact(u)} (${smtp.source}): ${why}`, hint: 'Check host, port, smtp:// (STARTTLS) vs smtps:// (TLS), user and password.'})
    } finally {
      t.close()
    }
  }
  return out
}
