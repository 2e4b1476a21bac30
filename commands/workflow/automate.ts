import {Flags} from '@oclif/core'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class Automate extends TixCommand {
  static override summary = "Run the desk's time-based automations (for cron or a scheduled CI job)."
  static override description = `Each automation fires once per ticket and occurrence of its condition, and records that it fired, so running this twice changes nothing the second time. All changes go into one commit. When desk.json has sla-warning or sla-breach hooks, new SLA warnings and breaches are recorded here and the hooks run (hooks run only where enabled: git config tix.hooks true).`
  static override examples = ['<%= config.bin %> automate', '<%= config.bin %> automate --dry-run', '*/15 * * * *  cd /srv/desk && <%= config.bin %> automate --json >> automate.log']
  static override flags = {'dry-run': Flags.boolean({summary: 'Show what would fire; write nothing.'})}

  async run() {
    const {flags} = await this.parse(Automate)
    const desk = await this.openDesk()
    const {hasAutomationWork, runAutomations} = await import('../../src/services/workflow/automations.js')
    if (!hasAutomationWork((await desk.index()).config)) {
      this.note('This desk has no automations (add them under "automations" in desk.json with `tix config edit`); nothing to do.')
      return envelope('automation-run', {dryRun: Boolean(flags['dry-run']), scanned: 0, changed: 0, commit: null, tickets: [], hooks: []})
    }
    const res = await runAutomations(desk, {dryRun: flags['dry-run']})
    const dry = Boolean(flags['dry-run'])
    const fired = res.firings.filter((f) => f.events.length > 0)
    if (!this.jsonEnabled()) {
      const c = this.color
      for (const f of res.firings) {
        const what = f.events.filter((e) => e.type !== 'automation').map((e) => safeLine(describeEvent(e as EventBase)))
        const names = f.automations.filter((a) => a.events > 0).map((a) => `"${safeLine(a.automation)}"`)
        if (what.length > 0) this.log(`${c.bold(f.shortId)}: ${names.length > 0 ? `${names.join(', ')}: ` : ''}${what.join('; ')}`)
        for (const a of f.automations) for (const m of a.messages) this.note(`${f.shortId}: automation "${safeLine(a.automation)}": ${safeLine(m)}`)
      }
      if (fired.length === 0) this.note(`Nothing to do: no automation is due (checked ${res.scanned} ticket${res.scanned === 1 ? '' : 's'}).`)
      else this.note(`${dry ? 'Would change' : 'Changed'} ${fired.length} ticket${fired.length === 1 ? '' : 's'}${res.commit ? ` in one commit (${res.commit.slice(0, 7)})` : ''}.`)
    }
    return envelope('automation-run', {
      dryRun: dry,
      scanned: res.scanned,
      changed: fired.length,
      commit: res.commit,
      tickets: res.firings.map((f) => ({id: f.id, shortId: f.shortId, automations: f.automations, alerts: f.alerts, events: f.events})),
      hooks: res.hooks,
    })
  }
}
