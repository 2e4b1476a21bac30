// Ticket facts held by column, as the facts cache stores them (src/store/report-facts.ts): one
// typed array per number (times, codes, indexes into a table of strings), the short logs flattened
// with an offset per ticket. A report over 100,000 tickets then decodes no JSON line per ticket,
// and turns into TicketFacts objects only the tickets that can count in its periods (`since`).
import {CHANNELS, PRIORITIES, RATINGS, STATUSES, type Status} from '../ticket/model.js'
import {groupKey, type GroupBy} from './report.js'
import {SLA_METRICS, type FactsRow, type SlaTarget, type TicketFacts} from './report-facts.js'

/** The columns, by name: every FactsTable has all of them (the file format lists them too). */
export interface FactsColumns {
  created: Float64Array
  department: Int32Array // string index, -1: none
  channel: Int32Array
  priority: Int32Array
  tier: Float64Array
  assignee: Int32Array // string index, -1: none
  statusAt: Int32Array // offsets (size + 1) into statusT and statusS
  statusT: Float64Array
  statusS: Int32Array
  assignAt: Int32Array // offsets into assignT and assignWho
  assignT: Float64Array
  assignWho: Int32Array // string index, -1: unassigned
  firstResponse: Float64Array // NaN: none
  mergeAt: Int32Array // offsets into mergeT
  mergeT: Float64Array
  escalated: Int32Array
  ratingT: Float64Array // NaN: not rated
  ratingR: Int32Array
  calendar: Int32Array
  slaAt: Int32Array // offsets into slaM, slaDue and slaDone
  slaM: Int32Array
  slaDue: Float64Array
  slaDone: Float64Array // NaN: not fulfilled
}

export const FACTS_COLUMNS = [
  'created', 'department', 'channel', 'priority', 'tier', 'assignee', 'statusAt', 'statusT', 'statusS', 'assignAt', 'assignT', 'assignWho',
  'firstResponse', 'mergeAt', 'mergeT', 'escalated', 'ratingT', 'ratingR', 'calendar', 'slaAt', 'slaM', 'slaDue', 'slaDone',
] as const satisfies readonly (keyof FactsColumns)[]

/** Whether a column holds times and other numbers that need 64 bits (Float64Array), or small integers. */
export const isFloatColumn = (name: keyof FactsColumns): boolean => /T$|^created$|^tier$|^firstResponse$|^slaDue$|^slaDone$/.test(name)

/** What the columns do not hold as numbers: the strings they index and the custom fields by row. */
export interface FactsText {
  strings: string[]
  fields: Record<number, Record<string, unknown>>
}

const DONE = (s: Status | undefined) => s === 'resolved' || s === 'closed'
const none = (v: number) => (Number.isNaN(v) ? null : v)

export class FactsTable implements Iterable<TicketFacts> {
  readonly size: number
  /** Where each id starts in `idText` given as one text (found when first asked). */
  private idStarts: Int32Array | null = null

  /** `idText`: the tickets' ids by row, or all of them joined by newlines. */
  constructor(
    readonly columns: FactsColumns,
    readonly text: FactsText,
    private readonly idText: string[] | string,
  ) {
    this.size = columns.created.length
  }

  /**
   * Row i's id. From the text, only the ids asked for become strings: splitting it made 100,000
   * strings at 100k that the young generation then copied, for the few thousand tickets decoded.
   */
  idOf(i: number): string {
    const text = this.idText
    if (typeof text !== 'string') return text[i]!
    if (this.idStarts === null) {
      const starts = new Int32Array(this.size + 1)
      for (let k = 0, at = 0; k < this.size; k++) {
        starts[k] = at
        const nl = text.indexOf('\n', at)
        at = nl < 0 ? text.length + 1 : nl + 1
      }
      starts[this.size] = text.length + 1
      this.idStarts = starts
    }
    return text.slice(this.idStarts[i]!, this.idStarts[i + 1]! - 1)
  }

  /** The ids as one text, a line each (ticket ids never hold a newline). */
  idLines(): string {
    return typeof this.idText === 'string' ? this.idText : this.idText.join('\n')
  }

  /** The earliest creation time (ms), or `fallback` when there is no ticket. */
  firstCreated(fallback: number): number {
    const created = this.columns.created
    let first = fallback
    for (let i = 0; i < created.length; i++) if (created[i]! < first) first = created[i]!
    return first
  }

  *[Symbol.iterator](): Iterator<TicketFacts> {
    for (let i = 0; i < this.size; i++) yield this.facts(i)
  }

