// The keys of the screens (the queue, a ticket, the preview pane, the dashboard, the help) mapped to
// the TUI's state actions (tui/state.ts) and to the ticket actions (tui/actions.ts). Fields, lists
// and questions take their own keys; only the one with the focus listens.
import {useApp} from 'ink'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {ACTIONS} from '../actions.js'
import {bindingFor, keyNames, type ActionId} from '../keys.js'
import {maxScroll} from '../screens/DetailScreen.js'
import type {Focus, Move, UiAction} from '../state.js'
import type {QueueAction} from './useQueue.js'
import {useKeyInput} from './keyRouter.js'
import {useKeys, type Handlers} from './useKeys.js'

export interface AppKeys {
  /** Null while nothing takes keys (the terminal is too small). */
  focus: Focus | null
  /** The queue shows the selected ticket beside the list (a wide terminal). */
  wide: boolean
  dispatch: (a: UiAction) => void
  startAction: (action: ActionId, ticket: TicketSummary | null) => void
  /** The queue's list and how many rows of it show. */
  list: readonly TicketSummary[]
  listRows: number
  /** The ticket each screen acts on. */
  selected: TicketSummary | null
  detailTicket: TicketSummary | null
  dashTicket: TicketSummary | null
  dashCount: number
  filterText: string
  /** The height of the content area, and the lines each scrolled view has. */
  height: number
  lines: {detail: number; preview: number; help: number}
  /** Ctrl-L: re-read the desk and draw everything again. */
  refresh: () => void
}

export function useAppKeys(k: AppKeys): void {
  const {exit} = useApp()
  const {dispatch} = k
  const page = Math.max(1, k.height - 4)
  const ticketActions = (ticket: TicketSummary | null): Handlers => {
    const h: Handlers = {}
    for (const a of Object.keys(ACTIONS) as ActionId[]) h[a] = () => k.startAction(a, ticket)
    h.help = () => dispatch({type: 'help'})
    h.view = (_b, key) => dispatch({type: 'view', key})
    h['next-place'] = () => dispatch({type: 'place', delta: 1, wide: k.wide})
    h['prev-place'] = () => dispatch({type: 'place', delta: -1, wide: k.wide})
    return h
  }
  const moves = (go: (by: Move) => void, step: number): Handlers => ({
    down: () => go(1),
    up: () => go(-1),
    top: () => go('top'),
    bottom: () => go('bottom'),
    'page-down': () => go(step),
    'page-up': () => go(-step),
  })
  const nav = {list: k.list, height: k.listRows}
  const queue = (action: QueueAction) => dispatch({type: 'queue', action})

  useKeys(
    'queue',
    {
      ...ticketActions(k.selected),
      down: () => queue({type: 'move', delta: 1, ...nav}),
      up: () => queue({type: 'move', delta: -1, ...nav}),
      top: () => queue({type: 'jump', to: 'top', ...nav}),
      bottom: () => queue({type: 'jump', to: 'bottom', ...nav}),
      'page-down': () => queue({type: 'page', dir: 1, ...nav}),
      'page-up': () => queue({type: 'page', dir: -1, ...nav}),
      open: () => k.selected && dispatch({type: 'open', id: k.selected.id}),
      // (the search text of every thread loads as the filter opens, before the first word is typed)
      filter: () => dispatch({type: 'filter', open: true}),
      'clear-filter': () => {
        if (k.filterText === '') return exit()
        queue({type: 'filter', text: ''})
        dispatch({type: 'status', status: {text: 'Filter cleared.'}})
      },
      sort: () => queue({type: 'sort'}),
      quit: () => exit(),
    },
    {isActive: k.focus === 'queue'},
  )

  useKeys(
    'detail',
    {
      ...ticketActions(k.detailTicket),
      ...moves((by) => dispatch({type: 'scroll', pane: 'detail', by, max: maxScroll(k.lines.detail, k.height)}), page),
      back: () => dispatch({type: 'back'}),
    },
    {isActive: k.focus === 'detail'},
  )

  useKeys(
    'detail',
    {
      ...ticketActions(k.selected),
      ...moves((by) => k.selected && dispatch({type: 'scroll', pane: 'preview', id: k.selected.id, by, max: maxScroll(k.lines.preview, k.height)}), page),
      back: () => dispatch({type: 'back'}),
    },
    {isActive: k.focus === 'preview'},
  )

  useKeys(
    'dashboard',
    {
      ...ticketActions(k.dashTicket),
      ...moves((by) => dispatch({type: 'dash', by, count: k.dashCount}), k.height),
      open: () => k.dashTicket && dispatch({type: 'open', id: k.dashTicket.id}),
      back: () => dispatch({type: 'back'}),
    },
    {isActive: k.focus === 'dashboard'},
  )

  useKeys(
    'help',
    {
      ...moves((by) => dispatch({type: 'scroll', pane: 'help', by, max: Math.max(0, k.lines.help - k.height + 1)}), k.height - 2),
      back: () => dispatch({type: 'back'}),
      help: () => dispatch({type: 'back'}),
    },
    {isActive: k.focus === 'help'},
  )

  // Keys that work everywhere, whatever has the focus.
  useKeyInput((input, key) => {
    for (const name of keyNames(input, key)) {
      const b = bindingFor('global', name)
      if (b?.action === 'quit' && name === 'ctrl+c') return exit()
      if (b?.action === 'redraw') k.refresh()
    }
  })
}
