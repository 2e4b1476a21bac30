// Opening $VISUAL / $EDITOR on a temporary copy: only on a terminal, and without a shell (the
// command line is split into argv here, so nothing in it or in the file name is ever interpreted).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline/promises'
import {TixError, usageError} from '../src/errors.js'
import {flushOutput} from '../src/runtime.js'
import {commandContext} from './context.js'

export const isInteractive = () => {
  const ctx = commandContext()
  return Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY)
}

/** Splits an editor command line the way a person writes it: spaces, 'single' and "double" quotes, \\ escapes. */
export function splitCommand(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote: '"' | "'" | null = null
  let started = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote) {
      if (ch === quote) quote = null
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i]
      else cur += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      started = true
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i]
      started = true
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur)
      cur = ''
      started = false
    } else {
      cur += ch
      started = true
    }
  }
  if (quote) throw usageError(`The editor command ${JSON.stringify(line)} has an unclosed quote.`, 'Fix $VISUAL or $EDITOR.')
  if (started) out.push(cur)
  return out
}

export function editorCommand(env: NodeJS.ProcessEnv = commandContext().env): string[] {
  const line = env.VISUAL?.trim() || env.EDITOR?.trim() || (process.platform === 'win32' ? 'notepad' : 'vi')
  const argv = splitCommand(line)
  if (argv.length === 0) throw usageError('$VISUAL/$EDITOR is empty.', 'Set EDITOR, e.g. export EDITOR="code --wait".')
  return argv
}

/**
 * Lets a person edit `text` in their editor and returns the result. `noTerminal` is the error
 * message when there is no terminal (it must name the flags to use instead).
 */
export function editText(text: string, opts: {name: string; noTerminal: TixError}): string {
  if (!isInteractive()) throw opts.noTerminal
  const dir = mkdtempSync(join(tmpdir(), 'tix-edit-'))
  const file = join(dir, opts.name)
  try {
    writeFileSync(file, text)
    const [cmd, ...args] = editorCommand()
    flushOutput() // what the command wrote before comes first on the terminal
    const r = spawnSync(cmd!, [...args, file], {stdio: 'inherit', shell: false})
    if (r.error) throw new TixError(`Could not start the editor "${cmd}": ${r.error.message}.`, {hint: 'Set VISUAL or EDITOR to an editor on your PATH, e.g. export EDITOR=nano.'})
    if (r.status !== 0) throw new TixError(`The editor exited with ${r.status ?? r.signal}; nothing was saved.`)
    return readFileSync(file, 'utf8')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Asks a yes/no question on the terminal (default yes). */
export async function confirm(question: string): Promise<boolean> {
  if (!isInteractive()) return false
  const ctx = commandContext()
  const rl = createInterface({input: ctx.stdin, output: ctx.stderr})
  try {
    const answer = (await rl.question(`${question} [Y/n] `)).trim().toLowerCase()
    return answer === '' || answer === 'y' || answer === 'yes'
  } finally {
    rl.close()
  }
}
