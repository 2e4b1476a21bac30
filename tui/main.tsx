// The TUI's entry (in dist/cli.cjs behind an import() in commands/tui.ts, run only when the TUI starts). It owns the
// terminal while it runs: the alternate screen, raw input, the cursor; and it gives them back on
// every way out (q, Ctrl-C, a signal, a crash), so the shell is never left in a broken state.
import {render} from 'ink'
import {loadQueue} from '../src/services/queue.js'
import {Desk, type DeskIndex, type DeskIO} from '../src/store/desk.js'
import {App, type AppProps} from './App.js'
import type {Terminal} from './editor.js'
import {initialQueue, queueQuery} from './hooks/useQueue.js'

export {App} from './App.js'
export type {AppProps} from './App.js'

const ENTER_ALT = '\u001B[?1049h'
const LEAVE_ALT = '\u001B[?1049l'
const HIDE_CURSOR = '\u001B[?25l'
const SHOW_CURSOR = '\u001B[?25h'
const CLEAR = '\u001B[2J\u001B[3J\u001B[H'
// Bracketed paste: pasted text arrives marked, so a paste into a reply is never taken as keys.
const PASTE_ON = '\u001B[?2004h'
const PASTE_OFF = '\u001B[?2004l'
/** How long the first frame waits for the queue: a warm cache answers sooner, and the queue is the first thing drawn. */
const FIRST_FRAME_WAIT_MS = 250

export interface RunTuiOptions {
  cwd: string
  repoPath?: string
  env?: NodeJS.ProcessEnv
  /** Saved view to open (its id or key) and a filter to start with. */
  view?: string
  filter?: string
  stdin?: NodeJS.ReadStream
  stdout?: NodeJS.WriteStream
  /** Opens the desk (the command's context; Desk.open by default). */
  openDesk?: (io: DeskIO) => Promise<Desk>
  /** Called after the first frame that shows the queue with its tickets. */
  onReady?: () => void
  /** Extra props for the App (tests, benchmarks). */
  app?: Partial<AppProps>
}

/** Opens the desk and runs the TUI until the person quits. Resolves with the exit code. */
export async function runTui(opts: RunTuiOptions): Promise<number> {
  const env = opts.env ?? process.env
  const stdin = opts.stdin ?? process.stdin
  const stdout = opts.stdout ?? process.stdout
  const notices: string[] = []
  const listeners = new Set<(line: string) => void>()
  const io: DeskIO = {
    cwd: opts.cwd,
    repoPath: opts.repoPath,
    env,
    // Never write past the TUI: warnings become status lines.
    warn: (line) => {
      notices.push(line)
      for (const l of listeners) l(line)
    },
  }
  const desk = await (opts.openDesk ? opts.openDesk(io) : Desk.open(io))

  let restored = false
  const restore = () => {
    if (restored) return
    restored = true
    try {
      if (stdin.isTTY) stdin.setRawMode(false)
    } catch {
      // stdin already closed
    }
    stdout.write(PASTE_OFF + SHOW_CURSOR + LEAVE_ALT)
  }
  const terminal: Terminal = {
    suspend: (fn) => {
      stdout.write(PASTE_OFF + SHOW_CURSOR + LEAVE_ALT)
      if (stdin.isTTY) stdin.setRawMode(false)
      // The editor owns Ctrl-C while it runs; a stray SIGINT must not kill the TUI behind it.
      const ignore = () => {}
      process.on('SIGINT', ignore)
      try {
        return fn()
      } finally {
        process.off('SIGINT', ignore)
        if (stdin.isTTY) stdin.setRawMode(true)
        stdout.write(ENTER_ALT + CLEAR + HIDE_CURSOR + PASTE_ON)
      }
    },
  }

  // Every frame Ink draws costs (a whole screen of cells): rather than a "Loading the desk…" frame
  // and then the queue, the first frame is the queue, unless reading it takes long (no cache yet).
  // (Begun before the terminal is taken: an error here, such as a bad TIX_ACTOR, prints as usual.)
  const q = queueQuery(initialQueue({view: opts.view, filter: opts.filter}), desk.actor().id)
  const pending = loadQueue(desk, {done: q.needsDone, text: q.needsText})
  stdout.write(ENTER_ALT + CLEAR + HIDE_CURSOR + PASTE_ON)
  process.once('exit', restore)
  const index = await Promise.race([pending, new Promise<null>((r) => setTimeout(r, FIRST_FRAME_WAIT_MS, null).unref())]).catch((): DeskIndex | null => null)
  const instance = render(
    <App
      desk={desk}
      firstLoad={{index, pending}}
      view={opts.view}
      filter={opts.filter}
      env={env}
      terminal={terminal}
      notices={notices}
      onNotice={(l) => {
        listeners.add(l)
        return () => listeners.delete(l)
      }}
      onReady={opts.onReady}
      clearScreen={() => stdout.write(CLEAR)}
      {...opts.app}
    />,
    // console.log from anywhere must not tear the screen; on someone else's stream it is not ours to catch.
    {stdin, stdout, stderr: process.stderr, exitOnCtrlC: false, patchConsole: stdout === process.stdout, maxFps: 60, incrementalRendering: false},
  )
  const stop = () => instance.unmount()
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']
  for (const s of signals) process.on(s, stop)
  // The terminal hung up (its window closed, the ssh link dropped): there is nothing left to draw
  // on or to restore, every write fails (EIO) and even Node's own reset of the terminal at exit
  // aborts. End at once; a commit in flight is all or nothing anyway.
  const hangup = () => process.kill(process.pid, 'SIGKILL')
  const outError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EIO' || e.code === 'EPIPE') hangup()
  }
  process.on('SIGHUP', hangup)
  stdin.on('end', hangup)
  stdin.on('error', hangup)
  stdout.on('error', outError)
  try {
    await instance.waitUntilExit()
    return 0
  } finally {
    for (const s of signals) process.off(s, stop)
    process.off('SIGHUP', hangup)
    stdin.off('end', hangup)
    stdin.off('error', hangup)
    stdout.off('error', outError)
    restore()
    process.off('exit', restore)
  }
}
