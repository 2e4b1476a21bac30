// Saved views of the queue and the sort orders, as data: the TUI puts views on the number keys and
// cycles the sorts; other parts of tix can replace an entry (e.g. "at risk" once SLA clocks exist).
import type {SortKey, TicketQuery} from './query.js'

export interface ViewContext {
  /** The acting agent's id (e-mail). */
  me: string
  /** Whether the desk has SLA policies (tickets then carry `sla.state`). */
  hasSla?: boolean
}

export interface SavedView {
  /** The key that selects it (also its place in the list). */
  key: string
  id: string
  label: string
  description: string
  query: (ctx: ViewContext) => TicketQuery
  /** The order the view opens in; the person can cycle away from it. */
  sort?: SortKey
}

export const VIEWS: SavedView[] = [
  {key: '1', id: 'mine', label: 'Mine', description: 'Unresolved tickets assigned to you', query: ({me}) => ({assignees: [me]}), sort: 'priority'},
  {key: '2', id: 'unassigned', label: 'Unassigned', description: 'Unresolved tickets nobody has taken', query: () => ({unassigned: true}), sort: 'age'},
  {
    key: '3',
    id: 'at-risk',
    label: 'At risk',
    // SLA breached or in its warning window; on a desk without SLA policies, urgent and high tickets.
    description: 'SLA breached or at risk, soonest due first (on a desk without SLA policies: urgent and high priority)',
    query: ({hasSla}) => (hasSla ? {sla: ['breached', 'at-risk']} : {priorities: ['urgent', 'high']}),
    sort: 'due',
  },
  {key: '4', id: 'new', label: 'New', description: 'Nobody has acted on these yet', query: () => ({statuses: ['new']}), sort: 'age'},
  {key: '5', id: 'open', label: 'All open', description: 'Every unresolved ticket (new, open, pending, on-hold)', query: () => ({}), sort: 'priority'},
  {key: '6', id: 'all', label: 'All', description: 'Every ticket, resolved and closed included', query: () => ({all: true}), sort: 'updated'},
]

export const DEFAULT_VIEW = 'open'

export interface SortChoice {
  key: SortKey
  label: string
}

/** The orders `o` cycles through ("SLA due" keeps its place on desks without SLA: then it orders by priority). */
export const SORTS: SortChoice[] = [
  {key: 'priority', label: 'priority'},
  {key: 'due', label: 'SLA due'},
  {key: 'updated', label: 'updated'},
  {key: 'age', label: 'oldest'},
  {key: 'created', label: 'newest'},
]

export const findView = (id: string): SavedView | undefined => VIEWS.find((v) => v.id === id || v.key === id)
