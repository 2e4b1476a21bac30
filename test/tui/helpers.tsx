// TUI test helpers: desks with many tickets written in one commit, and the App rendered with
// ink-testing-library at a chosen terminal size.
import {cleanup, render} from 'ink-testing-library'
import {afterEach} from 'vitest'
import {App, type AppProps} from '../../tui/App.js'
import {newId} from '../../src/domain/ticket/ids.js'
import type {NewEvent} from '../../src/domain/ticket/ticket-ops.js'
import {serializeEvent, type EventBase} from '../../src/domain/ticket/events.js'
import {ticketPath, type Desk} from '../../src/store/desk.js'
import {makeDesk} from '../helpers.js'

// A test that fails half-way still leaves no app running (and polling) behind it.
afterEach(() => cleanup())

export const NOW = '2026-03-12T12:00:00.000Z'

export interface SeedTicket {
  title: string
  body?: string
  priority?: 'low' | 'normal' | 'high' | 'urgent'
  status?: 'new' | 'open' | 'pending' | 'on-hold' | 'resolved' | 'closed'
  assignee?: string | null
  department?: string | null
  tags?: string[]
  channel?: string
  requester?: {name: string | null; email: string | null}
  createdAt?: string
  resolvedAt?: string
  replies?: {body: string; by?: string; at?: string}[]
  notes?: {body: string; at?: string}[]
}

let counter = 0
/** Deterministic, valid ticket/event ids (tests compare frames). */
export function testId(n: number, length = 10): string {
  const bytes = new Uint8Array(Math.ceil((length * 5) / 8))
  let x = (n * 2654435761 + 12345) >>> 0
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  return newId(bytes, length)
}

/** Writes tickets in one commit (the way an import would), with their history. */
export async function seed(desk: Desk, tickets: SeedTicket[]): Promise<string[]> {
  const ids: string[] = []
  const plan: {id: string; events: NewEvent[]}[] = []
  for (const t of tickets) {
    const id = testId(++counter)
    ids.push(id)
    const at = t.createdAt ?? NOW
    const ev = (type: string, extra: Record<string, unknown>, when = at, by = 'agent@example.com'): NewEvent =>
      ({v: 1, id: testId(++counter, 16), at: when, by, type, ...extra}) as NewEvent
    const events: NewEvent[] = [
      ev('create', {
        ticket: id,
        title: t.title,
        body: t.body ?? '',
        requester: t.requester ?? {name: 'Requester', email: 'req@example.com'},
        channel: t.channel ?? 'email',
        priority: t.priority ?? 'normal',
        ticketType: 'question',
        tags: t.tags ?? [],
        department: t.department ?? null,
        assignee: t.assignee ?? null,
      }),
    ]
    let status = 'new'
    for (const r of t.replies ?? []) {
      events.push(ev('reply', {body: r.body, ...(r.by ? {author: r.by} : {})}, r.at ?? at))
      if (status === 'new' && !r.by) {
        events.push(ev('status', {from: 'new', to: 'open'}, r.at ?? at))
        status = 'open'
      }
    }
    for (const n of t.notes ?? []) events.push(ev('note', {body: n.body}, n.at ?? at))
    const target = t.status ?? status
    if (target !== status) {
      const when = t.resolvedAt ?? at
      events.push(ev('status', {from: status, to: target, ...(target === 'resolved' || target === 'closed' ? {resolution: 'Fixed'} : {})}, when))
    }
    plan.push({id, events})
  }
  // Straight to files, one commit (Desk.change reads every ticket first, which a seed does not need).
  const files = plan.map(({id, events}) => ({
    path: ticketPath(id),
    content: events.map((e, i) => serializeEvent({...e, seq: i + 1} as EventBase)).join('\n') + '\n',
  }))
  await desk.commitFiles(files, `Seed ${tickets.length} tickets`)
  return ids
}

/** `n` tickets with varied fields, about 90% of them resolved when `done` is set. */
export function many(n: number, opts: {done?: number} = {}): SeedTicket[] {
  const pri = ['low', 'normal', 'high', 'urgent'] as const
  const depts = ['it', 'facilities', 'hr', null]
  const out: SeedTicket[] = []
  for (let i = 0; i < n; i++) {
    const created = new Date(Date.parse(NOW) - (n - i) * 60_000).toISOString()
    out.push({
      title: `Ticket number ${i}`,
      priority: pri[i % 4],
      department: depts[i % 4],
      assignee: i % 3 === 0 ? null : `agent${i % 5}@example.com`,
      tags: i % 7 === 0 ? ['vpn'] : [],
      createdAt: created,
      status: opts.done && i % 10 < opts.done ? 'resolved' : 'new',
    })
  }
  return out
}

export async function deskWith(tickets: SeedTicket[], env: NodeJS.ProcessEnv = {}) {
  const made = await makeDesk({TIX_NOW: NOW, ...env})
  const ids = await seed(made.desk, tickets)
  return {...made, ids}
}

export function renderApp(desk: Desk, props: Partial<AppProps> = {}) {
  const r = render(<App desk={desk} pollMs={50} size={{columns: 100, rows: 30}} env={{...process.env, TIX_NOW: NOW}} {...props} />)
  const frame = () => r.lastFrame() ?? ''
  return {
    ...r,
    frame,
    /** Types keys one event at a time (as a person does), letting the app settle in between. */
    async press(...keys: string[]) {
      for (const k of keys) {
        r.stdin.write(k)
        await tick(k === ESC ? 20 : 2)
      }
    },
    // Generous: on a machine whose cores are all busy, a commit and the frame after it can take seconds.
    async waitFor(test: string | RegExp | ((frame: string) => boolean), timeout = 15_000): Promise<string> {
      const ok = typeof test === 'string' ? (f: string) => f.includes(test) : test instanceof RegExp ? (f: string) => test.test(f) : test
      const start = Date.now()
      while (Date.now() - start < timeout) {
        if (ok(frame())) return frame()
        await tick(10)
      }
      throw new Error(`Timed out waiting for ${String(test)}. Last frame:\n${frame()}`)
    },
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms))

export const ESC = '\u001B'
export const ENTER = '\r'
export const DOWN = '\u001B[B'
export const UP = '\u001B[A'
export const RIGHT = '\u001B[C'
export const TAB = '\t'
export const BACKSPACE = '\u007F'
export const ALT_ENTER = '\u001B\r'
export const CTRL_S = '\u0013'
