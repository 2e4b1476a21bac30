// Every key binding of the TUI, as data. The screens look their keys up here, and the footer and
// the help overlay render this same list, so what the help says is what the keys do.
import type {Key} from 'ink'
import {FILTER_HELP} from '../src/domain/queue/filter.js'
import {SORTS, VIEWS} from '../src/domain/queue/views.js'

/** Where a key applies: a screen, or a kind of field ('input' many lines, 'line' one line). */
export type Scope = 'global' | 'queue' | 'detail' | 'dashboard' | 'help' | 'input' | 'line' | 'filter' | 'picker' | 'confirm' | 'form'

export type ActionId =
  | 'quit'
  | 'back'
  | 'help'
  | 'next-place'
  | 'prev-place'
  | 'redraw'
  | 'up'
  | 'down'
  | 'top'
  | 'bottom'
  | 'page-up'
  | 'page-down'
  | 'open'
  | 'filter'
  | 'clear-filter'
  | 'sort'
  | 'view'
  | 'reply'
  | 'note'
  | 'reply-editor'
  | 'assign'
  | 'status'
  | 'resolve'
  | 'close'
  | 'reopen'
  | 'priority'
  | 'tags'
  | 'new'
  | 'escalate'
  | 'macro'
  | 'kb'
  | 'rate'
  | 'auto-assign'
  | 'sync'
  | 'submit'
  | 'newline'
  | 'editor'
  | 'cancel'
  | 'next-field'
  | 'prev-field'
  | 'choice-next'
  | 'choice-prev'
  | 'yes'
  | 'no'

export interface Binding {
  /** The heading it is listed under in the help. */
  group: string
  action: ActionId
  /** Normalised key names (see keyNames): 'j', 'down', 'enter', 'ctrl+c', 'shift+tab', ... */
  keys: string[]
  scopes: Scope[]
  /** The sentence in the help overlay. */
  help: string
  /** The short label in the footer; bindings without one appear only in the help. */
  footer?: string
  /** How the footer writes the keys when not just the first one ('j/k', '1-6'). */
  footerKeys?: string
  /** Place in the footer (lower first); a narrow terminal shows only the first few. */
  rank?: number
}

const LISTS: Scope[] = ['queue', 'detail', 'dashboard', 'help']
const TICKET: Scope[] = ['queue', 'detail']
const SCREENS: Scope[] = ['queue', 'detail', 'dashboard']

