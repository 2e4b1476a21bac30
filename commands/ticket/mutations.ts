// The commands that change one ticket. Each is a thin shell over a rule in src/domain/ticket-ops.ts.
import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {STATUSES} from '../../src/domain/model.js'
import * as ops from '../../src/domain/ticket-ops.js'
import {TicketMutation} from '../base.js'
import {bodyFlags, list, priorityFlag, readBody, typeFlag} from '../flags.js'

const idArg = Args.string({description: 'Ticket id or a unique prefix of it (at least 4 characters).', required: true})
const textArg = Args.string({description: 'The text (or use --body / --body-file).'})

function textFrom(arg: string | undefined, flags: {body?: string; 'body-file'?: string}, what: string): string {
  const text = arg ?? readBody(flags)
  if (text === undefined) throw usageError(`Give the ${what} text.`, `Pass it as an argument, with --body, or with --body-file FILE (- for standard input).`)
  return text
}

export class Reply extends TicketMutation {
  static override summary = 'Add a public reply (the requester sees it). A reply to a new ticket opens it.'
  static override examples = [
    '<%= config.bin %> reply 7K3F9 "Restarted the spooler; please try again."',
    '<%= config.bin %> reply 7K3F9 --body-file answer.md',
    '<%= config.bin %> reply 7K3F9 --from ana@example.com "It works now, thanks"   # record the requester\'s answer',
    '<%= config.bin %> reply 7K3F9 --article vpn-setup                  # the article\'s title, summary and link',
    '<%= config.bin %> reply 7K3F9 --article vpn-setup "This should fix it:"',
  ]
  static override args = {id: idArg, text: textArg}
  static override flags = {
    ...bodyFlags,
    from: Flags.string({summary: 'Who wrote it, when not you (e.g. the requester answering by e-mail).'}),
    article: Flags.string({summary: "Cite a published knowledge-base article: its title, summary and link, in the requester's language when known (the ticket's lang field), else the article's first language.", helpValue: 'SLUG'}),
  }

  async run() {
    const {args, flags} = await this.parse(Reply)
    const from = flags.from === undefined ? undefined : (ops.parsePerson(flags.from, '--from').email ?? flags.from)
    if (flags.article !== undefined) {
      const {checkSlug} = await import('../../src/domain/kb/article.js')
      const {articleReplyText, citeFrom, requesterLang} = await import('../../src/services/kb/search.js')
      const {openKbIndex} = await import('../../src/store/kb-index.js')
      const slug = checkSlug(flags.article)
      const message = args.text ?? readBody(flags)
      const desk = await this.openDesk()
      const [kb, index] = await Promise.all([openKbIndex(desk), desk.index()])
      citeFrom(desk, kb, index.config, slug, null) // unknown or draft: refused before anything is written
      return this.mutate(args.id, (t, ctx) => {
        const a = citeFrom(desk, kb, index.config, slug, requesterLang(t))
        return ops.reply(t, articleReplyText(a, message), ctx, {author: from}).map((e) => (e.type === 'reply' ? {...e, article: {slug: a.slug, lang: a.lang}} : e))
      })
    }
    const body = textFrom(args.text, flags, 'reply')
    return this.mutate(args.id, (t, ctx) => ops.reply(t, body, ctx, {author: from}))
  }
}

export class Note extends TicketMutation {
  static override summary = 'Add an internal note (agents only; the requester never sees it).'
  static override examples = ['<%= config.bin %> note 7K3F9 "Toner sensor looks faulty"', '<%= config.bin %> note 7K3F9 --body-file notes.md']
  static override args = {id: idArg, text: textArg}
  static override flags = {...bodyFlags}

  async run() {
    const {args, flags} = await this.parse(Note)
    const body = textFrom(args.text, flags, 'note')
    return this.mutate(args.id, (t, ctx) => ops.note(t, body, ctx))
  }
}

export class Assign extends TicketMutation {
  static override summary = 'Assign a ticket to an agent, by the department\'s strategy (--auto), or take the assignee off.'
  static override description = `--auto picks within the ticket's department and tier by the department's strategy (round-robin, load-balanced, skills): the same agent on every clone that has the same events. When every agent there is at capacity, the ticket stays unassigned in the queue and tix says so.`
  static override examples = ['<%= config.bin %> assign 7K3F9 ana@example.com', '<%= config.bin %> assign 7K3F9 me', '<%= config.bin %> assign 7K3F9 --auto', '<%= config.bin %> assign 7K3F9 --auto --dry-run', '<%= config.bin %> assign 7K3F9 --unassign']
  static override args = {id: idArg, agent: Args.string({description: 'The agent (e-mail), or "me".'})}
  static override flags = {
    unassign: Flags.boolean({summary: 'Leave the ticket unassigned.'}),
    auto: Flags.boolean({summary: "Pick the agent by the department's assignment strategy."}),
    'dry-run': Flags.boolean({summary: 'With --auto: say who would get it; write nothing.', dependsOn: ['auto']}),
  }

