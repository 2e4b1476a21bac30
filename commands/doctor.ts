import {envelope} from '../src/output/json.js'
import {safeLine} from '../src/output/text.js'
import {TixCommand} from './base.js'
import {shortIdPrefix} from '../src/domain/ticket/ids.js'

export default class Doctor extends TixCommand {
  static override summary = 'Check the desk: re-fold every ticket from git, rebuild the cache, and list every problem found.'
  static override description = `Damaged lines (not JSON, missing fields), events that cannot be folded (a time that is not ISO-8601
UTC, a seq out of range, an object where text belongs, another ticket's event, a second event with
the same id and other contents), events this version does not know, files under tickets/ that are
not at a ticket's path, and strange but valid histories (e.g. two concurrent closes) are listed with
file and line. The branch's history is searched for commits that removed events from a ticket log
(a deleted or shortened file, a revert): the logs are append-only, so each one is listed, with
whether the tip still lacks those events. Nothing is changed on the desk branch; only the local
cache is rebuilt. Exits 1 when a ticket file has problems or the tip lacks removed events.`
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  async run() {
    await this.parse(Doctor)
    const desk = await this.openDesk()
    desk.clearCache()
    const index = await desk.rebuild()
    const rewrites = await desk.logRewrites(index.commit)
    const problems = Object.values(index.problems).flat()
    const notices = [...Object.values(index.open), ...Object.values(index.done ?? {})]
      .filter((t) => t.notices.length > 0)
      .map((t) => ({id: t.id, notices: t.notices}))
    const tickets = Object.keys(index.open).length + Object.keys(index.done ?? {}).length
    if (!this.jsonEnabled()) {
      this.log(`${tickets} tickets folded from ${desk.branch} at ${index.commit.slice(0, 7)}; cache rebuilt.`)
      for (const p of problems) this.log(safeLine(`${p.path}${p.line > 0 ? `:${p.line}` : ''}: ${p.reason}`))
      for (const n of notices) for (const line of n.notices) this.log(safeLine(`${shortIdPrefix(n.id)}: ${line}`))
      for (const r of rewrites) {
        const what = r.deleted ? `deleted ${r.path}` : `removed or changed ${r.missing} event${r.missing === 1 ? '' : 's'} of ${r.path}`
        const now = r.lostAtTip === 0 ? 'all are back at the tip' : `${r.lostAtTip} still missing at the tip (they are in \`git show ${r.commit.slice(0, 7)}^:${r.path}\`)`
        this.log(`history: commit ${r.commit.slice(0, 7)} ${what} (ticket logs are append-only); ${now}.`)
      }
      if (problems.length === 0 && notices.length === 0 && rewrites.length === 0) this.log('No problems found.')
    }
    if (problems.length > 0 || rewrites.some((r) => r.lostAtTip > 0)) this.ctx.exitCode = 1
    return envelope('doctor', {commit: index.commit, tickets, problems, notices, rewrites})
  }
}
