// Writing the desk: one commit per change, built against the current tip and built again when
// another process moved the branch first; the cache follows our own commits without asking git.
import {TixError} from '../../errors.js'
import {nextSeq, serializeEvent, type EventBase} from '../../domain/ticket/events.js'
import {isValidId} from '../../domain/ticket/ids.js'
import type {TicketSummary} from '../../domain/ticket/model.js'
import type {NewEvent} from '../../domain/ticket/ticket-ops.js'
import {followKbTip} from '../kb-tip.js'
import {catFileBatch, readFileAt} from '../objects.js'
import {commitWithRetry, type FileChange} from '../writer.js'
import {DeskIndexing, queueInMemory, type Folded} from './indexing.js'
import {foldFile, searchText, ticketPath, type LoadedTicket} from './ticket-file.js'

export class DeskWriting extends DeskIndexing {
  /**
   * Appends events to tickets in one commit. `build` runs against the current tip and again if
   * another process moved the branch first; it returns the events per ticket, or null for "no change".
   */
  async change(
    build: (
      read: (id: string) => Promise<LoadedTicket | null>,
      tip: string | null,
      /** Reads many tickets with one git process, so the `read`s that follow cost nothing (bulk changes). */
      prefetch: (ids: readonly string[]) => Promise<void>,
    ) => Promise<{tickets: {id: string; events: NewEvent[]; fresh?: boolean}[]; message: string; files?: FileChange[]} | null>,
  ): Promise<{commit: string; tickets: Map<string, LoadedTicket>; events: Map<string, EventBase[]>} | null> {
    const actor = this.actor()
    let results = new Map<string, LoadedTicket>()
    let written = new Map<string, EventBase[]>()
    /** Per ticket written: what it was before (null: new). */
    let before = new Map<string, TicketSummary | null>()
    let otherFiles = false
    const res = await commitWithRetry(
      this.repo,
      this.ref,
      async (tip) => {
        results = new Map()
        written = new Map()
        before = new Map()
        const cacheRead = new Map<string, LoadedTicket | null>()
        const read = async (id: string) => {
          if (!isValidId(id)) throw new TixError(`Refusing to read ticket "${id}": not a valid id.`)
          if (!cacheRead.has(id)) {
            const blob = tip ? await readFileAt(this.repo, tip, ticketPath(id)) : null
            cacheRead.set(id, blob ? foldFile(id, ticketPath(id), blob.toString('utf8')) : null)
          }
          return cacheRead.get(id)!
        }
        const prefetch = async (ids: readonly string[]) => {
          const want = [...new Set(ids)].filter((id) => isValidId(id) && !cacheRead.has(id))
          if (!tip || want.length === 0) return
          await catFileBatch(this.repo, want.map((id) => `${tip}:${ticketPath(id)}`), (i, content) => {
            const id = want[i]!
            cacheRead.set(id, content ? foldFile(id, ticketPath(id), content.toString('utf8')) : null)
          })
        }
        const plan = await build(read, tip, prefetch)
        if (plan === null) return null
        const files: FileChange[] = [...(plan.files ?? [])]
        otherFiles = files.length > 0
        for (const {id, events, fresh} of plan.tickets) {
          if (events.length === 0) continue
          if (!isValidId(id)) throw new TixError(`Refusing to write ticket "${id}": not a valid id.`)
          // A new random id (50 bits) has no file yet: no need to ask git.
          const current = fresh ? null : await read(id)
          let seq = Math.max(0, ...(current?.events.map((e) => e.seq) ?? []))
          const stamped = events.map((e) => ({...e, seq: (seq = nextSeq(seq))}) as EventBase)
          let raw = current?.raw ?? ''
          if (raw !== '' && !raw.endsWith('\n')) raw += '\n'
          raw += stamped.map(serializeEvent).join('\n') + '\n'
          const loaded = foldFile(id, ticketPath(id), raw)
          before.set(id, current ? current.ticket : null)
          results.set(id, loaded)
          written.set(id, stamped)
          files.push({path: ticketPath(id), content: raw})
        }
        if (files.length === 0) return null
        return {files, message: plan.message}
      },
      {name: actor.name, email: actor.email},
      () => this.now(),
      undefined,
      this.io.warn,
    )
    if (res === null) return null
    // Our own commit: update the cache from what we folded, without asking git what changed (and
    // the knowledge base's record of the kb/ tree: a ticket-only commit keeps its parent's).
    if (!otherFiles) {
      followKbTip(this.cache.dir, res.parent, res.commit)
      await this.afterCommit(res.parent, res.commit, results, before).catch(() => {})
    }
    return {commit: res.commit, tickets: results, events: written}
  }

  /** Writes files (desk.json, macros, ...) in one commit, no ticket involved. */
  async commitFiles(files: FileChange[], message: string): Promise<string> {
    const actor = this.actor()
    const res = await commitWithRetry(this.repo, this.ref, async () => ({files, message}), {name: actor.name, email: actor.email}, () => this.now(), undefined, this.io.warn)
    return res!.commit
  }

  /**
   * Keeps the cache in step with our own commit without asking git what changed. The writer knows
   * what each ticket was before (`before`), so neither bucket nor the id list is read: a write costs
   * what it touches, whether the desk holds a thousand tickets or a million.
   */
  protected async afterCommit(parent: string | null, commit: string, tickets: Map<string, LoadedTicket>, before: Map<string, TicketSummary | null>): Promise<void> {
    const meta = await this.cache.meta()
    if (!meta || meta.commit !== parent) return // someone else moved it too: the next read diffs
    // A long-running process (tix serve, the TUI) that holds the queue keeps it up to date in place
    // and keeps its index; a command that never read the queue records the change without reading.
    const known = this.memo?.commit === parent && queueInMemory(this.memo) ? this.memo : null
    this.memo = null
    const folded: Folded[] = [...tickets].map(([id, l]) => ({id, summary: l.ticket, text: searchText(l.ticket, l.thread), problems: l.problems}))
    if (known) {
      const next = await this.apply(meta, commit, known.open, known.ids, folded, meta.desk, {})
      if (next) this.memo = next
    } else await this.apply(meta, commit, {}, [], folded, meta.desk, {}, before)
  }
}
