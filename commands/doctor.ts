import {envelope} from '../src/output/json.js'
import {safeLine} from '../src/output/text.js'
import {TixCommand} from './base.js'

export default class Doctor extends TixCommand {
  static override summary = 'Check the desk: re-fold every ticket from git, rebuild the cache, and list every problem found.'
  static override description = `Damaged lines (not JSON, missing fields), events this version does not know, and strange but
valid histories (e.g. two concurrent closes) are listed with file and line. Nothing is changed on the
desk branch; only the local cache is rebuilt. Exits 1 when a ticket file has damaged lines.`
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  async run() {
    await this.parse(Doctor)
    const desk = await this.openDesk()
    desk.cache.clear()
    const index = await desk.rebuild()
    const problems = Object.values(index.problems).flat()
    const notices = [...Object.values(index.open), ...Object.values(index.done ?? {})]
      .filter((t) => t.notices.length > 0)
      .map((t) => ({id: t.id, notices: t.notices}))
    const tickets = Object.keys(index.open).length + Object.keys(index.done ?? {}).length
    if (!this.jsonEnabled()) {
      this.log(`${tickets} tickets folded from ${desk.branch} at ${index.commit.slice(0, 7)}; cache rebuilt.`)
      for (const p of problems) this.log(safeLine(`${p.path}:${p.line}: ${p.reason}`))
      for (const n of notices) for (const line of n.notices) this.log(safeLine(`${n.id.slice(0, 5)}: ${line}`))
      if (problems.length === 0 && notices.length === 0) this.log('No problems found.')
    }
    if (problems.length > 0) process.exitCode = 1
    return envelope('doctor', {commit: index.commit, tickets, problems, notices})
  }
}
