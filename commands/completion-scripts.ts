// The shell scripts `tix completion bash|zsh|fish` prints. Each asks `tix __complete -- <words>`
// for the candidates of the word under the cursor (one "value<TAB>description" a line).
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const bash = (bin: string) => `# tix completion for bash. Install: tix completion bash > ~/.local/share/bash-completion/completions/${bin}
_${bin}_complete() {
  local IFS=$'\\n'
  local words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=($(command ${bin} __complete -- "\${words[@]}" 2>/dev/null | cut -f1))
}
complete -o default -F _${bin}_complete ${bin}
`

const zsh = (bin: string) => `#compdef ${bin}
# tix completion for zsh. Install: tix completion zsh > "\${fpath[1]}/_${bin}" (then restart zsh)
_${bin}() {
  local -a items
  local line
  for line in "\${(@f)$(command ${bin} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    [[ -z $line ]] && continue
    if [[ $line == *$'\\t'* ]]; then
      items+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      items+=("\${line//:/\\\\:}")
    fi
  done
  _describe -t values '${bin}' items
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _${bin} "$@"
else
  compdef _${bin} ${bin}
fi
`

const fish = (bin: string) => `# tix completion for fish. Install: tix completion fish > ~/.config/fish/completions/${bin}.fish
function __${bin}_complete
    set -l words (commandline -opc)
    set -e words[1]
    command ${bin} __complete -- $words (commandline -ct) 2>/dev/null
end
complete -c ${bin} -f -a '(__${bin}_complete)'
`

export function completionScript(shell: Shell, bin: string): string {
  const safe = bin.replace(/[^A-Za-z0-9_-]/g, '') || 'tix'
  return {bash, zsh, fish}[shell](safe)
}
