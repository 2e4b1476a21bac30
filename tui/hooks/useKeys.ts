// Maps keys to a screen's handlers through the binding table (tui/keys.ts): the screen says what
// each action does, the table says which keys trigger it, and the footer/help read the same table.
import type {Key} from 'ink'
import {useRef} from 'react'
import {useKeyInput} from './keyRouter.js'
import {bindingFor, keyNames, type ActionId, type Binding, type Scope} from '../keys.js'

/** A handler gets the binding that matched and the name of the key pressed. */
export type Handler = (binding: Binding, key: string) => void
export type Handlers = Partial<Record<ActionId, Handler>>

export function useKeys(
  scope: Scope,
  handlers: Handlers,
  opts: {isActive: boolean; other?: (name: string, input: string, key: Key) => void},
): void {
  // The latest handlers, without re-subscribing to stdin on every render.
  const ref = useRef({handlers, opts})
  ref.current = {handlers, opts}
  useKeyInput(
    (input, key) => {
      // The subscription follows isActive one effect late; the latest render's value decides.
      if (!ref.current.opts.isActive) return
      // The KeyRouter hands out one key at a time; keyNames still copes with more.
      for (const name of keyNames(input, key)) {
        const {handlers: h, opts: o} = ref.current
        const b = bindingFor(scope, name)
        const fn = b ? h[b.action] : undefined
        if (b && fn) fn(b, name)
        else o.other?.(name, input, key)
      }
    },
    {isActive: opts.isActive},
  )
}
