import {describe, expect, it} from 'vitest'
import {cleanTyped, editKey, editState, insert} from '../../tui/text-edit.js'

describe('text editing', () => {
  it('inserts, deletes and moves by code point', () => {
    let s = insert(editState(''), 'héllo 👋')
    s = editKey(s, 'backspace')!
    expect(s.value).toBe('héllo ')
    s = editKey(editKey(s, 'left')!, 'left')!
    s = insert(s, 'X')
    expect(s).toEqual({value: 'héllXo ', cursor: 5})
    expect(editKey(s, 'ctrl+w')!.value).toBe('o ')
    expect(editKey(s, 'ctrl+u')!.value).toBe('o ')
    expect(editKey(s, 'x')).toBeNull()
  })

  it('moves to the start and end of the current line', () => {
    const s = {value: 'one\ntwo', cursor: 5}
    expect(editKey(s, 'home')!.cursor).toBe(4)
    expect(editKey(s, 'end')!.cursor).toBe(7)
  })

  it('keeps control characters out of typed text', () => {
    expect(cleanTyped('a\u001B[31mb\u0007c\r\nd\te', true)).toBe('abc\nd  e')
    expect(cleanTyped('line1\rline2', false)).toBe('line1 line2')
  })
})
