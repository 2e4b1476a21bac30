// What the index build does with one ticket file, in one place for the main thread and the fold
// workers (fold-worker.ts): fold it once, and from that one fold write its cache line (open.jsonl
// or done.jsonl), its search text (text.tsv) and its report facts (report-facts), so a report
// after a clone does not read and fold every file a second time.
//
// Results are gathered a batch at a time as the text of whole cache lines, so a worker hands the
// main thread a few strings per batch, not an object per ticket.
import {parseConfig} from '../domain/config/config.js'
import '../domain/workflow/workflow-config.js' // registers the validators of the workflow sections of desk.json
import '../domain/mail/config.js' // registers the validator of desk.json's mail section
import {isUnresolved} from '../domain/ticket/model.js'
import {countLoad, noteAssignments} from '../domain/workflow/assignment.js'
import {summaryText} from '../domain/ticket/summary-text.js'
import {reportSetup} from '../domain/reports/report-sla.js'
import {encodeFacts, ticketFacts, type FactsContext, type FactsRow} from '../domain/reports/report-facts.js'
import type {FileProblem} from './cache.js'
import {foldFile, searchText, ticketPath} from './desk/ticket-file.js'

export interface FoldSetup {
  /** desk.json at the commit indexed (the facts' calendars and SLA targets come from it). */
  deskText: string | null
  /** The moment the facts are taken at (ms). */
  now: number
  /** Whether to write summaries and search text (false: facts only). */
  summaries: boolean
  /** Whether to write report facts. */
  facts: boolean
  /**
   * The facts as rows (FoldedBatch.rows: a report builds its table from them) instead of JSON lines
   * (FoldedBatch.facts: the index build writes them to a file). A report that folds every ticket
   * made each row JSON and parsed it back: about a fifth of its CPU at 100,000 tickets.
   */
  factsRows?: boolean
}

/** One batch's cache lines: `ID<TAB>JSON\n` for the buckets and the text, facts as JSON lines. */
export interface FoldedBatch {
  /** Unresolved tickets: id and summary JSON (the main thread keeps the queue in memory). */
  open: [string, string][]
  /** done.jsonl's lines, as UTF-8 (an ArrayBuffer of its own: a worker moves it, not copies it). */
  done: Uint8Array
  doneCount: number
  /** text.tsv's lines, as UTF-8, the same way. */
  text: Uint8Array
  facts: string
  /** The facts as rows, when the setup asks for them so (`factsRows`). */
  rows: FactsRow[]
  /** Ids whose files were found (in the batch's order). */
  present: string[]
  /** Ids whose files had lines that were skipped, with the lines. */
  problems: [string, FileProblem[]][]
  /** Active tickets per agent in this batch, and each agent's latest assignment in it (DeskIndex.agents). */
  load: [string, number][]
  lastAssigned: [string, string][]
}

/**
 * Cache lines written straight into bytes as they are made: one UTF-8 encoding a line, where a
 * batch's text joined as a string was flattened, then encoded (at 100,000 tickets that copy of
 * 130 MB of summaries and search text was a tenth of the build).
 */
export class LineBytes {
  private bytes: Buffer
  private length = 0

  /** `fresh`: each take() hands over a buffer of its own (to move to another thread); else the bytes are reused. */
  constructor(
    private readonly initial: number,
    private readonly fresh: boolean,
  ) {
    this.bytes = Buffer.allocUnsafeSlow(initial)
  }

  /** Appends `id<TAB>value\n` (ids are ASCII). */
  add(id: string, value: string): void {
    const need = this.length + id.length + 3 * value.length + 2
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.bytes.length))
      this.bytes.copy(grown, 0, 0, this.length)
      this.bytes = grown
    }
    const b = this.bytes
    this.length += b.write(id, this.length, 'latin1')
    b[this.length++] = 9
    this.length += b.write(value, this.length, 'utf8')
    b[this.length++] = 10
  }

  /** The lines so far, and a start on new ones: valid until the next take() unless `fresh`. */
  take(): Uint8Array {
    const out = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length)
    if (this.fresh) this.bytes = Buffer.allocUnsafeSlow(this.initial)
    this.length = 0
    return out
  }
}

export class BatchFolder {
  private readonly ctx: FactsContext | null
  private readonly done: LineBytes
  private readonly text: LineBytes

  /**
   * `moved`: each batch's bytes are moved to another thread (a fold worker's), so each batch gets
   * buffers of its own. Else they are reused: a batch's `done` and `text` are valid until the next
   * fold() (on this thread the caller writes them out first; fresh buffers for each batch of a
   * build at 100,000 tickets were 160 MB of new pages for the kernel to fault in).
   */
  constructor(
    private readonly setup: FoldSetup,
    moved = false,
  ) {
    this.ctx = setup.facts ? reportSetup(parseConfig(setup.deskText)).facts(setup.now) : null
    this.done = new LineBytes(setup.summaries ? 1 << 19 : 0, moved)
    this.text = new LineBytes(setup.summaries ? 1 << 17 : 0, moved)
  }

  /** Folds the ticket files of one batch (`contents[i]` is `ids[i]`'s file; null: missing). */
  fold(ids: readonly string[], contents: readonly (string | null)[]): FoldedBatch {
    const open: [string, string][] = []
    const {done, text} = this
    const present: string[] = []
    const problems: [string, FileProblem[]][] = []
    let doneCount = 0
    let facts = ''
    const rows: FactsRow[] = []
    const asRows = this.setup.factsRows === true
    const load = new Map<string, number>()
    const lastAssigned = new Map<string, string>()
    for (let i = 0; i < ids.length; i++) {
      const raw = contents[i]
      if (raw === null || raw === undefined) continue
      const id = ids[i]!
      const l = foldFile(id, ticketPath(id), raw)
      const t = l.ticket
      present.push(id)
      if (l.problems.length > 0) problems.push([id, l.problems])
      if (this.setup.summaries) {
        const json = summaryText(t)
        if (isUnresolved(t.status)) open.push([id, json])
        else {
          done.add(id, json)
          doneCount++
        }
        text.add(id, searchText(t, l.thread))
        countLoad(load, t, 1)
        noteAssignments(lastAssigned, t)
      }
      // as in report-facts.ts: a file without a create event has no facts
      if (this.ctx && l.events.length > 0 && t.createdBy !== '') {
        const row = encodeFacts(ticketFacts(t, l.events, this.ctx))
        if (asRows) rows.push(row)
        else facts += `${JSON.stringify(row)}\n`
      }
    }
    return {open, done: done.take(), doneCount, text: text.take(), facts, rows, present, problems, load: [...load], lastAssigned: [...lastAssigned]}
  }
}
