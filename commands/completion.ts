import {Args} from '@oclif/core'
import {envelope} from '../src/output/json.js'
import {TixCommand} from './base.js'
import {completionScript, SHELLS, type Shell} from './completion-scripts.js'

export default class Completion extends TixCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description = `Completes commands, flags, and the desk's own values: open ticket ids, agents, departments,
macros, statuses, priorities, types and channels (read from the cache, so it stays fast).

Install it once:
  bash  tix completion bash > ~/.local/share/bash-completion/completions/tix
        (or add  source <(tix completion bash)  to ~/.bashrc)
  zsh   tix completion zsh > "\${fpath[1]}/_tix"   then restart zsh
        (or add  source <(tix completion zsh)  to ~/.zshrc, after compinit)
  fish  tix completion fish > ~/.config/fish/completions/tix.fish`
  static override examples = [
    '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/tix',
    'source <(<%= config.bin %> completion zsh)',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/tix.fish',
  ]
  static override args = {
    shell: Args.string({description: 'The shell: bash, zsh or fish.', options: [...SHELLS], required: true}),
  }

  async run() {
    const {args} = await this.parse(Completion)
    const shell = args.shell as Shell
    const script = completionScript(shell, this.config.bin)
    if (!this.jsonEnabled()) this.ctx.stdout.write(script)
    return envelope('completion', {shell, script})
  }
}
