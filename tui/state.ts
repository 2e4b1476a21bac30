// Where the person is in the TUI and what is open over it, as one reducer: the screen and the pane
// with the focus, the queue's view, filter, order and selection (queueReducer), scroll positions,
// the help, the filter line, a prompt, list or question over the screen (an overlay), the new-ticket
// form, and the line at the bottom. Pure: the keys (hooks/useAppKeys.ts) and the flows that run the
// actions (hooks/useFlows.ts) dispatch to it, and App.tsx draws from it.
import {VIEWS} from '../src/domain/queue/views.js'
import type {Flow} from './actions.js'
import {initialQueue, queueReducer, type QueueAction, type QueueState} from './hooks/useQueue.js'
import type {Scope} from './keys.js'
import type {Tone} from './theme.js'

export type Screen = 'queue' | 'detail' | 'dashboard'
export type Status = {text: string; tone?: Tone} | null
/** The flows that stay open over the screen until answered. */
export type OverlayFlow = Extract<Flow, {kind: 'prompt' | 'picker' | 'confirm'}>

export interface Overlay {
  flow: OverlayFlow
  error: string | null
  /** Its action runs: the field stays (a refused text is still there to fix) but takes no keys. */
  busy: boolean
  /** Text put in from outside (back from $EDITOR); `version` tells the field to take it. */
  value?: {text: string; version: number}
  /** Lines typed so far (a multi-line prompt grows with them). */
  lines?: number
}

export interface UiState {
  screen: Screen
  /** On a wide terminal the queue has two panes: the list and the selected ticket beside it. */
  pane: 'list' | 'preview'
  queue: QueueState
  /** The ticket open on the detail screen, the screen it was opened from, and its scroll. */
  detail: {id: string; from: Screen; scroll: number} | null
  /** The preview pane's scroll, for the ticket it was scrolled on (another ticket starts at the top). */
  preview: {id: string | null; scroll: number}
  /** The selected row of the dashboard's unanswered tickets. */
  dashRow: number
  help: {scroll: number} | null
  filtering: boolean
  overlay: Overlay | null
  form: {busy: boolean} | null
  status: Status
  /** A running action without a field (a sync, a reopen): its spinner label. */
  busy: string | null
}

/** Scroll or move by rows, or to an end. */
export type Move = number | 'top' | 'bottom'

export type UiAction =
  | {type: 'queue'; action: QueueAction}
  /** A saved view by its key: shown on the list, its description on the status line. */
  | {type: 'view'; key: string}
  /** Tab / Shift-Tab: list, preview (wide terminals), dashboard, round. */
  | {type: 'place'; delta: 1 | -1; wide: boolean}
  | {type: 'open'; id: string}
  | {type: 'back'}
  | {type: 'scroll'; pane: 'detail' | 'help'; by: Move; max: number}
  | {type: 'scroll'; pane: 'preview'; id: string; by: Move; max: number}
  | {type: 'dash'; by: Move; count: number}
  | {type: 'help'}
  | {type: 'filter'; open: boolean; keep?: boolean}
  | {type: 'overlay'; flow: OverlayFlow}
  | {type: 'overlay-busy'}
  | {type: 'overlay-error'; error: string}
  | {type: 'overlay-value'; text: string}
  | {type: 'overlay-lines'; lines: number}
  | {type: 'close'; status?: Status}
  | {type: 'form'; busy: boolean}
  | {type: 'status'; status: Status}
  | {type: 'busy'; label: string | null}
  /** A change was made: select its ticket, show the end of the thread, say what changed. */
  | {type: 'changed'; select?: string; message?: string}

