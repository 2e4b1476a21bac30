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
import {summaryText} from '../domain/ticket/summary-text.js'
import {reportSetup} from '../domain/reports/report-sla.js'
import {encodeFacts, ticketFacts, type FactsContext} from '../domain/reports/report-facts.js'
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
}

/** One batch's cache lines: `ID<TAB>JSON\n` for the buckets and the text, facts as JSON lines. */
export interface FoldedBatch {
  /** Unresolved tickets: id and summary JSON (the main thread keeps the queue in memory). */
  open: [string, string][]
  done: string
  doneCount: number
  text: string
  facts: string
  /** Ids whose files were found (in the batch's order). */
  present: string[]
  /** Ids whose files had lines that were skipped, with the lines. */
  problems: [string, FileProblem[]][]
}

export class BatchFolder {
  private readonly ctx: FactsContext | null

  constructor(private readonly setup: FoldSetup) {
    this.ctx = setup.facts ? reportSetup(parseConfig(setup.deskText)).facts(setup.now) : null
  }

  /** Folds the ticket files of one batch (`contents[i]` is `ids[i]`'s file; null: missing). */
  fold(ids: readonly string[], contents: readonly (string | null)[]): FoldedBatch {
    const out: FoldedBatch = {open: [], done: '', doneCount: 0, text: '', facts: '', present: [], problems: []}
    for (let i = 0; i < ids.length; i++) {
      const raw = contents[i]
      if (raw === null || raw === undefined) continue
      const id = ids[i]!
      const l = foldFile(id, ticketPath(id), raw)
      const t = l.ticket
      out.present.push(id)
      if (l.problems.length > 0) out.problems.push([id, l.problems])
      if (this.setup.summaries) {
        const json = summaryText(t)
        if (isUnresolved(t.status)) out.open.push([id, json])
        else {
          out.done += `${id}\t${json}\n`
          out.doneCount++
        }
        out.text += `${id}\t${searchText(t, l.thread)}\n`
      }
      // as in report-facts.ts: a file without a create event has no facts
      if (this.ctx && l.events.length > 0 && t.createdBy !== '') out.facts += `${JSON.stringify(encodeFacts(ticketFacts(t, l.events, this.ctx)))}\n`
    }
    return out
  }
}