  async run() {
    const {args, flags} = await this.parse(Assign)
    if (flags.auto) {
      if (flags.unassign || args.agent) throw usageError('Give an agent, --auto or --unassign: only one.')
      return this.autoAssign(args.id, Boolean(flags['dry-run']))
    }
    if (flags.unassign && args.agent) throw usageError('Give an agent or --unassign, not both.')
    if (!flags.unassign && !args.agent) throw usageError('Give the agent to assign to, or --unassign.', 'tix assign 7K3F9 ana@example.com')
    let to: string | null = null
    if (args.agent) {
      const desk = await this.openDesk()
      to = args.agent === 'me' ? desk.actor().id : args.agent.trim()
      if (!/^[^\s<>]+$/.test(to)) throw usageError(`"${args.agent}" is not an agent id: use their e-mail address.`)
    }
    return this.mutate(args.id, (t, ctx) => ops.assign(t, to, ctx))
  }

  private async autoAssign(id: string, dryRun: boolean) {
    const {autoAssign} = await import('../../src/services/workflow.js')
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
      ticket: ticketJson(res.ticket.ticket, index.ids),
      changed: res.commit !== null,
      dryRun,
      commit: res.commit,
      events: res.events,
      assignment: {agent: pick.agent, strategy: pick.strategy, department: pick.department, tier: pick.tier, reason: pick.reason, candidates: pick.candidates},
    })
  }
}

export class Status extends TicketMutation {
  static override summary = 'Change the status: open, pending (waiting on the requester), on-hold (waiting on a third party), resolved, closed.'
  static override examples = ['<%= config.bin %> status 7K3F9 pending', '<%= config.bin %> status 7K3F9 resolved --resolution "Replaced the fuser"']
  static override args = {id: idArg, status: Args.string({description: `New status: ${STATUSES.filter((s) => s !== 'new').join(', ')}.`, required: true, options: STATUSES.filter((s) => s !== 'new')})}
  static override flags = {resolution: Flags.string({summary: 'What solved it (needed for resolved, and for closed unless already resolved).'})}

  async run() {
    const {args, flags} = await this.parse(Status)
    return this.mutate(args.id, (t, ctx) => ops.changeStatus(t, args.status, {resolution: flags.resolution}, ctx))
  }
}

export class Resolve extends TicketMutation {
  static override summary = 'Resolve a ticket: the resolution text stays on it for next time.'
  static override examples = ['<%= config.bin %> resolve 7K3F9 --resolution "Replaced the fuser"']
  static override args = {id: idArg}
  static override flags = {resolution: Flags.string({char: 'm', summary: 'What solved it.', required: true})}

  async run() {
    const {args, flags} = await this.parse(Resolve)
    return this.mutate(args.id, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: flags.resolution}, ctx))
  }
}

export class Close extends TicketMutation {
  static override summary = 'Close a ticket (final). Needs a resolution unless it is already resolved.'
  static override examples = ['<%= config.bin %> close 7K3F9', '<%= config.bin %> close 7K3F9 --resolution "Duplicate of 8M2QX"']
  static override args = {id: idArg}
  static override flags = {resolution: Flags.string({char: 'm', summary: 'What solved it.'})}

  async run() {
    const {args, flags} = await this.parse(Close)
    return this.mutate(args.id, (t, ctx) => ops.changeStatus(t, 'closed', {resolution: flags.resolution}, ctx))
  }
}

export class Reopen extends TicketMutation {
  static override summary = 'Reopen a resolved or closed ticket.'
  static override examples = ['<%= config.bin %> reopen 7K3F9']
  static override args = {id: idArg}

  async run() {
    const {args} = await this.parse(Reopen)
    return this.mutate(args.id, (t, ctx) => ops.reopen(t, ctx))
  }
}

export class Set extends TicketMutation {
  static override summary = "Change a ticket's fields: title, priority, type, department, tags, requester."
  static override examples = [
    '<%= config.bin %> set 7K3F9 --priority urgent --title "Printer jams on every job"',
    '<%= config.bin %> set 7K3F9 --type problem --department facilities --add-tag hw --remove-tag printer',
    '<%= config.bin %> set 7K3F9 --requester "Ana Diaz <ana@example.com>"',
  ]
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
  }

  async run() {
    const {args, flags} = await this.parse(Set)
    const body = readBody(flags)
    const input: ops.SetInput = {
      title: flags.title,
      body,
      priority: flags.priority,
      type: flags.type,
      department: flags.department === undefined ? undefined : flags.department.trim() === '' ? null : flags.department.trim(),
      requester: flags.requester === undefined ? undefined : ops.parsePerson(flags.requester),
      addTags: list(flags['add-tag']),
      removeTags: list(flags['remove-tag']),
    }
    if (Object.values(input).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))) {
      throw usageError('Nothing to set.', 'Pass at least one of --title, --priority, --type, --department, --add-tag, --remove-tag, --requester, --body.')
    }
    return this.mutate(args.id, (t, ctx) => ops.setFields(t, input, ctx))
  }
}