  /**
   * The tickets a report over periods from `start` reads: in full every ticket that can count in
   * them; of the others, one per group of `by` (none without `by`), reduced to its group keys and
   * its last status, so that the report still lists the group.
   *
   * A ticket resolved or closed at the end of its status log, whose every time (status changes,
   * first response, rating, SLA due and fulfilment times) is before `start`, creates, resolves,
   * reopens, rates, answers and breaches nothing in those periods and is in no backlog at their
   * ends: computeReport only adds its group. With `start` after the as-of time, the same holds for
   * computeBacklogAge (the ticket is resolved then). Merges, assignments and the calendar are read
   * only for resolutions and backlog, so the reduced ticket leaves them empty.
   */
  *since(start: number, by: GroupBy | null): Iterable<TicketFacts> {
    const c = this.columns
    // The column a dimension's key comes from: a value seen before is a group seen before, without
    // making the reduced ticket. A custom field's key needs it, but for tickets with custom fields only.
    const column = by === 'department' ? c.department : by === 'agent' ? c.assignee : by === 'channel' ? c.channel : by === 'priority' ? c.priority : by === 'tier' ? c.tier : null
    const values = new Set<number>()
    const groups = new Set<string>()
    for (let i = 0; i < this.size; i++) {
      const s1 = c.statusAt[i + 1]!
      const final = STATUSES[c.statusS[s1 - 1]!]
      if (s1 === c.statusAt[i]! || !DONE(final) || !(this.lastTime(i) < start)) {
        yield this.facts(i)
        continue
      }
      if (by === null) continue
      const value = column !== null ? column[i]! : this.text.fields[i] === undefined ? -1 : null
      if (value !== null) {
        if (values.has(value)) continue
        values.add(value)
      }
      const reduced = this.grouping(i, [[c.created[i]!, final!]])
      const key = groupKey(reduced, by)
      if (groups.has(key)) continue
      groups.add(key)
      yield reduced
    }
  }

  /** The latest time among a ticket's facts (creation, status changes, first response, rating, SLA times). */
  private lastTime(i: number): number {
    const c = this.columns
    let last = c.created[i]!
    for (let k = c.statusAt[i]!; k < c.statusAt[i + 1]!; k++) last = Math.max(last, c.statusT[k]!)
    for (let k = c.slaAt[i]!; k < c.slaAt[i + 1]!; k++) {
      last = Math.max(last, c.slaDue[k]!)
      if (!Number.isNaN(c.slaDone[k]!)) last = Math.max(last, c.slaDone[k]!)
    }
    if (!Number.isNaN(c.firstResponse[i]!)) last = Math.max(last, c.firstResponse[i]!)
    if (!Number.isNaN(c.ratingT[i]!)) last = Math.max(last, c.ratingT[i]!)
    return last // NaN (a time the fold never writes) compares false: such a ticket counts in full
  }

  private str(k: number): string | null {
    return k < 0 ? null : this.text.strings[k]!
  }

  /** The group keys of row i, with the status log given. */
  private grouping(i: number, status: [number, Status][]): TicketFacts {
    const c = this.columns
    const fields = this.text.fields[i]
    return {
      id: this.idOf(i),
      created: c.created[i]!,
      department: this.str(c.department[i]!),
      channel: CHANNELS[c.channel[i]!]!,
      priority: PRIORITIES[c.priority[i]!]!,
      tier: c.tier[i]!,
      assignee: this.str(c.assignee[i]!),
      status,
      assign: [],
      firstResponse: null,
      merges: [],
      escalated: false,
      rating: null,
      calendar: 0,
      sla: [],
      ...(fields ? {fields} : {}),
    }
  }

  /** Row i as decodeFacts gives it for the same row. */
  facts(i: number): TicketFacts {
    const c = this.columns
    const status: [number, Status][] = []
    for (let k = c.statusAt[i]!; k < c.statusAt[i + 1]!; k++) status.push([c.statusT[k]!, STATUSES[c.statusS[k]!]!])
    const f = this.grouping(i, status)
    for (let k = c.assignAt[i]!; k < c.assignAt[i + 1]!; k++) f.assign.push([c.assignT[k]!, this.str(c.assignWho[k]!)])
    f.firstResponse = none(c.firstResponse[i]!)
    for (let k = c.mergeAt[i]!; k < c.mergeAt[i + 1]!; k++) f.merges.push(c.mergeT[k]!)
    f.escalated = c.escalated[i] === 1
    f.rating = Number.isNaN(c.ratingT[i]!) ? null : [c.ratingT[i]!, RATINGS[c.ratingR[i]!]!]
    f.calendar = c.calendar[i]!
    for (let k = c.slaAt[i]!; k < c.slaAt[i + 1]!; k++) f.sla.push({metric: SLA_METRICS[c.slaM[k]!]!, due: c.slaDue[k]!, fulfilled: none(c.slaDone[k]!)} satisfies SlaTarget)
    return f
  }
}

