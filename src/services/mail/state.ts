// The gateway's own memory, in the clone's git common dir (never on the branch): which commit it
// last scanned, the Message-IDs the desk knows (threading, idempotence), tickets that still owe
// mail, IMAP's UIDVALIDITY/UID, and the acknowledgements each sender got lately. Everything but the
// IMAP position and the ack times can be rebuilt from the branch; a lost file costs one full scan.
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {normalizeMessageId} from '../../domain/mail/inbound.js'
import {mailOfEvent, mailsRequester} from '../../domain/mail/outbound.js'
import type {EventBase} from '../../domain/ticket/events.js'
import type {Ticket} from '../../domain/ticket/model.js'
import type {Desk} from '../../store/desk.js'

const VERSION = 1

export interface MailState {
  version: number
  /** A random name for this clone's gateway (on its claims). */
  gateway: string
  /** The branch commit the fields below reflect. */
  scanned: string | null
  /** Message-ID -> ticket id. */
  known: Record<string, string>
  /** Tickets with outgoing mail not yet final. */
  pending: string[]
  imap: {mailbox: string; uidValidity: string; lastUid: number} | null
  /** Sender -> times of the acknowledgements it got (the last hour's). */
  acks: Record<string, string[]>
}

export const statePath = (desk: Desk) => join(desk.repo.commonDir, 'tix-mail', `${desk.branch.replace(/[^A-Za-z0-9._-]/g, '_')}.json`)

export function loadState(desk: Desk): MailState {
  const path = statePath(desk)
  if (existsSync(path)) {
    try {
      const s = JSON.parse(readFileSync(path, 'utf8')) as MailState
      if (s.version === VERSION && typeof s.gateway === 'string') return s
    } catch {
      desk.io.warn(`tix: ${path} is unreadable; the mail gateway rebuilds it from the desk.`)
    }
  }
  const rnd = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(6))).toString('hex')
  return {version: VERSION, gateway: rnd, scanned: null, known: {}, pending: [], imap: null, acks: {}}
}

export function saveState(desk: Desk, state: MailState): void {
  const path = statePath(desk)
  mkdirSync(join(desk.repo.commonDir, 'tix-mail'), {recursive: true})
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state))
  renameSync(tmp, path)
}

/** What one ticket contributes: its Message-IDs, and whether it may still owe mail. */
export function learnTicket(state: MailState, t: Ticket, events: readonly EventBase[], pending: Set<string>): void {
  for (const e of events) {
    const mail = mailOfEvent(e)
    if (mail && typeof mail.messageId === 'string') state.known[normalizeMessageId(mail.messageId)] = t.id
    if (e.type === 'delivery' && typeof e.messageId === 'string') state.known[normalizeMessageId(e.messageId)] = t.id
  }
  if (mailsRequester(t)) pending.add(t.id)
  else pending.delete(t.id)
}

/**
 * Brings the state up to the branch tip: only the tickets that changed since the last scan are
 * read (all of them on the first run or when the old commit is gone).
 */
export async function scan(desk: Desk, state: MailState): Promise<{changed: number; full: boolean}> {
  const tip = desk.requireTip()
  if (state.scanned === tip) return {changed: 0, full: false}
  let ids: string[] | null = null
  if (state.scanned) ids = await desk.changedTickets(state.scanned, tip).catch(() => null)
  const full = ids === null
  if (full) {
    ids = (await desk.index()).ids
    state.known = {}
    state.pending = []
  }
  const pending = new Set(state.pending)
  const CHUNK = 2000
  for (let i = 0; i < ids!.length; i += CHUNK) {
    const loaded = await desk.readTickets(ids!.slice(i, i + CHUNK), tip)
    for (const l of loaded.values()) learnTicket(state, l.ticket, l.events, pending)
  }
  state.pending = [...pending].sort()
  state.scanned = tip
  return {changed: ids!.length, full}
}
