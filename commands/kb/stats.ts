import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {kbStats} from '../../src/services/kb/stats.js'
import {TixCommand} from '../base.js'

export default class KbStats extends TixCommand {
  static override summary = 'Articles by use: replies that cited them, tickets resolved with them, the portal\'s views and "helpful" votes.'
  static override description = 'Replies cite an article through `tix reply ID --article SLUG`, a macro\'s {{article.<slug>.link}}, or a rule\'s automatic answer. Views and votes come from the portal (kb/<slug>/feedback.jsonl).'
  static override examples = ['<%= config.bin %> kb stats', '<%= config.bin %> kb stats --json']

  async run() {
    await this.parse(KbStats)
    const desk = await this.openDesk()
    const res = await kbStats(desk)
    if (this.tty) this.log(this.color.dim(`${'ARTICLE'.padEnd(28)} ${'REPLIES'.padStart(7)} ${'RESOLVED'.padStart(8)} ${'VIEWS'.padStart(6)} ${'HELPFUL'.padStart(7)} ${'NOT'.padStart(4)}  TITLE`))
    for (const s of res.stats) {
      const cells = [s.slug, s.replies, s.resolved, s.views, s.helpful, s.notHelpful, safeLine(s.title ?? '(no longer exists)')]
      this.log(this.tty ? `${s.slug.padEnd(28)} ${String(s.replies).padStart(7)} ${String(s.resolved).padStart(8)} ${String(s.views).padStart(6)} ${String(s.helpful).padStart(7)} ${String(s.notHelpful).padStart(4)}  ${cells[6]}` : cells.join('\t'))
    }
    if (res.stats.length === 0) this.note('No articles yet.')
    return envelope('kb-stats', {count: res.stats.length, articles: res.stats})
  }
}
