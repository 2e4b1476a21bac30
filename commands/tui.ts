// `tix tui` (and plain `tix` on a terminal): the interactive queue. The TUI bundle, with ink and
// react, is loaded only here, so no other command pays for it (docs/architecture.md).
import {Flags} from '@oclif/core'
import {TixError, usageError} from '../src/errors.js'
import {VIEWS} from '../src/domain/queue/views.js'
import {importTui} from '../src/runtime.js'
import {TixCommand} from './base.js'

interface TuiModule {
  runTui: (opts: {cwd: string; repoPath?: string; env: NodeJS.ProcessEnv; view?: string; filter?: string}) => Promise<number>
}

export default class Tui extends TixCommand {
  static override summary = 'Open the interactive queue: triage, reply, assign and resolve from one screen.'
  static override description = `Views on the number keys (${VIEWS.map((v) => `${v.key} ${v.label}`).join(', ')}), / filters as you type
(words and terms such as status:pending assignee:me dept:it tag:vpn), Enter opens a ticket, ? shows every key.
Every action is the same operation as its command (tix reply, tix assign, tix resolve, ...). Plain \`tix\` on a
terminal opens it too. It needs a terminal: in scripts use \`tix list\` and the other commands.`
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> tui',
    '<%= config.bin %> tui --view unassigned',
    '<%= config.bin %> tui --filter "tag:vpn status:pending"',
    'TIX_REPO=~/helpdesk <%= config.bin %>',
  ]
  static override flags = {
    view: Flags.option({options: VIEWS.map((v) => v.id), summary: `Saved view to open: ${VIEWS.map((v) => v.id).join(', ')}.`})(),
    filter: Flags.string({summary: 'Filter to start with, as typed after / (e.g. "status:pending tag:vpn").'}),
  }

  async run() {
    const {flags} = await this.parse(Tui)
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw usageError('The TUI needs a terminal (standard input and output must both be one).', 'In scripts, use `tix list` (add --json for data).')
    }
    // Fail here, with this CLI's own errors and exit codes, when there is no desk.
    await this.openDesk()
    const mod = await loadTuiModule()
    const io = this.io()
    try {
      process.exitCode = await mod.runTui({cwd: io.cwd, repoPath: io.repoPath, env: process.env, view: flags.view, filter: flags.filter})
    } catch (error) {
      // The TUI bundle has its own copy of TixError: keep its message, hint and exit code.
      const e = error as Error & {hint?: string; exitCode?: number; code?: string}
      if (e instanceof TixError || e.exitCode === undefined) throw error
      throw new TixError(e.message, {hint: e.hint, exitCode: e.exitCode as never, code: e.code})
    }
  }
}

/**
 * Ink decides at import time whether it runs in CI (CI=true...), and then draws nothing until it
 * exits. On a real terminal a person is watching, so hide those variables while the bundle loads.
 */
async function loadTuiModule(): Promise<TuiModule> {
  const saved: Record<string, string> = {}
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) {
    if (process.env[k] !== undefined) {
      saved[k] = process.env[k]!
      delete process.env[k]
    }
  }
  try {
    return await importTui<TuiModule>()
  } finally {
    Object.assign(process.env, saved)
  }
}