export const BINDINGS: Binding[] = [
  // moving around
  {group: 'Moving around', action: 'down', keys: ['j', 'down'], scopes: LISTS, help: 'Move down (scroll, in a ticket)', footer: 'move', footerKeys: 'j/k', rank: 1},
  {group: 'Moving around', action: 'up', keys: ['k', 'up'], scopes: LISTS, help: 'Move up'},
  {group: 'Moving around', action: 'top', keys: ['g', 'home'], scopes: LISTS, help: 'Go to the top'},
  {group: 'Moving around', action: 'bottom', keys: ['G', 'end'], scopes: LISTS, help: 'Go to the bottom'},
  {group: 'Moving around', action: 'page-down', keys: ['pagedown', 'ctrl+d', 'space'], scopes: LISTS, help: 'Page down'},
  {group: 'Moving around', action: 'page-up', keys: ['pageup', 'ctrl+u'], scopes: LISTS, help: 'Page up'},
  {group: 'Moving around', action: 'open', keys: ['enter'], scopes: ['queue', 'dashboard'], help: 'Open the selected ticket', footer: 'open', rank: 2},
  {group: 'Moving around', action: 'back', keys: ['esc', 'q'], scopes: ['detail', 'dashboard', 'help'], help: 'Back', footer: 'back', rank: 2},
  {group: 'Moving around', action: 'next-place', keys: ['tab'], scopes: SCREENS, help: 'Next pane or screen: queue, preview (wide terminals), dashboard', footer: 'pane', rank: 13},
  {group: 'Moving around', action: 'prev-place', keys: ['shift+tab'], scopes: SCREENS, help: 'Previous pane or screen'},
  {group: 'Moving around', action: 'help', keys: ['?'], scopes: [...SCREENS, 'help'], help: 'Show or hide this help', footer: 'help', rank: 0},
  // the queue
  {group: 'The queue', action: 'view', keys: VIEWS.map((v) => v.key), scopes: SCREENS, help: `Saved views: ${VIEWS.map((v) => `${v.key} ${v.label}`).join(', ')}`, footer: 'views', rank: 11, footerKeys: `${VIEWS[0]!.key}-${VIEWS.at(-1)!.key}`},
  {group: 'The queue', action: 'filter', keys: ['/'], scopes: ['queue'], help: `Filter as you type: ${FILTER_HELP}`, footer: 'filter', rank: 3},
  {group: 'The queue', action: 'sort', keys: ['o'], scopes: ['queue'], help: `Change the order: ${SORTS.map((s) => s.label).join(', ')}`, footer: 'order', rank: 12},
  {group: 'The queue', action: 'clear-filter', keys: ['esc'], scopes: ['queue'], help: 'Clear the filter (quits when there is none)'},
  {group: 'The queue', action: 'quit', keys: ['q'], scopes: ['queue'], help: 'Quit', footer: 'quit', rank: 2},
  // actions on a ticket: the same operations as the CLI commands
  {group: 'The selected ticket', action: 'reply', keys: ['r'], scopes: TICKET, help: 'Reply in public (tix reply)', footer: 'reply', rank: 4},
  {group: 'The selected ticket', action: 'note', keys: ['n'], scopes: TICKET, help: 'Add an internal note (tix note)', footer: 'note', rank: 5},
  {group: 'The selected ticket', action: 'reply-editor', keys: ['e'], scopes: TICKET, help: 'Write a reply in $EDITOR (tix reply --body-file)'},
  {group: 'The selected ticket', action: 'assign', keys: ['a'], scopes: TICKET, help: 'Assign to an agent, yourself or nobody (tix assign)', footer: 'assign', rank: 6},
  {group: 'The selected ticket', action: 'status', keys: ['s'], scopes: TICKET, help: 'Change the status (tix status)', footer: 'status', rank: 7},
  {group: 'The selected ticket', action: 'resolve', keys: ['x'], scopes: TICKET, help: 'Resolve, saying what solved it (tix resolve)', footer: 'resolve', rank: 8},
  {group: 'The selected ticket', action: 'close', keys: ['X'], scopes: TICKET, help: 'Close; closed is final (tix close)'},
  {group: 'The selected ticket', action: 'reopen', keys: ['R'], scopes: TICKET, help: 'Reopen a resolved or closed ticket (tix reopen)'},
  {group: 'The selected ticket', action: 'priority', keys: ['p'], scopes: TICKET, help: 'Change the priority (tix set --priority)'},
  {group: 'The selected ticket', action: 'tags', keys: ['t'], scopes: TICKET, help: 'Add or remove tags: "vpn -printer" (tix set --add-tag/--remove-tag)'},
  {group: 'The selected ticket', action: 'escalate', keys: ['E'], scopes: TICKET, help: 'Escalate, with the reason (tix escalate)'},
  {group: 'The selected ticket', action: 'macro', keys: ['m'], scopes: TICKET, help: 'Apply a macro (tix macro apply)'},
  {group: 'The selected ticket', action: 'kb', keys: ['K'], scopes: TICKET, help: 'Search the knowledge base and insert an article into a reply (tix reply --article)'},
  {group: 'The selected ticket', action: 'rate', keys: ['*'], scopes: TICKET, help: 'Record a rating (tix rate)'},
  {group: 'The selected ticket', action: 'auto-assign', keys: ['A'], scopes: TICKET, help: "Assign by the department's strategy (tix assign --auto)"},
  // the desk
  {group: 'The desk', action: 'new', keys: ['c'], scopes: SCREENS, help: 'Create a ticket (tix new)', footer: 'new', rank: 10},
  {group: 'The desk', action: 'sync', keys: ['S'], scopes: SCREENS, help: 'Sync with the remote (tix sync)', footer: 'sync', rank: 9},
  {group: 'The desk', action: 'redraw', keys: ['ctrl+l'], scopes: ['global'], help: 'Re-read the desk and redraw the screen'},
  {group: 'The desk', action: 'quit', keys: ['ctrl+c'], scopes: ['global'], help: 'Quit at once, from anywhere'},
  // typing an answer
  {group: 'Typing', action: 'submit', keys: ['enter'], scopes: ['input', 'line'], help: 'Send (a reply, a note, an answer)', footer: 'send', rank: 1},
  {group: 'Typing', action: 'submit', keys: ['enter'], scopes: ['filter'], help: 'Keep the filter and go back to the list', footer: 'keep', rank: 1},
  {group: 'Typing', action: 'submit', keys: ['enter'], scopes: ['picker'], help: 'Take the selected choice', footer: 'choose'},
  {group: 'Typing', action: 'newline', keys: ['alt+enter'], scopes: ['input', 'form'], help: 'New line (reply, note, body)', footer: 'new line', rank: 6},
  {group: 'Typing', action: 'editor', keys: ['ctrl+e'], scopes: ['input', 'form'], help: 'Continue the text in $EDITOR', footer: '$EDITOR', rank: 5},
  {group: 'Typing', action: 'cancel', keys: ['esc'], scopes: ['input', 'line', 'picker', 'form'], help: 'Cancel', footer: 'cancel', rank: 3},
  {group: 'Typing', action: 'cancel', keys: ['esc'], scopes: ['filter'], help: 'Clear the filter', footer: 'clear', rank: 3},
  {group: 'Typing', action: 'down', keys: ['down', 'ctrl+n'], scopes: ['picker'], help: 'Next choice (type to narrow the list)', footer: 'move', footerKeys: '↑/↓'},
  {group: 'Typing', action: 'up', keys: ['up', 'ctrl+p'], scopes: ['picker'], help: 'Previous choice'},
  {group: 'Typing', action: 'yes', keys: ['y', 'Y'], scopes: ['confirm'], help: 'Yes, do it (closing a ticket)', footer: 'yes'},
  {group: 'Typing', action: 'no', keys: ['n', 'N', 'esc', 'enter'], scopes: ['confirm'], help: 'No, leave it as it is', footer: 'no'},
  // the new-ticket form
  {group: 'New ticket form', action: 'next-field', keys: ['tab', 'down', 'enter'], scopes: ['form'], help: 'Next field', footer: 'next field', footerKeys: 'Tab/↓', rank: 1},
  {group: 'New ticket form', action: 'prev-field', keys: ['shift+tab', 'up'], scopes: ['form'], help: 'Previous field'},
  {group: 'New ticket form', action: 'choice-next', keys: ['right', 'space'], scopes: ['form'], help: 'Next value of priority, type or channel', footer: 'value', footerKeys: '←/→', rank: 2},
  {group: 'New ticket form', action: 'choice-prev', keys: ['left'], scopes: ['form'], help: 'Previous value'},
  {group: 'New ticket form', action: 'submit', keys: ['ctrl+s'], scopes: ['form'], help: 'Create the ticket', footer: 'create', rank: 0},
]

