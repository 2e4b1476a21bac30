// The help-desk vocabulary (docs/helpdesk.md). The lists are the accepted values for flags,
// config and events; their order is the order people expect (e.g. priority low -> urgent).
export const STATUSES = ['new', 'open', 'pending', 'on-hold', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TYPES = ['question', 'incident', 'problem', 'task'] as const
export const CHANNELS = ['email', 'chat', 'phone', 'web', 'social', 'api', 'ci', 'cli'] as const

export type Status = (typeof STATUSES)[number]
export type Priority = (typeof PRIORITIES)[number]
export type TicketType = (typeof TYPES)[number]
export type Channel = (typeof CHANNELS)[number]

/** Statuses of the working queue: what `tix list` shows by default. */
export const UNRESOLVED: readonly Status[] = ['new', 'open', 'pending', 'on-hold']
export const isUnresolved = (s: Status) => s !== 'resolved' && s !== 'closed'

export interface Person {
  name: string | null
  email: string | null
}

export interface Escalation {
  at: string
  by: string
  fromTier: number
  toTier: number
  fromDept: string | null
  toDept: string | null
  from: string | null
  to: string | null
}

export interface ThreadEntry {
  eventId: string
  kind: 'reply' | 'note'
  public: boolean
  author: string
  at: string
  body: string
}

/** CSAT (docs/reports.md): a 5-point score maps 4-5 good, 3 neutral, 1-2 bad. */
export const RATINGS = ['good', 'neutral', 'bad'] as const
export type Rating = (typeof RATINGS)[number]

/** The latest rating of a ticket (ratings accumulate in the log; the last one counts). */
export interface Satisfaction {
  rating: Rating
  /** The raw 1-5 score when one was given, else null. */
  score: number | null
  comment: string | null
  at: string
  by: string
}

/** `tix link A B --as ...`: each side records the relation from its own point of view. */
export const LINK_KINDS = ['related', 'duplicate', 'blocks'] as const
export type LinkKind = (typeof LINK_KINDS)[number]
export type LinkAs = LinkKind | 'duplicated-by' | 'blocked-by'
export const INVERSE_LINK: Record<LinkAs, LinkAs> = {
  related: 'related',
  duplicate: 'duplicated-by',
  'duplicated-by': 'duplicate',
  blocks: 'blocked-by',
  'blocked-by': 'blocks',
}

export interface TicketLink {
  id: string
  as: LinkAs
}

/** A ticket is the fold of its events (fold.ts). Every field is derived; nothing is stored twice. */
export interface Ticket {
  id: string
  title: string
  body: string
  status: Status
  priority: Priority
  type: TicketType
  channel: Channel
  requester: Person
  assignee: string | null
  department: string | null
  tags: string[]
  tier: number
  fields: Record<string, unknown>
  createdAt: string
  createdBy: string
  updatedAt: string
  firstResponseAt: string | null
  resolvedAt: string | null
  closedAt: string | null
  resolution: string | null
  reopenCount: number
  replyCount: number
  noteCount: number
  /** Status changes in order: SLA clocks and reports read pauses and reopen times from here. */
  statusLog: {at: string; status: Status}[]
  // What the help-desk workflow reads (sla.ts, assignment.ts, workflow.ts). Summaries of 100,000
  // tickets are parsed by reports, so these are absent while empty: read them with `?? []`.
  /** Priority over time, from creation; absent while the priority never changed. SLA targets re-target on a change. */
  priorityLog?: {at: string; priority: Priority}[]
  /** Public replies in order (times and authors, never bodies): SLA response clocks. `auto`: sent by a rule or automation. */
  replies?: {at: string; by: string; auto?: true}[]
  /** Assignments in order (`to` null = unassigned): round-robin reads each agent's latest. */
  assignments?: {at: string; to: string | null}[]
  /** Tier and department escalations in order (the reason stays in the event). */
  escalations?: Escalation[]
  /** SLA policy set by a rule or by hand; absent or null = the first policy whose conditions match. */
  slaPolicy?: string | null
  /** Rules that changed this ticket (names), e.g. so a rule's macro reply goes out once. */
  rulesApplied?: string[]
  /** Automation firings (`name|anchor`): each fires once per ticket and condition. */
  automations?: string[]
  /** SLA alerts already raised (`metric:state:start`), so hooks fire once. */
  slaAlerts?: string[]
  /** Last change made by a person or a rule (not by an automation); absent when it is `updatedAt`. `idleFor` counts from here. */
  activityAt?: string
  /** Things the fold noticed in a strange but valid history (concurrent closes, ...). */
  notices: string[]
  /** The latest rating; absent when the ticket was never rated (summaries stay small: read with ?? null). */
  satisfaction?: Satisfaction
  /** Absent while empty. */
  links?: TicketLink[]
  /** Set on a ticket that was merged into another one (it is closed by the merge). */
  mergedInto?: string
  /** Tickets merged into this one: their messages show in this ticket's thread. */
  mergedFrom?: string[]
  /** Outgoing mail whose last delivery failed or bounced (absent while none): `tix show` warns. */
  mailFailures?: {key: string; at: string; result: 'failed' | 'bounced'; error: string | null; attempts: number}[]
  /** Files attached (`attach` events), in order; absent while there are none. */
  attachments?: import('./attachments.js').Attachment[]
  /** The key of `tix new --dedupe-key` / `tix ci`: the id derives from it (dedupe.ts). */
  dedupeKey?: string
  /** How often the key's problem was filed (the create counts), when it was last, and the last run's link. */
  occurrences?: {count: number; lastAt: string; lastRun: string | null}
  /** The follow-up number of a keyed ticket opened after the key's ticket was closed (1, 2, ...). */
  followUp?: number
}

/** What the cache keeps per ticket: the ticket without its thread (list, search, reports use it). */
export type TicketSummary = Ticket

export interface TicketDetail {
  ticket: Ticket
  thread: ThreadEntry[]
  events: import('./events.js').TixEvent[]
}

export const PRIORITY_RANK: Record<Priority, number> = {low: 0, normal: 1, high: 2, urgent: 3}
