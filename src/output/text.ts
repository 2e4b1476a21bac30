// Measuring, cutting and wrapping text for the terminal. Text from outside is neutralised by
// safeText/safeLine (src/domain/common/safe-text.ts, re-exported here) before it reaches a terminal.

export {safeLine, safeText} from '../domain/common/safe-text.js'

/** Cells one code point takes: wide East Asian characters and emoji two, combining marks none. */
function cellsOf(cp: number): number {
  if (cp < 0x300) return 1
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2
  return 1
}

/** Display width (wide East Asian characters and emoji take two cells; combining marks none). */
export function width(s: string): number {
  let w = 0
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!
    if (cp > 0xffff) i++
    w += cellsOf(cp)
  }
  return w
}

/** Cuts to `max` cells, with an ellipsis when it had to cut. */
export function truncate(s: string, max: number): string {
  if (max <= 0) return ''
  if (width(s) <= max) return s
  let out = ''
  let w = 0
  for (const ch of s) {
    const cw = width(ch)
    if (w + cw > max - 1) break
    out += ch
    w += cw
  }
  return out + '…'
}

export const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)))

/**
 * Wraps text to `cols` cells, keeping existing line breaks. Linear in the length of the text: the
 * width of the current line is kept as a running count (never re-measured), and a word longer than
 * a line is cut in one pass over its characters, so a 10 MB unbroken line costs one walk over it.
 */
export function wrap(text: string, cols: number): string[] {
  const max = Math.max(1, Math.floor(cols))
  const out: string[] = []
  for (const para of text.split('\n')) {
    if (para === '') {
      out.push('')
      continue
    }
    let line = ''
    let lineW = 0
    let hasText = false // the line holds more than whitespace
    const tokens = para.split(/(\s+)/) // words at even indexes, runs of whitespace at odd ones
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k]!
      if (token === '') continue
      let word = token
      let w = width(word)
      if (lineW + w > max && hasText) {
        out.push(line.trimEnd())
        word = word.trimStart()
        w = word.length === token.length ? w : width(word)
        line = ''
        lineW = 0
        hasText = false
      }
      if (word === '') continue
      const isSpace = k % 2 === 1
      if (lineW + w <= max) {
        line += word
        lineW += w
        hasText ||= !isSpace
        continue
      }
      // Longer than what is left of an empty (or blank) line: cut it into pieces of `max` cells.
      let from = 0
      let pieceW = lineW
      for (let i = 0; i < word.length; i++) {
        const cp = word.codePointAt(i)!
        const cw = cellsOf(cp)
        if (pieceW + cw > max && pieceW > 0) {
          out.push(line + word.slice(from, i))
          line = ''
          from = i
          pieceW = 0
        }
        pieceW += cw
        if (cp > 0xffff) i++
      }
      line += word.slice(from)
      lineW = pieceW
      hasText = line.trim() !== ''
    }
    out.push(line.trimEnd())
  }
  return out
}

/** "3m", "5h", "2d", "6w", "1y": compact age for tables. */
export function age(fromIso: string, now: Date): string {
  const s = Math.max(0, (now.getTime() - new Date(fromIso).getTime()) / 1000)
  if (s < 60) return `${Math.floor(s)}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  if (s < 86400 * 14) return `${Math.floor(s / 86400)}d`
  if (s < 86400 * 365) return `${Math.floor(s / (86400 * 7))}w`
  return `${Math.floor(s / (86400 * 365))}y`
}