/** The names of the keys in one input event (several when keys arrive together, e.g. a paste). */
export function keyNames(input: string, key: Key): string[] {
  if (key.upArrow) return ['up']
  if (key.downArrow) return ['down']
  if (key.leftArrow) return ['left']
  if (key.rightArrow) return ['right']
  if (key.pageUp) return ['pageup']
  if (key.pageDown) return ['pagedown']
  if (key.home) return ['home']
  if (key.end) return ['end']
  if (key.return) return [key.meta ? 'alt+enter' : 'enter']
  if (key.escape) return ['esc']
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab']
  if (key.backspace || key.delete) return ['backspace']
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`]
  if (key.meta && input.length === 1) return [`alt+${input}`]
  return [...input].map((ch) => (ch === ' ' ? 'space' : ch === '\r' ? 'enter' : ch))
}

/** The binding a key triggers in a scope (global bindings apply everywhere). */
export function bindingFor(scope: Scope, name: string): Binding | undefined {
  return BINDINGS.find((b) => b.scopes.includes(scope) && b.keys.includes(name)) ?? BINDINGS.find((b) => b.scopes.includes('global') && b.keys.includes(name))
}

const KEY_LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  enter: 'Enter',
  'alt+enter': 'Alt-Enter',
  esc: 'Esc',
  tab: 'Tab',
  'shift+tab': 'S-Tab',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  space: 'Space',
  backspace: 'Bksp',
}

export function keyLabel(name: string): string {
  if (KEY_LABELS[name]) return KEY_LABELS[name]
  const ctrl = /^ctrl\+(.)$/.exec(name)
  if (ctrl) return `^${ctrl[1]!.toUpperCase()}`
  return name
}

export interface FooterItem {
  keys: string
  label: string
}

/** The footer of a scope: its bindings that have a footer label, by rank (help first: never cut). */
export function footerItems(scope: Scope): FooterItem[] {
  const out: (FooterItem & {rank: number})[] = []
  for (const b of BINDINGS) {
    if (!b.footer || !b.scopes.includes(scope)) continue
    out.push({keys: b.footerKeys ?? keyLabel(b.keys[0]!), label: b.footer, rank: b.rank ?? 50})
  }
  return out.sort((a, b) => a.rank - b.rank).map(({keys, label}) => ({keys, label}))
}

export interface HelpSection {
  title: string
  rows: {keys: string; help: string}[]
}

/** Every binding, by group, for the help overlay (one row per binding, all its keys). */
export function helpSections(): HelpSection[] {
  const out: HelpSection[] = []
  for (const b of BINDINGS) {
    let section = out.find((s) => s.title === b.group)
    if (!section) out.push((section = {title: b.group, rows: []}))
    const keys = b.action === 'view' ? b.footerKeys! : b.keys.map(keyLabel).join(' ')
    section.rows.push({keys, help: b.help})
  }
  return out
}
