import {describe, expect, it} from 'vitest'
import {safeLine, safeText, truncate, width, wrap} from '../../src/output/text.js'

describe('terminal safety', () => {
  it('neutralises escape sequences: no cursor moves, no title changes, no hidden text', () => {
    const evil = 'ok\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[8mhidden\u001b[0m\u009b31m\rend\u0007'
    const out = safeText(evil)
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    expect(out).toContain('\\x1b[2J')
    expect(out).toContain('hidden')
    expect(safeLine('a\nb\tc')).toBe('a b c')
    expect(safeText('line1\nline2')).toBe('line1\nline2')
  })

  it('measures and cuts by display width', () => {
    expect(width('日本')).toBe(4)
    expect(truncate('Printer on 3rd floor jams', 10)).toBe('Printer o…')
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four'])
  })
})
