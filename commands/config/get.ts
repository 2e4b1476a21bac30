import {Args} from '@oclif/core'
import {notFoundError} from '../../src/errors.js'
import {getPath} from '../../src/domain/config/json-path.js'
import {envelope} from '../../src/output/json.js'
import {safeText} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class ConfigGet extends TixCommand {
  static override summary = "Print desk.json, or one value of it (the desk's configuration)."
  static override description = `KEY is a path: timezone, sla[0].targets.urgent, departments.it.name, agents["ana@example.com"].tier. Strings print as they are; anything else as JSON.`
  static override examples = ['<%= config.bin %> config get', '<%= config.bin %> config get sla', '<%= config.bin %> config get departments.it.tiers --json']
  static override args = {key: Args.string({description: 'Path of the value (default: the whole file).'})}

  async run() {
    const {deskJsonText} = await import('../../src/services/workflow/desk-config.js')
    const {args} = await this.parse(ConfigGet)
    const desk = await this.openDesk()
    const text = await deskJsonText(desk)
    const {parseConfig} = await import('../../src/domain/config/config.js')
    const config = parseConfig(text) as Record<string, unknown>
    let value: unknown = config
    let key: string | null = null
    if (args.key !== undefined) {
      const r = getPath(config, args.key)
      if (!r.found) throw notFoundError(`desk.json has no "${args.key}".`, 'See what it has with `tix config get`.')
      value = r.value
      key = r.path
    }
    if (!this.jsonEnabled()) this.log(typeof value === 'string' ? safeText(value) : safeText(JSON.stringify(value, null, 2)))
    return envelope('config', {key, value})
  }
}