export function initialUi(opts: {view?: string; filter?: string; notice?: string} = {}): UiState {
  return {
    screen: 'queue',
    pane: 'list',
    queue: initialQueue(opts),
    detail: null,
    preview: {id: null, scroll: 0},
    dashRow: 0,
    help: null,
    filtering: false,
    overlay: null,
    form: null,
    status: opts.notice ? {text: opts.notice, tone: 'warn'} : null,
    busy: null,
  }
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n))
const moved = (at: number, by: Move, max: number) => (by === 'top' ? 0 : by === 'bottom' ? max : clamp(Math.min(max, at) + by, 0, max))

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'queue':
      return {...s, queue: queueReducer(s.queue, a.action)}
    case 'view': {
      const v = VIEWS.find((x) => x.key === a.key)
      if (!v) return s
      return {...s, queue: queueReducer(s.queue, {type: 'view', viewId: v.id}), screen: 'queue', pane: 'list', status: {text: `${v.label}: ${v.description}.`}}
    }
    case 'place': {
      const places = a.wide ? (['list', 'preview', 'dashboard'] as const) : (['list', 'dashboard'] as const)
      const here = s.screen === 'dashboard' ? 'dashboard' : a.wide && s.pane === 'preview' ? 'preview' : 'list'
      const next = places[(places.indexOf(here as never) + a.delta + places.length) % places.length]!
      return next === 'dashboard' ? {...s, screen: 'dashboard'} : {...s, screen: 'queue', pane: next}
    }
    case 'open':
      return {...s, screen: 'detail', detail: {id: a.id, from: s.screen === 'detail' ? (s.detail?.from ?? 'queue') : s.screen, scroll: 0}}
    case 'back':
      if (s.help) return {...s, help: null}
      if (s.screen === 'detail') return {...s, screen: s.detail?.from ?? 'queue'}
      if (s.screen === 'dashboard') return {...s, screen: 'queue'}
      return {...s, pane: 'list'}
    case 'scroll':
      if (a.pane === 'detail') return s.detail ? {...s, detail: {...s.detail, scroll: moved(s.detail.scroll, a.by, a.max)}} : s
      if (a.pane === 'preview') return {...s, preview: {id: a.id, scroll: moved(previewScroll(s, a.id), a.by, a.max)}}
      return s.help ? {...s, help: {scroll: moved(s.help.scroll, a.by, a.max)}} : s
    case 'dash':
      return {...s, dashRow: moved(s.dashRow, a.by, Math.max(0, a.count - 1))}
    case 'help':
      return {...s, help: s.help ? null : {scroll: 0}}
    case 'filter':
      if (a.open) return {...s, filtering: true}
      return {...s, filtering: false, queue: a.keep ? s.queue : queueReducer(s.queue, {type: 'filter', text: ''})}
    case 'overlay':
      return {...s, overlay: {flow: a.flow, error: null, busy: false}}
    case 'overlay-busy':
      return s.overlay ? {...s, overlay: {...s.overlay, busy: true, error: null}} : s
    case 'overlay-error':
      return s.overlay ? {...s, overlay: {...s.overlay, busy: false, error: a.error}} : s
    case 'overlay-value':
      return s.overlay ? {...s, overlay: {...s.overlay, error: null, value: {text: a.text, version: (s.overlay.value?.version ?? 0) + 1}}} : s
    case 'overlay-lines':
      return s.overlay && s.overlay.lines !== a.lines ? {...s, overlay: {...s.overlay, lines: a.lines}} : s
    case 'close':
      return {...s, overlay: null, form: null, status: a.status === undefined ? s.status : a.status}
    case 'form':
      return {...s, form: {busy: a.busy}}
    case 'status':
      return {...s, status: a.status}
    case 'busy':
      return {...s, busy: a.label}
    case 'changed':
      return {
        ...s,
        queue: a.select ? queueReducer(s.queue, {type: 'select', id: a.select}) : s.queue,
        // In a ticket, what was just added is at the end of the thread: show it.
        detail: s.detail && {...s.detail, scroll: Number.MAX_SAFE_INTEGER},
        preview: {id: a.select ?? s.preview.id, scroll: Number.MAX_SAFE_INTEGER},
        status: a.message ? {text: a.message, tone: 'ok'} : s.status,
      }
  }
}

/** How far the preview of ticket `id` is scrolled. */
export const previewScroll = (s: UiState, id: string | null | undefined) => (s.preview.id === id ? s.preview.scroll : 0)

/** What has the keys: the innermost thing open, else the screen (or pane) showing. */
export type Focus = 'form' | 'overlay' | 'filter' | 'help' | 'queue' | 'preview' | 'detail' | 'dashboard'

export function focusOf(s: UiState, wide: boolean): Focus {
  if (s.form) return 'form'
  if (s.overlay) return 'overlay'
  if (s.filtering) return 'filter'
  if (s.help) return 'help'
  if (s.screen === 'queue') return wide && s.pane === 'preview' ? 'preview' : 'queue'
  return s.screen
}

/** The bindings in force (tui/keys.ts), for the footer. */
export function keyScope(s: UiState, wide: boolean): Scope {
  const focus = focusOf(s, wide)
  if (focus === 'overlay') {
    const f = s.overlay!.flow
    return f.kind === 'picker' ? 'picker' : f.kind === 'confirm' ? 'confirm' : f.multiline ? 'input' : 'line'
  }
  return focus === 'preview' ? 'detail' : focus
}
