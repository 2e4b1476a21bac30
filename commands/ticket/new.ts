import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {PRIORITIES, TYPES} from '../../src/domain/ticket/model.js'
import {parsePerson} from '../../src/domain/ticket/ticket-ops.js'
import {cleanDedupeKey, ON_REPEAT, type OnRepeat} from '../../src/domain/ticket/dedupe.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {newTicket} from '../../src/services/tickets.js'
import {importModule} from '../../src/runtime.js'
import type {Ticket} from '../../src/domain/ticket/model.js'
import type {Desk, DeskIndex} from '../../src/store/desk.js'
import {TixCommand} from '../base.js'
import {bodyFlags, channelFlag, fieldFlag, list, priorityFlag, readBody, typeFlag} from '../flags.js'

export default class New extends TixCommand {
  static override summary = 'Open a ticket.'
  static override description = `Without a title on a terminal, asks for the missing fields. Without a terminal (scripts, CI) it
never waits for input: pass the title as the first argument.`
  static override examples = [
    '<%= config.bin %> new "Printer on 3rd floor jams" --body "Since Monday..." --requester "Ana Diaz <ana@example.com>" --channel email --priority high --type incident --tag printer --department it',
    '<%= config.bin %> new "VPN drops" --body-file - < report.txt',
    '<%= config.bin %> new "Nightly build failed" --dedupe-key nightly/linux --channel ci --body-file build.log',
    '<%= config.bin %> new "Nightly build failed" --dedupe-key nightly/linux --on-repeat reopen --json',
    '<%= config.bin %> new "Refund" --field order=NW-4222 --field plan=pro',
    'TIX_ACTOR=ci@example.com <%= config.bin %> new "Nightly build failed" --channel ci --tag ci --body-file build.log --json',
  ]
  // ignoreStdin: standard input is only ever the body (--body-file -), never the title.
  static override args = {title: Args.string({description: 'Short description of the request (or --title).', ignoreStdin: true})}
  static override flags = {
    title: Flags.string({summary: 'The title, when it is not the first argument.'}),
    ...bodyFlags,
    requester: Flags.string({char: 'r', summary: 'Who asked: "Name <email>" or an e-mail (default: you).'}),
    channel: channelFlag(),
    priority: priorityFlag(),
    type: typeFlag(),
    tag: Flags.string({char: 't', summary: 'Tag (repeat or comma-separate).', multiple: true}),
    department: Flags.string({char: 'd', summary: 'Department that owns it (e.g. it).'}),
    assignee: Flags.string({char: 'a', summary: 'Agent to assign it to (e-mail).'}),
    'dedupe-key': Flags.string({summary: 'One ticket per key: the id derives from the desk and the key, so a repeat (from any clone) lands on the same ticket.', helpValue: 'KEY'}),
    'on-repeat': Flags.option({options: ON_REPEAT, summary: 'When the key already has a ticket: note (add a note; default), reopen (also reopen it if resolved), ignore (only count the occurrence).', dependsOn: ['dedupe-key']})(),
    field: fieldFlag(),
  }

  get palette() {
    return this.color
  }

  private async suggest(desk: Desk, t: Ticket, sid: string, index: DeskIndex): Promise<void> {
    try {
      await suggestAfterNew(this, desk, t, sid, index)
    } catch (error) {
      this.note(`(No article suggestions: ${safeLine((error as Error).message)})`)
    }
  }

