// The TUI's state as a pure reducer: where the person is, what is open, and which keys are in force.
import {describe, expect, it} from 'vitest'
import type {OverlayFlow} from '../../tui/state.js'
import {focusOf, initialUi, keyScope, previewScroll, uiReducer, type UiAction, type UiState} from '../../tui/state.js'

const run = (s: UiState, ...actions: UiAction[]) => actions.reduce(uiReducer, s)
const prompt = (multiline: boolean): OverlayFlow => ({kind: 'prompt', title: 'Reply', multiline, editor: multiline, run: async () => ({message: ''})})
const picker: OverlayFlow = {kind: 'picker', title: 'Status', options: [{value: 'open', label: 'open'}], run: async () => ({message: ''})}
const confirm: OverlayFlow = {kind: 'confirm', title: 'Close?', run: async () => ({message: ''})}

describe('the TUI state', () => {
  it('starts on the queue, in the view asked for, with the last warning on the status line', () => {
    const s = initialUi({view: 'unassigned', filter: 'tag:vpn', notice: 'desk.json: unknown key'})
    expect(s).toMatchObject({screen: 'queue', pane: 'list', overlay: null, form: null, help: null, filtering: false, status: {text: 'desk.json: unknown key', tone: 'warn'}})
    expect(s.queue).toMatchObject({viewId: 'unassigned', filterText: 'tag:vpn'})
    expect(initialUi({view: 'nosuch'}).queue.viewId).toBe(initialUi().queue.viewId)
  })

  it('switches views by their key, back on the list, and says what the view shows', () => {
    const s = run(initialUi(), {type: 'open', id: 'A'}, {type: 'view', key: '2'})
    expect(s).toMatchObject({screen: 'queue', pane: 'list', queue: {viewId: 'unassigned'}})
    expect(s.status?.text).toMatch(/^Unassigned: /)
    expect(uiReducer(s, {type: 'view', key: 'x'})).toBe(s)
  })

  it('goes round list, preview (only when wide) and dashboard with Tab, backwards with Shift-Tab', () => {
    const narrow = (s: UiState, delta: 1 | -1) => uiReducer(s, {type: 'place', delta, wide: false})
    let s = narrow(initialUi(), 1)
    expect(s.screen).toBe('dashboard')
    s = narrow(s, 1)
    expect([s.screen, s.pane]).toEqual(['queue', 'list'])
    const wide = (x: UiState, delta: 1 | -1) => uiReducer(x, {type: 'place', delta, wide: true})
    s = wide(s, 1)
    expect([s.screen, s.pane]).toEqual(['queue', 'preview'])
    s = wide(s, 1)
    expect(s.screen).toBe('dashboard')
    expect(wide(initialUi(), -1).screen).toBe('dashboard')
  })

  it('opens a ticket from the queue or the dashboard, and Back returns where it came from', () => {
    let s = run(initialUi(), {type: 'open', id: 'A'})
    expect(s).toMatchObject({screen: 'detail', detail: {id: 'A', from: 'queue', scroll: 0}})
    expect(uiReducer(s, {type: 'back'}).screen).toBe('queue')
    s = run(initialUi(), {type: 'place', delta: 1, wide: false}, {type: 'open', id: 'B'})
    expect(s.detail).toMatchObject({id: 'B', from: 'dashboard'})
    s = uiReducer(s, {type: 'back'})
    expect(s.screen).toBe('dashboard')
    expect(uiReducer(s, {type: 'back'}).screen).toBe('queue')
    // the help closes first; in the preview pane Back goes to the list
    s = run(initialUi(), {type: 'open', id: 'A'}, {type: 'help'}, {type: 'back'})
    expect([s.help, s.screen]).toEqual([null, 'detail'])
    expect(run(initialUi(), {type: 'place', delta: 1, wide: true}, {type: 'back'}).pane).toBe('list')
  })

  it('scrolls within bounds, and keeps a preview scroll with the ticket it belongs to', () => {
    let s = run(initialUi(), {type: 'open', id: 'A'}, {type: 'scroll', pane: 'detail', by: 5, max: 3})
    expect(s.detail?.scroll).toBe(3)
    s = run(s, {type: 'scroll', pane: 'detail', by: -1, max: 3}, {type: 'scroll', pane: 'detail', by: -10, max: 3})
    expect(s.detail?.scroll).toBe(0)
    expect(run(s, {type: 'scroll', pane: 'detail', by: 'bottom', max: 7}).detail?.scroll).toBe(7)
    // after a change the thread shows its end; the next key up moves from the real end
    s = run(s, {type: 'changed', message: 'A: public reply.'}, {type: 'scroll', pane: 'detail', by: -1, max: 7})
    expect(s.detail?.scroll).toBe(6)
    s = run(initialUi(), {type: 'scroll', pane: 'preview', id: 'A', by: 2, max: 9})
    expect([previewScroll(s, 'A'), previewScroll(s, 'B')]).toEqual([2, 0])
    expect(previewScroll(run(s, {type: 'scroll', pane: 'preview', id: 'B', by: 1, max: 9}), 'B')).toBe(1)
    expect(run(initialUi(), {type: 'dash', by: 4, count: 3}).dashRow).toBe(2)
    expect(run(initialUi(), {type: 'dash', by: 'bottom', count: 0}).dashRow).toBe(0)
    expect(run(initialUi(), {type: 'help'}, {type: 'scroll', pane: 'help', by: 'bottom', max: 12}).help).toEqual({scroll: 12})
  })

  it('opens the filter, keeps it with Enter and clears it with Esc', () => {
    let s = run(initialUi(), {type: 'filter', open: true}, {type: 'queue', action: {type: 'filter', text: 'vpn'}})
    expect([s.filtering, s.queue.filterText]).toEqual([true, 'vpn'])
    expect(run(s, {type: 'filter', open: false, keep: true}).queue.filterText).toBe('vpn')
    s = uiReducer(s, {type: 'filter', open: false})
    expect([s.filtering, s.queue.filterText]).toEqual([false, ''])
  })

  it('carries a prompt from open to saving to refused to closed, and takes text back from $EDITOR', () => {
    let s = run(initialUi(), {type: 'overlay', flow: prompt(true)}, {type: 'overlay-busy'})
    expect(s.overlay).toMatchObject({busy: true, error: null})
    s = uiReducer(s, {type: 'overlay-error', error: 'The reply is empty.'})
    expect(s.overlay).toMatchObject({busy: false, error: 'The reply is empty.'})
    s = run(s, {type: 'overlay-value', text: 'From the editor'}, {type: 'overlay-value', text: 'Again'})
    expect(s.overlay).toMatchObject({error: null, value: {text: 'Again', version: 2}})
    s = uiReducer(s, {type: 'overlay-lines', lines: 3})
    expect(uiReducer(s, {type: 'overlay-lines', lines: 3})).toBe(s) // the same height: nothing to draw again
    s = uiReducer(s, {type: 'close', status: {text: 'Cancelled; nothing changed.'}})
    expect([s.overlay, s.status?.text]).toEqual([null, 'Cancelled; nothing changed.'])
    expect(uiReducer(initialUi(), {type: 'overlay-busy'}).overlay).toBeNull()
  })

  it('after a change, selects its ticket and says what changed', () => {
    const s = uiReducer(initialUi(), {type: 'changed', select: 'T1', message: 'T1: status new -> open.'})
    expect(s.queue.selectedId).toBe('T1')
    expect(s.status).toEqual({text: 'T1: status new -> open.', tone: 'ok'})
    expect(previewScroll(s, 'T1')).toBe(Number.MAX_SAFE_INTEGER)
    expect(uiReducer(s, {type: 'changed'}).status).toBe(s.status)
  })

  it('gives the keys to the innermost thing open, and names the bindings in force', () => {
    const base = initialUi()
    expect([focusOf(base, false), keyScope(base, false)]).toEqual(['queue', 'queue'])
    const preview = uiReducer(base, {type: 'place', delta: 1, wide: true})
    expect([focusOf(preview, true), keyScope(preview, true)]).toEqual(['preview', 'detail'])
    expect(focusOf(preview, false)).toBe('queue') // the terminal got narrower: the list has the keys
    const help = uiReducer(base, {type: 'help'})
    expect(focusOf(help, false)).toBe('help')
    const filtering = uiReducer(help, {type: 'filter', open: true})
    expect(focusOf(filtering, false)).toBe('filter')
    for (const [flow, scope] of [[prompt(true), 'input'], [prompt(false), 'line'], [picker, 'picker'], [confirm, 'confirm']] as const) {
      const s = uiReducer(filtering, {type: 'overlay', flow})
      expect([focusOf(s, false), keyScope(s, false)]).toEqual(['overlay', scope])
    }
    const form = run(base, {type: 'overlay', flow: confirm}, {type: 'form', busy: false})
    expect(keyScope(form, false)).toBe('form')
  })
})
