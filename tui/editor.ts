// Long text in the person's own editor ($VISUAL, $EDITOR, else vi), the way `git commit` does it:
// the TUI steps aside (the terminal goes back to normal mode), the editor runs on a temp file, and
// the TUI comes back. Text below the scissors line is context for the writer and is dropped.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {TixError} from '../src/errors.js'
import {safeText} from '../src/output/text.js'

export const SCISSORS = '# ------------------------ >8 ------------------------'

/** What the TUI lends to a program that needs the whole terminal for a while. */
export interface Terminal {
  /** Runs `fn` with the terminal in normal mode (no raw input, main screen), then takes it back. */
  suspend<T>(fn: () => T): T
}

export const inlineTerminal: Terminal = {suspend: (fn) => fn()}

/** "code --wait" -> ["code", "--wait"]; quotes group words. The command is the person's own setting. */
export function editorCommand(env: NodeJS.ProcessEnv): string[] {
  const raw = (env.VISUAL || env.EDITOR || 'vi').trim()
  const out: string[] = []
  for (const m of raw.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!)
  return out.length > 0 ? out : ['vi']
}

/** The text the person wrote: everything above the scissors line, trailing space trimmed. */
export function readBack(content: string): string {
  const cut = content.indexOf(SCISSORS)
  return (cut >= 0 ? content.slice(0, cut) : content).replace(/\s+$/, '')
}

/**
 * Opens the editor on `initial` (plus `context` below the scissors line). Returns the text, or
 * null when the person left it empty. Throws when the editor cannot run or fails.
 */
export function editText(initial: string, opts: {env: NodeJS.ProcessEnv; terminal: Terminal; context?: string; name?: string}): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'tix-edit-'))
  const file = join(dir, opts.name ?? 'TIX_MESSAGE.md')
  try {
    const context = opts.context
      ? `\n\n${SCISSORS}\n# Write above this line; everything below it is left out. Save and quit to continue.\n${safeText(opts.context)
          .split('\n')
          .map((l) => `# ${l}`)
          .join('\n')}\n`
      : '\n'
    writeFileSync(file, initial + context)
    const [cmd, ...args] = editorCommand(opts.env)
    const res = opts.terminal.suspend(() => spawnSync(cmd!, [...args, file], {stdio: 'inherit', env: opts.env}))
    if (res.error) {
      throw new TixError(`Could not start the editor "${cmd}": ${(res.error as NodeJS.ErrnoException).code ?? res.error.message}.`, {
        hint: 'Set $EDITOR (for example: export EDITOR=nano).',
      })
    }
    if (res.status !== 0) throw new TixError(`The editor exited with code ${res.status ?? res.signal}; nothing was kept.`)
    const text = readBack(readFileSync(file, 'utf8'))
    return text.trim() === '' ? null : text
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
