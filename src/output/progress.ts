// A progress line for long work on a terminal (a sync that moves thousands of commits, the first
// index of a big desk): one line on stderr, rewritten in place, at most ten times a second, and
// erased when the work is done. Never in a pipe or a file (the caller only makes one for a TTY), so
// scripts and `--json` readers see nothing of it.
import {safeLine} from '../domain/common/safe-text.js'

export type Progress = (text: string | null) => void

/** What a progress line needs of a stream: a process's stderr, or a command context's. */
interface Terminal {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
}

/** A progress line on `stream`, or undefined when it is not a terminal (or TIX_NO_PROGRESS is set). */
export function progressLine(stream: Terminal, env: NodeJS.ProcessEnv, now: () => number = Date.now): Progress | undefined {
  if (!stream.isTTY || env.TIX_NO_PROGRESS) return undefined
  let shown = false
  let last = 0
  return (text) => {
    if (text === null) {
      if (shown) stream.write('\r\x1b[K')
      shown = false
      last = 0
      return
    }
    const t = now()
    if (shown && t - last < 100) return
    last = t
    const width = Math.max(20, (stream.columns || 80) - 1) // 0: a terminal that does not say its size
    const line = safeLine(text)
    stream.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line}\x1b[K`)
    shown = true
  }
}
