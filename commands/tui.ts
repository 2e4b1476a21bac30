// `tix tui` (and plain `tix` on a terminal): the interactive queue. Ink and React are in the same
// bundle as every command, but run only from here (docs/architecture.md).
import {Flags} from '@oclif/core'
import {usageError} from '../src/errors.js'
import {VIEWS} from '../src/domain/queue/views.js'
import {saveCodeCache} from '../src/runtime.js'
import {TixCommand} from './base.js'

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
    const {stdin, stdout} = this.ctx
    if (!stdin.isTTY || !stdout.isTTY) {
      throw usageError('The TUI needs a terminal (standard input and output must both be one).', 'In scripts, use `tix list` (add --json for data).')
    }
    const {runTui} = await loadTui()
    const io = this.io()
    // Its errors (no desk here, a bad TIX_BRANCH) are this CLI's TixErrors: the same message, hint and exit code.
    this.ctx.exitCode = await runTui({
      cwd: io.cwd,
      repoPath: io.repoPath,
      env: io.env,
      stdin: stdin as NodeJS.ReadStream,
      stdout: stdout as NodeJS.WriteStream,
      openDesk: this.ctx.openDesk,
      view: flags.view,
      filter: flags.filter,
      onReady: () => setTimeout(saveCodeCache, 50).unref(),
    })
  }
}

/**
 * The TUI's module. Ink decides when it loads whether it runs in CI (CI=true...), and then draws
 * nothing until it exits; on a real terminal a person is watching, so those variables are hidden
 * while it loads.
 */
export async function loadTui(): Promise<typeof import('../tui/main.js')> {
  const saved: Record<string, string> = {}
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) {
    if (process.env[k] !== undefined) {
      saved[k] = process.env[k]!
      delete process.env[k]
    }
  }
  try {
    return await import('../tui/main.js')
  } finally {
    Object.assign(process.env, saved)
  }
}
