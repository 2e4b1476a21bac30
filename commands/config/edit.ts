import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Flags} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {SCHEMA_URL} from '../../src/domain/workflow/workflow-config.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'
import {confirm, editText} from '../editor.js'

/** The schema shipped with this install, so an editor can complete desk.json while it is open. */
function localSchemaUrl(): string | null {
  try {
    const dir = typeof __dirname === 'string' ? __dirname : null
    return dir ? pathToFileURL(join(dir, '..', 'schema', 'desk.schema.json')).href : null
  } catch {
    return null
  }
}

export default class ConfigEdit extends TixCommand {
  static override summary = 'Edit desk.json in $VISUAL/$EDITOR; it is validated and committed only if valid.'
  static override description = `Opens a copy of desk.json in your editor (on a terminal only). When you save and close, the copy is checked; if it has problems you can edit again or discard it. Nothing is saved until it is valid. Without a terminal, pass --file FILE (e.g. from CI) or use \`tix config set\`.`
  static override examples = ['<%= config.bin %> config edit', 'EDITOR="code --wait" <%= config.bin %> config edit', '<%= config.bin %> config edit --file desk.json']
  static override flags = {file: Flags.string({summary: 'Take desk.json from this file ("-" for standard input) instead of opening an editor.', helpValue: 'FILE'})}

  async run() {
    const {deskJsonText, saveDeskJsonText} = await import('../../src/services/workflow/desk-config.js')
    const {flags} = await this.parse(ConfigEdit)
    const desk = await this.openDesk()
    const current = (await deskJsonText(desk)) ?? '{\n  "version": 1\n}\n'
    let text: string
    if (flags.file !== undefined) {
      try {
        text = flags.file === '-' ? this.ctx.stdinBytes().toString('utf8') : readFileSync(this.path(flags.file), 'utf8')
      } catch (error) {
        throw usageError(`Cannot read ${flags.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
      }
    } else {
      const local = localSchemaUrl()
      const swap = (s: string, from: string, to: string) => s.split(JSON.stringify(from)).join(JSON.stringify(to))
      text = local ? swap(current, SCHEMA_URL, local) : current
      const noTerminal = usageError('`tix config edit` opens an editor, and there is no terminal here.', 'Pass --file desk.json, or change one value with `tix config set KEY VALUE`.')
      for (;;) {
        text = editText(text, {name: 'desk.json', noTerminal})
        try {
          const {parseConfig} = await import('../../src/domain/config/config.js')
          parseConfig(text, 'The edited desk.json')
          break
        } catch (error) {
          if (!(error instanceof TixError)) throw error
          const problems = ((error.details as {problems?: {path: string; message: string}[]})?.problems ?? []).map((p) => `  ${p.path}: ${p.message}`)
          this.ctx.stderr.write(`${safeLine(problems.length > 0 ? 'The edited desk.json is not valid:' : error.message)}\n${problems.map(safeLine).join('\n')}${problems.length > 0 ? '\n' : ''}`)
          if (!(await confirm('Edit again?'))) throw new TixError('Nothing was saved.', {exitCode: 2, code: 'usage'})
        }
      }
      if (local) text = swap(text, local, SCHEMA_URL)
    }
    const commit = await saveDeskJsonText(desk, text)
    this.log(commit === null ? 'desk.json: nothing changed.' : `desk.json saved (${commit.slice(0, 7)}).`)
    return envelope('config', {changed: commit !== null, commit})
  }
}
