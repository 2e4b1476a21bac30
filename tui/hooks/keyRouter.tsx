// One subscription to the keyboard for the whole app, and listeners that join and leave it in
// the same commit that shows them. Ink's useInput subscribes in an effect, a few milliseconds
// after a component appears: keys typed right after opening a prompt (fast typing, a paste,
// tmux send-keys) would be lost. Here a new prompt hears the very next key.
import {useInput, type Key} from 'ink'
import {createContext, useContext, useLayoutEffect, useRef, type ReactNode} from 'react'

type Handler = (input: string, key: Key) => void
type Listener = {current: {handler: Handler; isActive: boolean}}

const Router = createContext<Set<Listener> | null>(null)

export function KeyRouter({children}: {children: ReactNode}) {
  const listeners = useRef(new Set<Listener>()).current
  useInput((input, key) => {
    // Who listens is decided by the latest render, before this key changes anything.
    const active = [...listeners].filter((l) => l.current.isActive)
    for (const l of active) l.current.handler(input, key)
  })
  return <Router.Provider value={listeners}>{children}</Router.Provider>
}

/** Like Ink's useInput, but through the KeyRouter: active from the commit that renders it. */
export function useKeyInput(handler: Handler, opts: {isActive?: boolean} = {}): void {
  const listeners = useContext(Router)
  if (!listeners) throw new Error('useKeyInput needs a <KeyRouter> above it')
  const ref = useRef({handler, isActive: opts.isActive ?? true})
  ref.current = {handler, isActive: opts.isActive ?? true}
  useLayoutEffect(() => {
    listeners.add(ref)
    return () => {
      listeners.delete(ref)
    }
  }, [listeners])
}
