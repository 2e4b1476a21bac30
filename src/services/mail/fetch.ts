// IMAP: new messages of the inbox become tickets or replies, then move to the processed folder.
// UIDVALIDITY and the last UID are remembered in the clone's mail state; the Message-ID check makes
// a message fetched twice (a crash between commit and move) change nothing.
import {TixError} from '../../errors.js'
import {mailOf} from '../../domain/mail/config.js'
import {importModule} from '../../runtime.js'
import type {Desk} from '../../store/desk.js'
import {ingestMessages, type IngestOutcome} from './ingest.js'
import {requireServer, redact} from './settings.js'
import {loadState, saveState, type MailState} from './state.js'

type ImapFlowModule = typeof import('imapflow')

export async function imapClient(url: URL) {
  const mod = await importModule<ImapFlowModule>('imapflow')
  const ImapFlow = ((mod as unknown as {default?: ImapFlowModule}).default ?? mod).ImapFlow
  const secure = url.protocol === 'imaps:'
  return new ImapFlow({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    auth: {user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password)},
    logger: false,
    tls: {rejectUnauthorized: url.searchParams.get('tls') !== 'insecure'},
    doSTARTTLS: url.searchParams.get('starttls') === 'off' ? false : undefined,
    connectionTimeout: 20_000,
  } as ConstructorParameters<ImapFlowModule['ImapFlow']>[0])
}

export const mailboxOf = (url: URL) => decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX'

export interface FetchResult {
  mailbox: string
  fetched: number
  outcomes: IngestOutcome[]
  commits: string[]
  moved: number
  uidValidityChanged: boolean
}

export async function fetchMail(desk: Desk, opts: {state?: MailState; batch?: number; keep?: boolean} = {}): Promise<FetchResult> {
  const setting = requireServer(desk, 'imap')
  const state = opts.state ?? loadState(desk)
  const config = (await desk.index()).config
  const processed = mailOf(config).processedFolder
  const mailbox = mailboxOf(setting.url)
  const client = await imapClient(setting.url)
  try {
    await client.connect()
  } catch (error) {
    throw new TixError(`Could not log in to the IMAP server ${redact(setting.url)} (${setting.source}): ${(error as Error).message}.`, {code: 'mail-imap', hint: 'Run `tix mail test` to check the settings.'})
  }
  const out: FetchResult = {mailbox, fetched: 0, outcomes: [], commits: [], moved: 0, uidValidityChanged: false}
  try {
    const lock = await client.getMailboxLock(mailbox)
    try {
      const box = client.mailbox as unknown as {uidValidity: bigint; uidNext: number; exists: number}
      const validity = String(box.uidValidity)
      if (state.imap && (state.imap.uidValidity !== validity || state.imap.mailbox !== mailbox)) out.uidValidityChanged = true
      if (!state.imap || out.uidValidityChanged) state.imap = {mailbox, uidValidity: validity, lastUid: 0}
      if (box.exists > 0) {
        const from = state.imap.lastUid + 1
        const size = Math.max(1, opts.batch ?? 200)
        let pending: {uid: number; raw: Buffer}[] = []
        const flush = async () => {
          if (pending.length === 0) return
          const res = await ingestMessages(desk, pending.map((p) => ({name: `imap:${mailbox}/${p.uid}`, raw: p.raw})), {state, batch: size})
          out.outcomes.push(...res.outcomes)
          out.commits.push(...res.commits)
          const uids = pending.map((p) => p.uid)
          if (!opts.keep) {
            await ensureFolder(client, processed)
            await client.messageMove(uids.join(','), processed, {uid: true})
            out.moved += uids.length
          }
          state.imap!.lastUid = Math.max(state.imap!.lastUid, ...uids)
          saveState(desk, state)
          pending = []
        }
        // The UIDs first, then the messages in chunks: the connection does one thing at a time.
        const found = await client.search({uid: `${from}:*`}, {uid: true})
        const uids = (Array.isArray(found) ? found : []).filter((u) => u >= from).sort((a, b) => a - b)
        for (let i = 0; i < uids.length; i += size) {
          const chunk = uids.slice(i, i + size)
          for await (const msg of client.fetch(chunk.join(','), {uid: true, source: true}, {uid: true})) {
            if (!msg.source) continue
            pending.push({uid: msg.uid, raw: msg.source})
            out.fetched++
          }
          await flush()
        }
      }
    } finally {
      lock.release()
    }
  } finally {
    await client.logout().catch(() => client.close())
  }
  if (!opts.state) saveState(desk, state)
  return out
}

const made = new WeakSet<object>()
async function ensureFolder(client: Awaited<ReturnType<typeof imapClient>>, folder: string): Promise<void> {
  if (made.has(client)) return
  const list = await client.list()
  if (!list.some((m) => m.path === folder)) await client.mailboxCreate(folder).catch(() => {})
  made.add(client)
}
