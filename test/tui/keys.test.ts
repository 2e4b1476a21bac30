import {describe, expect, it} from 'vitest'
import {BINDINGS, bindingFor, footerItems, helpSections, keyNames, type Scope} from '../../tui/keys.js'

const key = (over: Record<string, boolean> = {}) => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...over,
})

describe('key bindings as data', () => {
  it('never gives one key two meanings in the same scope', () => {
    const seen = new Map<string, string>()
    for (const b of BINDINGS) {
      for (const scope of b.scopes) {
        for (const k of b.keys) {
          const at = `${scope}:${k}`
          expect(seen.get(at), `${at} is bound to ${seen.get(at)} and ${b.action}`).toBeUndefined()
          seen.set(at, b.action)
        }
      }
    }
  })

  it('renders the footer and the help from the same list', () => {
    const queue = footerItems('queue')
    expect(queue.map((i) => i.label)).toContain('filter')
    expect(queue.find((i) => i.label === 'views')?.keys).toBe('1-6')
    const help = helpSections().flatMap((s) => s.rows.map((r) => r.help))
    for (const b of BINDINGS) expect(help).toContain(b.help)
  })

  it('binds every action the TUI offers, the desk-wide ones included', () => {
    expect(footerItems('queue').some((i) => i.label === 'sync')).toBe(true)
    expect(bindingFor('queue', 'S')?.action).toBe('sync')
    expect(bindingFor('detail', 'E')?.action).toBe('escalate')
    for (const [key, action] of [['m', 'macro'], ['K', 'kb'], ['*', 'rate'], ['A', 'auto-assign']]) expect(bindingFor('queue', key!)?.action).toBe(action)
  })

  it('falls back to the bindings that work everywhere', () => {
    for (const scope of ['queue', 'input', 'form'] as Scope[]) expect(bindingFor(scope, 'ctrl+c')?.action).toBe('quit')
  })

  it('names keys the same way whatever the terminal sent', () => {
    expect(keyNames('', key({downArrow: true}))).toEqual(['down'])
    expect(keyNames('', key({return: true}))).toEqual(['enter'])
    expect(keyNames('', key({return: true, meta: true}))).toEqual(['alt+enter'])
    expect(keyNames('', key({tab: true, shift: true}))).toEqual(['shift+tab'])
    expect(keyNames('', key({delete: true}))).toEqual(['backspace'])
    expect(keyNames('c', key({ctrl: true}))).toEqual(['ctrl+c'])
    expect(keyNames('G', key({shift: true}))).toEqual(['G'])
    expect(keyNames('j k', key())).toEqual(['j', 'space', 'k'])
  })
})
