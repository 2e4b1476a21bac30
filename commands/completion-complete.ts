// `tix __complete -- <words...>`: the candidates for the last word, one "value<TAB>description" a
// line, for the scripts of `tix completion`. Hidden; never fails loudly (a shell shows nothing then).
import {complete, deskValues, type CommandSpec} from '../src/services/completion.js'
import {safeLine} from '../src/output/text.js'
import {Desk} from '../src/store/desk.js'
import {TixCommand} from './base.js'

export default class Complete extends TixCommand {
  static override hidden = true
  static override strict = false
  static override enableJsonFlag = false
  static override summary = 'Shell completion candidates (used by the scripts of `tix completion`).'
  static override examples = ['<%= config.bin %> __complete -- list --status o']

  async run() {
    const raw = this.argv
    const words = raw[0] === '--' ? raw.slice(1) : raw
    if (words.length === 0) words.push('')
    const commands: CommandSpec[] = this.config.commands
      .filter((c) => !c.hidden && c.id !== '__complete')
      .map((c) => ({
        id: c.id,
        summary: c.summary,
        args: Object.keys(c.args ?? {}),
        flags: Object.values(c.flags ?? {})
          .filter((f) => !f.hidden && f.name !== 'json')
          .map((f) => ({name: f.name, char: f.char, value: f.type === 'option', options: f.type === 'option' ? f.options : undefined, summary: f.summary ?? f.description})),
      }))
    const repoAt = words.findIndex((w) => w === '--repo')
    const repoPath = repoAt >= 0 && repoAt < words.length - 2 ? words[repoAt + 1] : words.find((w) => w.startsWith('--repo='))?.slice(7)
    let desk: Promise<Desk | null> | undefined
    const open = () => (desk ??= Promise.resolve().then(() => {
      try {
        const d = Desk.find({cwd: this.ctx.cwd, repoPath, env: this.ctx.env, warn: () => {}})
        return d && d.tip() !== null ? d : null
      } catch {
        return null
      }
    }))
    try {
      const found = await complete(words, commands, deskValues(open))
      const id = (s: string) => s.replace(/[\t\n\r]/g, ' ')
      this.ctx.stdout.write(found.map((c) => (c.description ? `${id(c.value)}\t${safeLine(id(c.description))}` : id(c.value)) + '\n').join(''))
    } catch {
      // nothing to offer
    }
  }
}
