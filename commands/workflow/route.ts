import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

const changes = (events: readonly unknown[]) =>
  (events as EventBase[]).filter((e) => e.type !== 'route').map((e) => safeLine(describeEvent(e)).replace(/ \(rule "[^"]*"\)$/, ''))

export default class Route extends TixCommand {
  static override summary = "Run the desk's rules on a ticket again (or on the whole unresolved queue)."
  static override description = `Every rule runs, whatever its "on" says, in order; a rule that changes the ticket makes the others look again, and each fires at most once (so rules cannot loop). A rule's reply goes out at most once per ticket. --explain says for every rule whether it matched and why.`
  static override examples = [
    '<%= config.bin %> route 7K3F9',
    '<%= config.bin %> route 7K3F9 --dry-run --explain',
    '<%= config.bin %> route --all --dry-run',
  ]
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it.'})}
  static override flags = {
    all: Flags.boolean({summary: 'Every unresolved ticket (one commit).'}),
    'dry-run': Flags.boolean({summary: 'Show what would change; write nothing.'}),
    explain: Flags.boolean({summary: 'For every rule: matched or not, and which condition decided it.'}),
  }

  async run() {
    const {routeTickets} = await import('../../src/services/workflow/routing.js')
    const {args, flags} = await this.parse(Route)
    if (Boolean(flags.all) === (args.id !== undefined)) throw usageError('Give a ticket id, or --all for the unresolved queue.', 'tix route 7K3F9 --explain  or  tix route --all --dry-run')
    const desk = await this.openDesk()
    const res = await routeTickets(desk, {ids: args.id ? [args.id] : undefined, all: flags.all, dryRun: flags['dry-run']})
    const dry = flags['dry-run']
    if (!this.jsonEnabled()) {
      const c = this.color
      let changed = 0
      for (const r of res.results) {
        const what = changes(r.events)
        if (what.length > 0) changed++
        if (what.length > 0 || !flags.all || flags.explain) {
          const fired = r.reports.filter((x) => x.fired).map((x) => `"${safeLine(x.rule)}"`)
          const line = what.length > 0 ? `${dry ? 'would apply' : 'applied'} rule${fired.length > 1 ? 's' : ''} ${fired.join(', ')}: ${what.join('; ')}` : 'no rule changes anything'
          this.log(`${c.bold(r.shortId)}: ${line}${flags.all ? `  ${c.dim(safeLine(r.title))}` : ''}`)
        }
        for (const m of r.messages) this.note(`${r.shortId}: ${safeLine(m)}`)
        if (flags.explain) {
          for (const rep of r.reports) {
            const mark = rep.fired ? c.green('✓') : rep.matched ? c.yellow('=') : c.dim('✗')
            const state = rep.fired ? 'matched and fired' : rep.matched ? 'matched, but changes nothing' : 'did not match'
            this.log(`  ${mark} rule "${safeLine(rep.rule)}": ${state}`)
            if (rep.checks.length === 0) this.log(c.dim('      (no conditions: matches every ticket)'))
            for (const ch of rep.checks) this.log(`      ${ch.ok ? c.green('yes') : c.red('no ')} ${safeLine(ch.detail)}`)
          }
        }
      }
      if (flags.all) this.note(`${changed} of ${res.results.length} unresolved ticket${res.results.length === 1 ? '' : 's'} ${dry ? 'would change' : 'changed'}${res.commit ? ` (${res.commit.slice(0, 7)})` : ''}.`)
      else if (res.results.length === 0) this.note('Nothing to route.')
    }
    return envelope('route', {
      dryRun: Boolean(dry),
      commit: res.commit,
      tickets: res.results.map((r) => ({
        id: r.id,
        shortId: r.shortId,
        changed: r.events.length > 0,
        changes: changes(r.events),
        messages: r.messages,
        rules: r.reports.map((x) => ({rule: x.rule, matched: x.matched, fired: x.fired, checks: x.checks})),
        events: r.events,
      })),
    })
  }
}
