// Long output on a terminal goes through a pager, as `git log` does: $TIX_PAGER, else $PAGER, else
// `less -FRX` (quit if it fits, keep colours, leave the text on screen). Never in a pipe. The pager
// is started without a shell: its command is split on whitespace, and ticket text only ever
// reaches it on stdin.
import {spawn} from 'node:child_process'
import type {Writable} from 'node:stream'
import {flushOutput} from '../runtime.js'

/** The pager's argv, or null for none (`cat`, or an empty setting). */
export function pagerCommand(env: NodeJS.ProcessEnv): string[] | null {
  const setting = env.TIX_PAGER ?? env.PAGER ?? 'less -FRX'
  const argv = setting.trim().split(/\s+/).filter(Boolean)
  if (argv.length === 0 || argv[0] === 'cat') return null
  return argv
}

export interface PageOptions {
  /** The terminal (process.stdout) or a command context's stdout; the pager only ever runs on a terminal. */
  out: Writable & {isTTY?: boolean; rows?: number}
  env: NodeJS.ProcessEnv
  /** --no-pager */
  disabled?: boolean
}

/** Writes `text` (ending in a newline) to the terminal, through the pager when it is taller than the screen. */
export async function writePaged(text: string, opts: PageOptions): Promise<void> {
  const rows = opts.out.rows ?? 0
  const lines = text.length === 0 ? 0 : text.split('\n').length - 1
  const argv = opts.disabled || !opts.out.isTTY || rows === 0 || lines < rows ? null : pagerCommand(opts.env)
  if (argv === null) {
    opts.out.write(text)
    return
  }
  const started = await new Promise<boolean>((resolve) => {
    // less reads LESS when given no flags of its own; git sets the same defaults.
    const env = {...opts.env, LESS: opts.env.LESS ?? 'FRX', LV: opts.env.LV ?? '-c'}
    flushOutput() // what the command wrote before comes first on the terminal
    const child = spawn(argv[0]!, argv.slice(1), {stdio: ['pipe', 'inherit', 'inherit'], env})
    let spawned = false
    child.once('spawn', () => {
      spawned = true
      child.stdin.on('error', () => {}) // the reader quit early (q in less): not an error
      child.stdin.end(text)
    })
    child.once('error', () => resolve(spawned))
    child.once('close', () => resolve(true))
  })
  if (!started) opts.out.write(text) // no such pager: print as if there were none
}
