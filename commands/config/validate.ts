import {readFileSync} from 'node:fs'
import {Args} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class ConfigValidate extends TixCommand {
  static override summary = "Check desk.json (and the desk's macros): every problem with its path and what is expected."
  static override description = 'Exits 0 when valid, 2 when not. With FILE, checks that file instead (e.g. in CI, before `tix config edit --file FILE`).'
  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate desk.json', 'cat desk.json | <%= config.bin %> config validate -']
  static override args = {file: Args.string({description: 'A desk.json file to check ("-" for standard input).'})}

  async run() {
    const {deskJsonText} = await import('../../src/services/workflow/desk-config.js')
    const {listMacros} = await import('../../src/services/workflow/macros.js')
    const {args} = await this.parse(ConfigValidate)
    const {validateDesk} = await import('../../src/domain/config/config.js')
    let text: string | null
    let source = 'desk.json'
    const macros: {name: string; problem: string | null}[] = []
    if (args.file !== undefined) {
      source = args.file === '-' ? 'standard input' : args.file
      try {
        text = args.file === '-' ? this.ctx.stdinBytes().toString('utf8') : readFileSync(this.path(args.file), 'utf8')
      } catch (error) {
        throw usageError(`Cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
      }
    } else {
      const desk = await this.openDesk()
      text = await deskJsonText(desk)
      try {
        for (const m of await listMacros(desk)) macros.push({name: m.name, problem: m.problem})
      } catch (error) {
        if (!(error instanceof TixError)) throw error // desk.json itself is invalid: reported below
      }
    }
    let problems: {path: string; message: string}[] = []
    if (text !== null) {
      try {
        problems = validateDesk(JSON.parse(text))
      } catch (error) {
        problems = [{path: '(file)', message: `not valid JSON: ${(error as Error).message}`}]
      }
    }
    const badMacros = macros.filter((m) => m.problem !== null)
    const valid = problems.length === 0 && badMacros.length === 0
    if (!this.jsonEnabled()) {
      if (valid) this.log(`${source} is valid${macros.length > 0 ? ` (and ${macros.length} macro${macros.length === 1 ? '' : 's'})` : ''}.`)
      else {
        if (problems.length > 0) this.ctx.stderr.write(`${source} is not valid:\n${problems.map((p) => `  ${safeLine(p.path)}: ${safeLine(p.message)}\n`).join('')}`)
        for (const m of badMacros) this.ctx.stderr.write(`${safeLine(m.problem!)}\n`)
        this.ctx.stderr.write('Fix it with `tix config edit` (it validates before it saves).\n')
      }
    }
    if (!valid) this.ctx.exitCode = 2
    return envelope('config-validation', {valid, source, problems, macros: badMacros.map((m) => ({name: m.name, problem: m.problem}))})
  }
}
