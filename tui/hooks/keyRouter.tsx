// One subscription to the keyboard for the whole app, and listeners that join and leave it in
// the same commit that shows them. Ink's useInput subscribes in an effect, a few milliseconds
// after a component appears, so keys typed right after opening a prompt (fast typing, a paste,
// tmux send-keys) would be lost; here a new prompt hears the very next key.
//
// Keys are handed out one at a time, each after React has rendered the one before (React renders
// later, on its own schedule: two keys handed out together would both see the old screen, and
// "j" then Enter would open the wrong ticket). Keys that arrive in one read ("j" and Enter, "/printer") are split the
// same way; for a text field, runs of printable characters stay together. A paste (bracketed
// paste mode) goes whole to the text field, newlines included, and never acts as keys.
//
// A key whose effect comes later (an action that reads the desk before it opens its prompt) holds
// the keys after it (useKeyHold) until that work is done and its screen is drawn, so "r" then
// "hello" types "hello" into the reply prompt however busy the machine is. Ctrl-C never waits.
import {useInput, type Key} from 'ink'
import {createContext, useCallback, useContext, useLayoutEffect, useRef, type ReactNode} from 'react'

type Handler = (input: string, key: Key) => void
type Listener = {current: {handler: Handler; isActive: boolean; text: boolean}}
interface RouterState {
  listeners: Set<Listener>
  queue: [string, Key][]
  draining: boolean
  paste: string | null
  /** Bumped at every commit of a listening component: the sign that React has caught up. */
  renders: number
  /** Work started by a key that the next keys must wait for (see useKeyHold). */
  holds: number
  resume: () => void
}

const Router = createContext<RouterState | null>(null)

/** How long the next key waits for React to render the one before, when it renders nothing. */
const CATCH_UP_MS = 30
/** How long held keys wait for the settled work's screen when it draws nothing new. */
const SETTLE_MS = 100
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
  const state = useRef<RouterState>({listeners: new Set(), queue: [], draining: false, paste: null, renders: 0, holds: 0, resume: () => {}}).current
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
  // The next key waits until React has rendered this one (when it renders nothing, a moment).
  const pump = () => {
    const next = state.holds > 0 ? undefined : state.queue.shift()
    if (!next) {
      state.draining = false
      return
    }
    const before = state.renders
    const at = performance.now()
    deliver(...next)
    const wait = () => {
      if (state.queue.length === 0 || state.renders !== before || performance.now() - at > CATCH_UP_MS) pump()
      else setTimeout(wait, 1)
    }
    setImmediate(wait)
  }
  state.resume = () => {
    if (!state.draining && state.holds === 0 && state.queue.length > 0) {
      state.draining = true
      pump()
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
        // Resume after the commit that the settled work caused (its new listeners are in place by
        // then), or after SETTLE_MS when it caused none.
        const before = router.renders
        const at = performance.now()
        const wait = () => {
          if (router.renders !== before || performance.now() - at > SETTLE_MS) {
            router.holds--
            router.resume()
          } else setTimeout(wait, 1)
        }
        setImmediate(wait)
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
  // Counted at the commit, not the render: React may render in slices on a busy machine, and a key
  // handed out between a render and its commit would still meet the old listeners.
  useLayoutEffect(() => {
    router.renders++
  })
  useLayoutEffect(() => {
    router.listeners.add(ref)
    return () => {
      router.listeners.delete(ref)
    }
  }, [router])
}
