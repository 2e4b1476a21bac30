// The commands that change one ticket. Each is a thin shell over a rule in src/domain/ticket/ticket-ops.ts.
import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {STATUSES, type Ticket} from '../../src/domain/ticket/model.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {TicketMutation} from '../base.js'
import {bodyFlags, fieldFlag, list, priorityFlag, readBody, typeFlag} from '../flags.js'

// Every command here takes several ids (one commit for all, all or nothing), or "-" for ids on
// standard input. oclif's own stdin reading is off: "-" is the only way ids come from stdin.
const idArg = Args.string({description: 'Ticket ids or unique prefixes (at least 4 characters); several change in one commit; "-" reads ids from standard input.', required: true, ignoreStdin: true})
const textArg = Args.string({description: 'The text (or use --body / --body-file); it comes after the ids.', ignoreStdin: true})

/** The ids, and the value that ends the argument list (`tix assign A B C ana@x`) when `takesValue`. */
function idsAndValue(argv: readonly unknown[], takesValue: boolean, what: string, example: string): {ids: string[]; value: string | undefined} {
  const tokens = argv.map(String)
  if (!takesValue) return {ids: tokens, value: undefined}
  if (tokens.length < 2) throw usageError(`Give the ticket id(s), then the ${what}.`, example)
  return {ids: tokens.slice(0, -1), value: tokens.at(-1)}
}

function textFrom(arg: string | undefined, flags: {body?: string; 'body-file'?: string}, what: string): string {
  const text = arg ?? readBody(flags)
  if (text === undefined) throw usageError(`Give the ${what} text.`, `Pass it as an argument, with --body, or with --body-file FILE (- for standard input).`)
  return text
}

/** Standard input can be read once: for the ids ("-") or for the text (--body-file -), not both. */
function stdinOnce(ids: readonly string[], flags: {'body-file'?: string}): void {
  if (ids.includes('-') && flags['body-file'] === '-') throw usageError('Both the ids ("-") and the text (--body-file -) would come from standard input.', 'Put the text in a file (--body-file FILE) or pass it with --body.')
}

/** `--body`/`--body-file` given: then every argument is an id. */
const hasBodyFlag = (flags: {body?: string; 'body-file'?: string}) => flags.body !== undefined || flags['body-file'] !== undefined

