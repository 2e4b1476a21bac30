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

// The quadratic wrap this replaced, kept as the reference for what the lines must be.
function wrapReference(text: string, cols: number): string[] {
  const out: string[] = []
  for (const para of text.split('\n')) {
    if (para === '') {
      out.push('')
      continue
    }
    let line = ''
    for (const word of para.split(/(\s+)/)) {
      if (word === '') continue
      if (width(line) + width(word) > cols && line.trim() !== '') {
        out.push(line.trimEnd())
        line = word.trimStart()
      } else line += word
      while (width(line) > cols) {
        out.push(truncate(line, cols + 1).slice(0, -1))
        line = line.slice(out.at(-1)!.length)
      }
    }
    out.push(line.trimEnd())
  }
  return out
}

describe('wrap', () => {
  it('cuts a long unbroken line into full rows that join back to the input', () => {
    const s = 'abcdefghij'.repeat(20_000)
    const lines = wrap(s, 80)
    expect(lines.length).toBe(2500)
    expect(lines.every((l) => width(l) === 80)).toBe(true)
    expect(lines.join('')).toBe(s)
    const wide = '日本語'.repeat(1000)
    const wl = wrap(wide, 9)
    expect(wl.slice(0, -1).every((l) => width(l) === 8)).toBe(true)
    expect(wl.join('')).toBe(wide)
  })

  it('gives the same lines as the straightforward algorithm on mixed text', () => {
    const parts = ['a', 'bb', 'word', 'longerword', 'x'.repeat(37), ' ', '  ', '\t', '\n', '日本', 'é', '   ']
    let seed = 7
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let round = 0; round < 400; round++) {
      let s = ''
      const n = 1 + rnd(40)
      for (let i = 0; i < n; i++) s += parts[rnd(parts.length)]
      const cols = 5 + rnd(30)
      expect(wrap(s, cols), JSON.stringify({s, cols})).toEqual(wrapReference(s, cols))
    }
  })

  it('never loops on a character wider than the line', () => {
    expect(wrap('日日', 1)).toEqual(['日', '日'])
    // and never cuts an emoji (a surrogate pair) in half, as the old wrap did
    expect(wrap('xx😀', 3)).toEqual(['xx', '😀'])
  })
})
