import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {parseValue, setPath} from '../../src/domain/config/json-path.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class ConfigSet extends TixCommand {
  static override summary = 'Set one value of desk.json (validated first; one commit).'
  static override description = `VALUE is read as JSON when it parses (numbers, true/false, lists, objects, "quoted strings"), otherwise as plain text. An invalid result is refused with the path and what is expected (exit 2).`
  static override examples = [
    '<%= config.bin %> config set timezone Europe/Berlin',
    '<%= config.bin %> config set departments.it.assignment round-robin',
    `<%= config.bin %> config set sla '[{"name":"standard","calendar":"office","targets":{"urgent":{"firstResponse":"1h"}}}]'`,
    '<%= config.bin %> config set rules[0] --delete',
  ]
  static override args = {
    key: Args.string({description: 'Path of the value, e.g. departments.it.name.', required: true}),
    value: Args.string({description: 'The new value (JSON or text).'}),
  }
  static override flags = {delete: Flags.boolean({summary: 'Remove the key instead of setting it.'})}

  async run() {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    const {args, flags} = await this.parse(ConfigSet)
    if (flags.delete && args.value !== undefined) throw usageError('Give a value or --delete, not both.')
    if (!flags.delete && args.value === undefined) throw usageError(`Give the value to set ${args.key} to.`, `tix config set ${args.key} VALUE (or --delete)`)
    const value = flags.delete ? undefined : parseValue(args.value!)
    const desk = await this.openDesk()
    let canonical = args.key
    const res = await updateDeskJson(desk, `desk.json: ${flags.delete ? `remove ${args.key}` : `set ${args.key}`}`, (config) => {
      canonical = setPath(config, args.key, value, flags.delete)
      return config
    })
    const shown = flags.delete ? 'removed' : `-> ${JSON.stringify(value)}`
    if (res.commit === null) this.log(`desk.json: ${safeLine(canonical)} is already ${JSON.stringify(value)}; nothing changed.`)
    else this.log(`desk.json: ${safeLine(canonical)} ${safeLine(shown)} (${res.commit.slice(0, 7)}).`)
    return envelope('config', {key: canonical, value: value ?? null, changed: res.commit !== null, commit: res.commit})
  }
}