export class Reply extends TicketMutation {
  static override summary = 'Add a public reply (the requester sees it). A reply to a new ticket opens it.'
  static override description = 'Several ids reply to each of them in one commit (the text comes last, or with --body/--body-file).'
  static override examples = [
    '<%= config.bin %> reply 7K3F9 "Restarted the spooler; please try again."',
    '<%= config.bin %> reply 7K3F9 --body-file answer.md',
    '<%= config.bin %> reply 7K3F9 --from ana@example.com "It works now, thanks"   # record the requester\'s answer',
    '<%= config.bin %> reply 7K3F9 2MT0E "The outage is over."',
    '<%= config.bin %> reply 7K3F9 --article vpn-setup                  # the article\'s title, summary and link',
    '<%= config.bin %> reply 7K3F9 --article vpn-setup "This should fix it:"',
  ]
  static override strict = false
  static override args = {id: idArg, text: textArg}
  static override flags = {
    ...bodyFlags,
    from: Flags.string({summary: 'Who wrote it, when not you (e.g. the requester answering by e-mail).'}),
    article: Flags.string({summary: "Cite a published knowledge-base article: its title, summary and link, in the requester's language when known (the ticket's lang field), else the article's first language.", helpValue: 'SLUG'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Reply)
    const from = flags.from === undefined ? undefined : (ops.parsePerson(flags.from, '--from').email ?? flags.from)
    if (flags.article !== undefined) {
      // With --article the text is optional: a last argument that is not an id is the message above the article.
      const tokens = argv.map(String)
      const last = tokens.at(-1)
      const hasMessage = tokens.length >= 2 && last !== undefined && last !== '-' && !/^[0-9A-Za-z]{4,10}$/.test(last)
      const ids = hasMessage ? tokens.slice(0, -1) : tokens
      if (ids.length === 0) throw usageError('Give the ticket id(s) to reply to.', 'tix reply 7K3F9 --article vpn-setup')
      stdinOnce(ids, flags)
      const {checkSlug} = await import('../../src/domain/kb/article.js')
      const {articleReplyText, citeFrom, requesterLang} = await import('../../src/services/kb/search.js')
      const {openKbLookup} = await import('../../src/store/kb-index.js')
      const slug = checkSlug(flags.article)
      const message = hasMessage ? last : readBody(flags)
      const desk = await this.openDesk()
      const [kb, index] = await Promise.all([openKbLookup(desk), desk.index()])
      citeFrom(desk, kb, index.config, slug, null) // unknown or draft: refused before anything is written
      const op = (t: Ticket, ctx: ops.OpContext) => {
        const a = citeFrom(desk, kb, index.config, slug, requesterLang(t))
        return ops.reply(t, articleReplyText(a, message), ctx, {author: from}).map((e) => (e.type === 'reply' ? {...e, article: {slug: a.slug, lang: a.lang}} : e))
      }
      return this.mutateIds(ids, (id) => this.mutate(id, op), {kind: 'op', op})
    }
    const {ids, value} = idsAndValue(argv, !hasBodyFlag(flags), 'reply text', 'tix reply 7K3F9 "Restarted the spooler"')
    stdinOnce(ids, flags)
    const body = textFrom(value, flags, 'reply')
    const op = (t: Ticket, ctx: ops.OpContext) => ops.reply(t, body, ctx, {author: from})
    return this.mutateIds(ids, (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Note extends TicketMutation {
  static override summary = 'Add an internal note (agents only; the requester never sees it).'
  static override examples = ['<%= config.bin %> note 7K3F9 "Toner sensor looks faulty"', '<%= config.bin %> note 7K3F9 --body-file notes.md', '<%= config.bin %> list --tag printer -q | <%= config.bin %> note - --body "Vendor visit on Friday"']
  static override strict = false
  static override args = {id: idArg, text: textArg}
  static override flags = {...bodyFlags}

  async run() {
    const {argv, flags} = await this.parse(Note)
    const {ids, value} = idsAndValue(argv, !hasBodyFlag(flags), 'note text', 'tix note 7K3F9 "Toner sensor looks faulty"')
    stdinOnce(ids, flags)
    const body = textFrom(value, flags, 'note')
    const op = (t: Ticket, ctx: ops.OpContext) => ops.note(t, body, ctx)
    return this.mutateIds(ids, (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Assign extends TicketMutation {
  static override summary = 'Assign tickets to an agent, by the department\'s strategy (--auto), or take the assignee off.'
  static override description = `--auto picks within the ticket's department and tier by the department's strategy (round-robin, load-balanced, skills): the same agent on every clone that has the same events. When every agent there is at capacity, the ticket stays unassigned in the queue and tix says so.

Several ids (the agent comes last) or "-" (ids on standard input) change every ticket in one commit, or none.`
  static override examples = [
    '<%= config.bin %> assign 7K3F9 ana@example.com',
    '<%= config.bin %> assign 7K3F9 me',
    '<%= config.bin %> assign 7K3F9 2MT0E QH56P ana@example.com',
    '<%= config.bin %> list --unassigned -q | <%= config.bin %> assign - --auto',
    '<%= config.bin %> assign 7K3F9 --auto --dry-run',
    '<%= config.bin %> assign 7K3F9 --unassign',
  ]
  static override strict = false
  static override args = {id: idArg, agent: Args.string({description: 'The agent (e-mail), or "me"; after the ids.', ignoreStdin: true})}
  static override flags = {
    unassign: Flags.boolean({summary: 'Leave the tickets unassigned.'}),
    auto: Flags.boolean({summary: "Pick the agent by the department's assignment strategy."}),
    'dry-run': Flags.boolean({summary: 'With --auto: say who would get it; write nothing.', dependsOn: ['auto']}),
  }

  async run() {
    const {argv, flags} = await this.parse(Assign)
    if (flags.auto) {
      if (flags.unassign) throw usageError('Give an agent, --auto or --unassign: only one.')
      const ids = argv.map(String)
      if (ids.length > 1 && /@|^me$/.test(ids.at(-1)!)) throw usageError('Give an agent, --auto or --unassign: only one.')
      const dryRun = Boolean(flags['dry-run'])
      const {autoAssignOp} = await import('../../src/services/bulk.js')
      return this.mutateIds(ids, (id) => this.autoAssign(id, dryRun), autoAssignOp(), {dryRun})
    }
    const {ids, value: agent} = idsAndValue(argv, !flags.unassign, 'agent (an e-mail, or "me"), or --unassign', 'tix assign 7K3F9 ana@example.com')
    let to: string | null = null
    if (agent !== undefined) {
      const desk = await this.openDesk()
      to = agent === 'me' ? desk.actor().id : agent.trim()
      if (!/^[^\s<>]+$/.test(to) || (agent !== 'me' && (ids.length > 1 || ids.includes('-')) && !to.includes('@'))) throw usageError(`"${agent}" is not an agent id: use their e-mail address (it comes after the ticket ids).`)
    }
    const op = (t: Ticket, ctx: ops.OpContext) => ops.assign(t, to, ctx)
    return this.mutateIds(ids, (id) => this.mutate(id, op), {kind: 'op', op})
  }

  private async autoAssign(id: string, dryRun: boolean) {
    const {autoAssign} = await import('../../src/services/workflow/routing.js')
    const {envelope, ticketJson} = await import('../../src/output/json.js')
    const {safeLine} = await import('../../src/output/text.js')
    const desk = await this.openDesk()
    const res = await autoAssign(desk, id, {dryRun})
    const pick = res.result
    if (dryRun) this.log(`${res.shortId}: ${pick.agent ? `would go to ${safeLine(pick.agent)}` : 'would stay unassigned'} (${safeLine(pick.reason)}).`)
    else if (res.commit !== null) this.log(`${res.shortId}: assigned to ${safeLine(pick.agent ?? '')} (${safeLine(pick.reason.replace(/^[^ ]+ by /, ''))}).`)
    else if (pick.agent !== null) this.log(`${res.shortId}: nothing changed: ${safeLine(pick.reason)}.`)
    else this.log(`${res.shortId}: stays unassigned: ${safeLine(pick.reason.replace(/^nobody: /, ''))}.`)
    const index = await desk.index()
    return envelope('ticket', {
      ticket: ticketJson(res.ticket.ticket, desk.sortedIds(index)),
      changed: res.commit !== null,
      dryRun,
      commit: res.commit,
      events: res.events,
      assignment: {agent: pick.agent, strategy: pick.strategy, department: pick.department, tier: pick.tier, reason: pick.reason, candidates: pick.candidates},
    })
  }
}

const STATUS_VALUES = STATUSES.filter((s) => s !== 'new')

export class Status extends TicketMutation {
  static override summary = 'Change the status: open, pending (waiting on the requester), on-hold (waiting on a third party), resolved, closed.'
  static override examples = [
    '<%= config.bin %> status 7K3F9 pending',
    '<%= config.bin %> status 7K3F9 resolved --resolution "Replaced the fuser"',
    '<%= config.bin %> status 7K3F9 2MT0E QH56P on-hold',
    '<%= config.bin %> list --status new --channel email -q | <%= config.bin %> status - pending',
  ]
  static override strict = false
  static override args = {id: idArg, status: Args.string({description: `New status (after the ids): ${STATUS_VALUES.join(', ')}.`, required: true, ignoreStdin: true})}
  static override flags = {resolution: Flags.string({summary: 'What solved it (needed for resolved, and for closed unless already resolved).'})}

  async run() {
    const {argv, flags} = await this.parse(Status)
    const {ids, value} = idsAndValue(argv, true, `new status (${STATUS_VALUES.join(', ')})`, 'tix status 7K3F9 pending')
    if (!(STATUS_VALUES as readonly string[]).includes(value!)) throw usageError(`Expected ${value} to be one of: ${STATUS_VALUES.join(', ')} (the status comes after the ticket ids).`, 'tix status 7K3F9 2MT0E pending')
    const op = (t: Ticket, ctx: ops.OpContext) => ops.changeStatus(t, value!, {resolution: flags.resolution}, ctx)
    return this.mutateIds(ids, (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Resolve extends TicketMutation {
  static override summary = 'Resolve tickets: the resolution text stays on them for next time.'
  static override examples = ['<%= config.bin %> resolve 7K3F9 --resolution "Replaced the fuser"', '<%= config.bin %> resolve 7K3F9 2MT0E -m "Outage over"']
  static override strict = false
  static override args = {id: idArg}
  static override flags = {resolution: Flags.string({char: 'm', summary: 'What solved it.', required: true})}

  async run() {
    const {argv, flags} = await this.parse(Resolve)
    const op = (t: Ticket, ctx: ops.OpContext) => ops.changeStatus(t, 'resolved', {resolution: flags.resolution}, ctx)
    return this.mutateIds(argv.map(String), (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Close extends TicketMutation {
  static override summary = 'Close tickets (final). Needs a resolution unless a ticket is already resolved.'
  static override examples = ['<%= config.bin %> close 7K3F9', '<%= config.bin %> close 7K3F9 --resolution "Duplicate of 8M2QX"', '<%= config.bin %> list --status resolved -q | <%= config.bin %> close -']
  static override strict = false
  static override args = {id: idArg}
  static override flags = {resolution: Flags.string({char: 'm', summary: 'What solved it.'})}

  async run() {
    const {argv, flags} = await this.parse(Close)
    const op = (t: Ticket, ctx: ops.OpContext) => ops.changeStatus(t, 'closed', {resolution: flags.resolution}, ctx)
    return this.mutateIds(argv.map(String), (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Reopen extends TicketMutation {
  static override summary = 'Reopen resolved or closed tickets.'
  static override examples = ['<%= config.bin %> reopen 7K3F9', '<%= config.bin %> reopen 7K3F9 2MT0E']
  static override strict = false
  static override args = {id: idArg}

  async run() {
    const {argv} = await this.parse(Reopen)
    const op = (t: Ticket, ctx: ops.OpContext) => ops.reopen(t, ctx)
    return this.mutateIds(argv.map(String), (id) => this.mutate(id, op), {kind: 'op', op})
  }
}

export class Set extends TicketMutation {
  static override summary = "Change tickets' fields: title, priority, type, department, tags, requester, custom fields."
  static override examples = [
    '<%= config.bin %> set 7K3F9 --priority urgent --title "Printer jams on every job"',
    '<%= config.bin %> set 7K3F9 --type problem --department facilities --add-tag hw --remove-tag printer',
    '<%= config.bin %> set 7K3F9 --requester "Ana Diaz <ana@example.com>"',
    '<%= config.bin %> set 7K3F9 --field plan=team --unset-field order',
    '<%= config.bin %> set 7K3F9 2MT0E QH56P --priority high',
  ]
  static override strict = false
  static override args = {id: idArg}
  static override flags = {
    title: Flags.string({summary: 'New title.'}),
    ...bodyFlags,
    priority: priorityFlag(),
    type: typeFlag(),
    department: Flags.string({char: 'd', summary: 'Department ("" for none).'}),
    'add-tag': Flags.string({summary: 'Add a tag (repeat or comma-separate).', multiple: true}),
    'remove-tag': Flags.string({summary: 'Remove a tag (repeat or comma-separate).', multiple: true}),
    requester: Flags.string({char: 'r', summary: 'Requester: "Name <email>" or an e-mail.'}),
    field: fieldFlag(),
    'unset-field': Flags.string({summary: 'Remove a custom field (repeat or comma-separate).', multiple: true, helpValue: 'KEY'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Set)
    stdinOnce(argv.map(String), flags)
    const body = readBody(flags)
    const {checkFieldKey} = await import('../../src/domain/ticket/fields.js')
    const input: ops.SetInput = {
      title: flags.title,
      body,
      priority: flags.priority,
      type: flags.type,
      department: flags.department === undefined ? undefined : flags.department.trim() === '' ? null : flags.department.trim(),
      requester: flags.requester === undefined ? undefined : ops.parsePerson(flags.requester),
      addTags: list(flags['add-tag']),
      removeTags: list(flags['remove-tag']),
      fields: flags.field && flags.field.length > 0 ? await this.customFields(flags.field) : undefined,
      unsetFields: list(flags['unset-field']).map((k) => checkFieldKey(k, '--unset-field')),
    }
    if (Object.values(input).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))) {
      throw usageError('Nothing to set.', 'Pass at least one of --title, --priority, --type, --department, --add-tag, --remove-tag, --requester, --body, --field, --unset-field.')
    }
    const op = (t: Ticket, ctx: ops.OpContext) => ops.setFields(t, input, ctx)
    return this.mutateIds(argv.map(String), (id) => this.mutate(id, op), {kind: 'op', op})
  }
}
