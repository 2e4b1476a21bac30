// One subscription to the keyboard for the whole app, and listeners that join and leave it in
// the same commit that shows them. Ink's useInput subscribes in an effect, a few milliseconds
// after a component appears, so keys typed right after opening a prompt (fast typing, a paste,
// tmux send-keys) would be lost; here a new prompt hears the very next key.
//
// Keys wait in a queue and are handed out one at a time, each once React has finished the work
// the one before caused: the next key is a task of the lowest priority in React's own scheduler,
// which runs only when no render or effect of a higher priority is waiting. So a key always meets
// the listeners that the keys before it made active ("j" then Enter opens the ticket moved to; Tab
// then text types into the next field), however busy the machine is, and without guessing how long
// a render takes. Keys that arrive in one read ("j" and Enter, "/printer", a whole form typed ahead)
// are split the same way; for a text field, runs of printable characters stay together. A paste
// (bracketed paste mode) goes whole to the text field, newlines included, and never acts as keys.
//
// A key whose effect comes after some IO (an action that reads the desk before it opens its
// prompt) holds the keys after it (useKeyHold) until that work is done, so "r" then "hello" types
// "hello" into the reply prompt. Ctrl-C never waits.
import {useInput, type Key} from 'ink'
import {createContext, useCallback, useContext, useLayoutEffect, useRef, type ReactNode} from 'react'
import {unstable_IdlePriority as IdlePriority, unstable_scheduleCallback as scheduleCallback} from 'scheduler'

type Handler = (input: string, key: Key) => void
type Listener = {current: {handler: Handler; isActive: boolean; text: boolean}}
interface RouterState {
  listeners: Set<Listener>
  queue: [string, Key][]
  draining: boolean
  paste: string | null
  /** Work started by a key that the next keys must wait for (see useKeyHold). */
  holds: number
  resume: () => void
}

const Router = createContext<RouterState | null>(null)

/** The longest a hold keeps keys back, should its work never settle. */
const MAX_HOLD_MS = 30_000

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
}

/** One character as Ink would have reported it on its own. */
export function charEvent(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return ['', {...NO_KEY, return: true}]
  if (ch === '\t') return ['', {...NO_KEY, tab: true}]
  if (ch === '\u007F') return ['', {...NO_KEY, delete: true}]
  if (ch === '\b') return ['', {...NO_KEY, backspace: true}]
  const code = ch.charCodeAt(0)
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), {...NO_KEY, ctrl: true}]
  return [ch, {...NO_KEY, shift: /^[A-Z]$/.test(ch)}]
}

const isBurst = (input: string, key: Key) =>
  [...input].length > 1 &&
  !key.ctrl &&
  !key.meta &&
  !key.escape &&
  !key.return &&
  !key.tab &&
  !key.upArrow &&
  !key.downArrow &&
  !key.leftArrow &&
  !key.rightArrow &&
  !key.pageUp &&
  !key.pageDown &&
  !key.home &&
  !key.end

/** The first key of a burst: a run of printable text (for a text field) or one character. */
function firstOf(input: string, wholeText: boolean): string {
  // eslint-disable-next-line no-control-regex
  const run = /^[^\u0000-\u001F\u007F]+/.exec(input)
  if (run && wholeText) return run[0]
  return [...input][0]!
}

export function KeyRouter({children}: {children: ReactNode}) {
  const state = useRef<RouterState>({listeners: new Set(), queue: [], draining: false, paste: null, holds: 0, resume: () => {}}).current
  const {listeners} = state
  const deliver = (input: string, key: Key) => {
    // Bracketed paste (main.tsx turns it on): the text between the markers is text, never keys.
    if (input === '[200~') {
      state.paste = ''
      return
    }
    if (state.paste !== null) {
      if (input !== '[201~') {
        state.paste += key.return ? '\n' : key.tab ? '\t' : input
        return
      }
      const text = state.paste
      state.paste = null
      for (const l of [...listeners]) if (l.current.isActive && l.current.text) l.current.handler(text, NO_KEY)
      return
    }
    // Who listens is decided by the latest render, before this key changes anything.
    const active = [...listeners].filter((l) => l.current.isActive)
    let [i, k] = [input, key]
    if (isBurst(input, key)) {
      const first = firstOf(input, active.some((l) => l.current.text))
      ;[i, k] = first.length === 1 ? charEvent(first) : [first, NO_KEY]
      if (first.length < input.length) state.queue.unshift([input.slice(first.length), NO_KEY])
    } else if (input.length === 1 && !key.ctrl && !key.meta && input.charCodeAt(0) < 32) [i, k] = charEvent(input)
    for (const l of active) l.current.handler(i, k)
  }
  // The next key is handed out after React has done what this one caused. setImmediate first: a
  // state update schedules its render from a microtask, and the render must be queued before the
  // next key is (the scheduler runs its tasks by priority, the key's last).
  const next = () => setImmediate(() => scheduleCallback(IdlePriority, pump))
  const pump = () => {
    const key = state.holds > 0 ? undefined : state.queue.shift()
    if (!key) {
      state.draining = false
      return
    }
    deliver(...key)
    next()
  }
  state.resume = () => {
    if (!state.draining && state.holds === 0 && state.queue.length > 0) {
      state.draining = true
      next()
    }
  }
  useInput((input, key) => {
    // Ctrl-C quits at once, whatever is queued or held.
    if (key.ctrl && input === 'c' && state.paste === null) return deliver(input, key)
    state.queue.push([input, key])
    state.resume()
  })
  return <Router.Provider value={state}>{children}</Router.Provider>
}

/**
 * Keys typed after the current one wait until `work` settles (and React has drawn what it set):
 * for a key whose effect comes after some IO, such as an action that opens its prompt once it has
 * read the ticket.
 */
export function useKeyHold(): (work: Promise<unknown>) => void {
  const router = useContext(Router)
  if (!router) throw new Error('useKeyHold needs a <KeyRouter> above it')
  return useCallback(
    (work: Promise<unknown>) => {
      router.holds++
      let released = false
      const release = () => {
        if (released) return
        released = true
        clearTimeout(timer)
        router.holds--
        router.resume()
      }
      const timer = setTimeout(release, MAX_HOLD_MS)
      work.then(release, release)
    },
    [router],
  )
}

/**
 * Like Ink's useInput, through the KeyRouter: active from the commit that renders it.
 * `text`: this listener takes typed text, so a burst of characters reaches it whole.
 */
export function useKeyInput(handler: Handler, opts: {isActive?: boolean; text?: boolean} = {}): void {
  const router = useContext(Router)
  if (!router) throw new Error('useKeyInput needs a <KeyRouter> above it')
  const ref = useRef({handler, isActive: opts.isActive ?? true, text: opts.text ?? false})
  ref.current = {handler, isActive: opts.isActive ?? true, text: opts.text ?? false}
  useLayoutEffect(() => {
    router.listeners.add(ref)
    return () => {
      router.listeners.delete(ref)
    }
  }, [router])
}