  async run() {
    const {args, flags} = await this.parse(New)
    if (args.title !== undefined && flags.title !== undefined) throw usageError('Give the title once: as the first argument or with --title.')
    let title = args.title ?? flags.title
    let body = readBody(flags)
    let requester = flags.requester
    let priority: string | undefined = flags.priority
    let type: string | undefined = flags.type
    if (title === undefined) {
      if (!this.ctx.stdin.isTTY || !this.ctx.stdout.isTTY || this.jsonEnabled()) {
        throw usageError(
          'A title is required: pass it as the TITLE argument or with --title (standard input is never the title).',
          'tix new "Printer on 3rd floor jams" --body-file - < mail.txt (tix new --help for every flag).',
        )
      }
      const answers = await askForTicket({requester, priority, type, body})
      ;({title, body, requester, priority, type} = answers)
    }
    const fields = flags.field && flags.field.length > 0 ? await this.customFields(flags.field) : undefined
    const desk = await this.openDesk()
    const input = {
      fields,
      title: title!,
      body,
      requester: requester === undefined ? undefined : parsePerson(requester),
      channel: flags.channel ?? (this.ctx.stdin.isTTY ? 'cli' : 'api'),
      priority,
      type,
      tags: list(flags.tag),
      department: flags.department,
      assignee: flags.assignee,
    }
    if (flags['dedupe-key'] !== undefined) return this.keyed(desk, input, cleanDedupeKey(flags['dedupe-key']), flags['on-repeat'] ?? 'note')
    const res = await newTicket(desk, input)
    const index = await desk.index()
    const ids = desk.sortedIds(index)
    const sid = shortId(ids, res.ticket.ticket.id)
    this.log(`Created ${this.color.bold(sid)}: ${safeLine(res.ticket.ticket.title)}`)
    if (res.rules && res.rules.length > 0) {
      const {describeEvent} = await import('../../src/domain/ticket/describe.js')
      const changes = res.events.filter((e) => e.type !== 'create' && e.type !== 'route').map((e) => safeLine(describeEvent(e as never)).replace(/ \(rule "[^"]*"\)$/, ''))
      this.log(`${sid}: rule${res.rules.length > 1 ? 's' : ''} ${res.rules.map((r) => `"${safeLine(r)}"`).join(', ')}: ${changes.join('; ')}.`)
    }
    for (const m of res.messages ?? []) this.note(`${sid}: ${safeLine(m)}`)
    if (this.tty && !this.jsonEnabled()) await this.suggest(desk, res.ticket.ticket, sid, index)
    return envelope('ticket', {ticket: ticketJson(res.ticket.ticket, ids), changed: true, commit: res.commit, events: res.events, deduped: false, occurrences: 1})
  }

  /** `--dedupe-key`: create the key's ticket, or record a repeat on it (or a follow-up of a closed one). */
  private async keyed(desk: Desk, input: Parameters<typeof newTicket>[1], key: string, onRepeat: OnRepeat) {
    const {fileKeyed} = await import('../../src/services/dedupe.js')
    const res = await fileKeyed(desk, input, {key, onRepeat})
    const ids = desk.sortedIds(await desk.index())
    const t = res.ticket!.ticket
    const sid = shortId(ids, t.id)
    if (res.action === 'created') this.log(`Created ${this.color.bold(sid)}: ${safeLine(t.title)}`)
    else if (res.action === 'follow-up') this.log(`Created ${this.color.bold(sid)}: ${safeLine(t.title)} (follow-up of closed ${shortId(ids, res.followUpOf!)})`)
    else this.log(`${this.color.bold(sid)}: happened again (occurrence ${res.occurrences})${res.action === 'reopened' ? '; reopened' : res.action === 'noted' ? '; noted' : ''}.`)
    for (const m of res.messages) this.note(`${sid}: ${safeLine(m)}`)
    return envelope('ticket', {
      ticket: ticketJson(t, ids),
      changed: res.commit !== null,
      commit: res.commit,
      events: res.events,
      deduped: res.deduped,
      occurrences: res.occurrences,
      action: res.action,
      followUpOf: res.followUpOf,
    })
  }
}

/**
 * On a terminal, the knowledge base's top three published articles for the new ticket (what
 * `tix kb suggest` would say). Only when the desk has articles; never in a pipe or with --json.
 */
async function suggestAfterNew(cmd: New, desk: Desk, t: Ticket, sid: string, index: DeskIndex): Promise<void> {
  const {openKbLookup} = await import('../../src/store/kb-index.js')
  const {suggestFor} = await import('../../src/services/kb/search.js')
  const kb = await openKbLookup(desk, index.commit)
  if (kb.size === 0) return
  const hits = suggestFor(desk, kb, index.config, t, 3)
  if (hits.length === 0) return
  const c = cmd.palette
  cmd.log(c.dim('Articles that may answer it:'))
  for (const h of hits) cmd.log(`  ${c.bold(h.article.slug)} ${c.dim(`[${h.article.lang}]`)} ${safeLine(h.article.title)} ${c.dim(`(${safeLine(h.matched.join(', '))})`)}`)
  cmd.log(c.dim(`Cite one: tix reply ${sid} --article ${hits[0]!.article.slug}`))
}

/** The interactive form (inquirer), only ever on a terminal. */
async function askForTicket(given: {requester?: string; priority?: string; type?: string; body?: string}) {
  const {default: inquirer} = await importModule<typeof import('inquirer')>('inquirer')
  const a = await inquirer.prompt([
    {type: 'input', name: 'title', message: 'Title (short description):', validate: (v: string) => (v.trim() ? true : 'A title is required')},
    ...(given.body === undefined ? [{type: 'input', name: 'body', message: 'Details (optional):'}] : []),
    ...(given.requester === undefined
      ? [{type: 'input', name: 'requester', message: 'Requester ("Name <email>", empty for you):', validate: (v: string) => {
          if (!v.trim()) return true
          try { parsePerson(v); return true } catch (e) { return (e as Error).message }
        }}]
      : []),
    ...(given.priority === undefined ? [{type: 'list', name: 'priority', message: 'Priority:', choices: [...PRIORITIES], default: 'normal'}] : []),
    ...(given.type === undefined ? [{type: 'list', name: 'type', message: 'Type:', choices: [...TYPES], default: 'question'}] : []),
  ] as never)
  const r = a as Record<string, string>
  return {
    title: r.title!,
    body: given.body ?? r.body,
    requester: given.requester ?? (r.requester?.trim() ? r.requester : undefined),
    priority: given.priority ?? r.priority,
    type: given.type ?? r.type,
  }
}
