// The queue's state (view, filter, order, selection) as a reducer (part of the TUI's state,
// tui/state.ts), and the list it shows. The selection is kept by ticket id, so a refresh that adds, removes or re-sorts tickets
// leaves the cursor on the same ticket (or, when that ticket left the list, at the same place).
import {useMemo} from 'react'
import {filterHasStatus, filterHasWords, filterMatcher, filterWantsDone, parseFilter, type Filter} from '../../src/domain/queue/filter.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {matcher, sorter, type SortKey} from '../../src/domain/queue/query.js'
import {DEFAULT_VIEW, SORTS, VIEWS, findView, type SavedView} from '../../src/domain/queue/views.js'

export interface QueueState {
  viewId: string
  filterText: string
  sort: SortKey
  selectedId: string | null
  /** Where the cursor was, for when the selected ticket leaves the list. */
  lastCursor: number
  top: number
}

type Nav = {list: readonly TicketSummary[]; height: number}
export type QueueAction =
  | ({type: 'move'; delta: number} & Nav)
  | ({type: 'page'; dir: 1 | -1} & Nav)
  | ({type: 'jump'; to: 'top' | 'bottom'} & Nav)
  | {type: 'view'; viewId: string}
  | {type: 'filter'; text: string}
  | {type: 'sort'}
  | {type: 'select'; id: string}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n))

/** Where the cursor and the first visible row are, for this list and height. */
export function position(s: QueueState, list: readonly TicketSummary[], height: number): {cursor: number; top: number} {
  if (list.length === 0) return {cursor: -1, top: 0}
  let cursor = s.selectedId === null ? -1 : list.findIndex((t) => t.id === s.selectedId)
  if (cursor < 0) cursor = clamp(s.lastCursor, 0, list.length - 1)
  return {cursor, top: keepVisible(s.top, cursor, height, list.length)}
}

function keepVisible(top: number, cursor: number, height: number, count: number): number {
  let t = top
  if (cursor < t) t = cursor
  if (cursor >= t + height) t = cursor - height + 1
  return clamp(t, 0, Math.max(0, count - height))
}

function moveTo(s: QueueState, nav: Nav, cursor: number, top?: number): QueueState {
  if (nav.list.length === 0) return s
  const c = clamp(cursor, 0, nav.list.length - 1)
  return {...s, selectedId: nav.list[c]!.id, lastCursor: c, top: keepVisible(top ?? s.top, c, nav.height, nav.list.length)}
}

export function queueReducer(s: QueueState, a: QueueAction): QueueState {
  switch (a.type) {
    case 'move': {
      const p = position(s, a.list, a.height)
      return moveTo({...s, top: p.top}, a, p.cursor + a.delta)
    }
    case 'page': {
      const p = position(s, a.list, a.height)
      const step = Math.max(1, a.height - 1)
      return moveTo(s, a, p.cursor + a.dir * step, p.top + a.dir * step)
    }
    case 'jump':
      return moveTo(s, a, a.to === 'top' ? 0 : a.list.length - 1)
    case 'view': {
      const v = findView(a.viewId)
      if (!v) return s
      return {...s, viewId: v.id, sort: v.sort ?? s.sort, top: 0, lastCursor: 0, selectedId: s.selectedId}
    }
    case 'filter':
      return {...s, filterText: a.text, top: 0, lastCursor: 0}
    case 'sort': {
      const i = SORTS.findIndex((x) => x.key === s.sort)
      return {...s, sort: SORTS[(i + 1) % SORTS.length]!.key, top: 0}
    }
    case 'select':
      return {...s, selectedId: a.id}
  }
}

export function initialQueue(opts: {view?: string; filter?: string} = {}): QueueState {
  const v = findView(opts.view ?? DEFAULT_VIEW) ?? findView(DEFAULT_VIEW)!
  return {viewId: v.id, filterText: opts.filter ?? '', sort: v.sort ?? 'priority', selectedId: null, lastCursor: 0, top: 0}
}

/** The SLA filter of a view, on the state the desk hook attached (`sla.state`; warning = at-risk). */
const slaTest = (states: readonly string[]) => (t: TicketSummary) => {
  const state = (t as {sla?: {state?: string}}).sla?.state
  if (state === undefined) return states.includes('none')
  return states.includes(state === 'warning' ? 'at-risk' : state === 'breached' ? 'breached' : 'ok')
}

export const hasSla = (tickets: readonly TicketSummary[]) => tickets.some((t) => (t as {sla?: unknown}).sla !== undefined)

/** A view's tickets in order. `anyStatus`: the filter picks statuses (the view's "unresolved only" steps aside). */
export function viewList(tickets: readonly TicketSummary[], view: SavedView, sort: SortKey, ctx: {me: string; anyStatus: boolean; hasSla?: boolean}): TicketSummary[] {
  const q = view.query({me: ctx.me, hasSla: ctx.hasSla ?? hasSla(tickets)})
  if (ctx.anyStatus && !(q.statuses && q.statuses.length > 0)) q.all = true
  const inView = matcher(q, undefined, slaTest(q.sla ?? []))
  return tickets.filter(inView).sort(sorter(sort, {dueOf: (t) => (t as {sla?: {due?: string | null}}).sla?.due ?? null}))
}

/** What a queue state asks of the desk: its view, the parsed filter, and the parts to load. */
export interface QueueQuery {
  view: SavedView
  filter: Filter
  /** The resolved and closed tickets / the search text of every thread. */
  needsDone: boolean
  needsText: boolean
}

export function queueQuery(state: QueueState, me: string): QueueQuery {
  const view = findView(state.viewId) ?? VIEWS[0]!
  const filter = parseFilter(state.filterText, {me})
  return {view, filter, needsDone: Boolean(view.query({me}).all) || filterWantsDone(filter), needsText: filterHasWords(filter)}
}

export const useQueueQuery = (state: QueueState, me: string): QueueQuery => useMemo(() => queueQuery(state, me), [state.viewId, state.filterText, me])

/** The tickets a queue state shows, in order. */
export function useQueueList(state: QueueState, q: QueueQuery, tickets: readonly TicketSummary[], ctx: {me: string; text: Map<string, string> | null}): TicketSummary[] {
  const {view, filter} = q
  const {me, text} = ctx
  // Sorted once per view and order; typing in the filter only narrows that list (it keeps the order).
  const anyStatus = filterHasStatus(filter)
  const base = useMemo(() => viewList(tickets, view, state.sort, {me, anyStatus}), [tickets, view, state.sort, me, anyStatus])
  return useMemo(() => (filter.clauses.length === 0 ? base : base.filter(filterMatcher(filter, text))), [base, filter, text])
}