/** A growable column. */
class Col {
  private a: Float64Array | Int32Array
  n = 0
  constructor(private readonly float: boolean) {
    this.a = float ? new Float64Array(1024) : new Int32Array(1024)
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.float ? new Float64Array(this.a.length * 2) : new Int32Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  done(): Float64Array | Int32Array {
    return this.a.slice(0, this.n)
  }
}

/** Builds a FactsTable a row at a time: from encoded rows (encodeFacts), or copied from another table. */
export class FactsTableBuilder {
  private readonly cols = Object.fromEntries(FACTS_COLUMNS.map((k) => [k, new Col(isFloatColumn(k))])) as Record<keyof FactsColumns, Col>
  private readonly strings: string[] = []
  private readonly stringIndex = new Map<string, number>()
  private readonly ids: string[] = []
  private readonly fields: Record<number, Record<string, unknown>> = {}

  constructor() {
    for (const k of ['statusAt', 'assignAt', 'mergeAt', 'slaAt'] as const) this.cols[k].push(0)
  }

  private str(s: string | null): number {
    if (s === null) return -1
    let k = this.stringIndex.get(s)
    if (k === undefined) {
      k = this.strings.length
      this.strings.push(s)
      this.stringIndex.set(s, k)
    }
    return k
  }

  private endRow(id: string, fields: Record<string, unknown> | undefined): void {
    const c = this.cols
    c.statusAt.push(c.statusT.n)
    c.assignAt.push(c.assignT.n)
    c.mergeAt.push(c.mergeT.n)
    c.slaAt.push(c.slaM.n)
    if (fields) this.fields[this.ids.length] = fields
    this.ids.push(id)
  }

  /** One row as encodeFacts writes it (times relative to creation, codes for names). */
  add(r: FactsRow): void {
    const c = this.cols
    const created = r[1]
    c.created.push(created)
    c.department.push(this.str(r[2]))
    c.channel.push(r[3])
    c.priority.push(r[4])
    c.tier.push(r[5])
    c.assignee.push(this.str(r[6]))
    for (let k = 0; k + 1 < r[7].length; k += 2) {
      c.statusT.push(created + r[7][k]!)
      c.statusS.push(r[7][k + 1]!)
    }
    for (let k = 0; k + 1 < r[8].length; k += 2) {
      c.assignT.push(created + (r[8][k] as number))
      c.assignWho.push(this.str(r[8][k + 1] as string | null))
    }
    c.firstResponse.push(r[9] === null ? NaN : created + r[9])
    for (const t of r[10]) c.mergeT.push(created + t)
    c.escalated.push(r[11] === 1 ? 1 : 0)
    c.ratingT.push(r[12] ? created + r[12][0] : NaN)
    c.ratingR.push(r[12] ? r[12][1] : 0)
    c.calendar.push(r[13])
    for (let k = 0; k + 2 < r[14].length; k += 3) {
      c.slaM.push(r[14][k] as number)
      c.slaDue.push(r[14][k + 1] as number)
      c.slaDone.push((r[14][k + 2] as number | null) ?? NaN)
    }
    this.endRow(r[0], r[15])
  }

  /** Row i of another table, as it is. */
  copy(t: FactsTable, i: number): void {
    const c = this.cols
    const s = t.columns
    for (const k of ['created', 'channel', 'priority', 'tier', 'firstResponse', 'escalated', 'ratingT', 'ratingR', 'calendar'] as const) c[k].push(s[k][i]!)
    const str = (k: number) => this.str(k < 0 ? null : t.text.strings[k]!)
    c.department.push(str(s.department[i]!))
    c.assignee.push(str(s.assignee[i]!))
    for (let k = s.statusAt[i]!; k < s.statusAt[i + 1]!; k++) {
      c.statusT.push(s.statusT[k]!)
      c.statusS.push(s.statusS[k]!)
    }
    for (let k = s.assignAt[i]!; k < s.assignAt[i + 1]!; k++) {
      c.assignT.push(s.assignT[k]!)
      c.assignWho.push(str(s.assignWho[k]!))
    }
    for (let k = s.mergeAt[i]!; k < s.mergeAt[i + 1]!; k++) c.mergeT.push(s.mergeT[k]!)
    for (let k = s.slaAt[i]!; k < s.slaAt[i + 1]!; k++) {
      c.slaM.push(s.slaM[k]!)
      c.slaDue.push(s.slaDue[k]!)
      c.slaDone.push(s.slaDone[k]!)
    }
    this.endRow(t.idOf(i), t.text.fields[i])
  }

  build(): FactsTable {
    const columns = Object.fromEntries(FACTS_COLUMNS.map((k) => [k, this.cols[k].done()])) as unknown as FactsColumns
    return new FactsTable(columns, {strings: this.strings, fields: this.fields}, this.ids)
  }
}
