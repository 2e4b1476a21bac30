// Editing a line (or a few lines) of text: pure functions over {value, cursor}, so the input
// boxes stay small and the rules are testable without a terminal.
export interface EditState {
  value: string
  /** Offset in UTF-16 units, always on a code point boundary. */
  cursor: number
}

export const editState = (value = ''): EditState => ({value, cursor: value.length})

/** Typed or pasted text as it may enter a field: no control characters; newlines only if allowed. */
export function cleanTyped(text: string, multiline: boolean): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').replace(/\u001B\[[0-9;]*[~A-Za-z]/g, '').replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '')
  return multiline ? t : t.replace(/\n+/g, ' ')
}

export function insert(s: EditState, text: string): EditState {
  return {value: s.value.slice(0, s.cursor) + text + s.value.slice(s.cursor), cursor: s.cursor + text.length}
}

const prevBoundary = (v: string, i: number) => (i >= 2 && /[\uDC00-\uDFFF]/.test(v[i - 1]!) && /[\uD800-\uDBFF]/.test(v[i - 2]!) ? i - 2 : Math.max(0, i - 1))
const nextBoundary = (v: string, i: number) => (i < v.length - 1 && /[\uD800-\uDBFF]/.test(v[i]!) ? i + 2 : Math.min(v.length, i + 1))

export function backspace(s: EditState): EditState {
  if (s.cursor === 0) return s
  const at = prevBoundary(s.value, s.cursor)
  return {value: s.value.slice(0, at) + s.value.slice(s.cursor), cursor: at}
}

export const left = (s: EditState): EditState => ({...s, cursor: prevBoundary(s.value, s.cursor)})
export const right = (s: EditState): EditState => ({...s, cursor: nextBoundary(s.value, s.cursor)})
export const home = (s: EditState): EditState => ({...s, cursor: s.value.lastIndexOf('\n', s.cursor - 1) + 1})
export const end = (s: EditState): EditState => {
  const nl = s.value.indexOf('\n', s.cursor)
  return {...s, cursor: nl < 0 ? s.value.length : nl}
}

/** Ctrl-W: the word before the cursor (and the spaces after it). */
export function deleteWord(s: EditState): EditState {
  const before = s.value.slice(0, s.cursor).replace(/\S+\s*$/, '')
  return {value: before + s.value.slice(s.cursor), cursor: before.length}
}

/** Ctrl-U: everything before the cursor on its line. */
export function deleteToStart(s: EditState): EditState {
  const start = s.value.lastIndexOf('\n', s.cursor - 1) + 1
  return {value: s.value.slice(0, start) + s.value.slice(s.cursor), cursor: start}
}

/** Applies an editing key; null when the key is not an editing key. */
export function editKey(s: EditState, name: string): EditState | null {
  switch (name) {
    case 'backspace':
      return backspace(s)
    case 'left':
      return left(s)
    case 'right':
      return right(s)
    case 'home':
    case 'ctrl+a':
      return home(s)
    case 'end':
      return end(s)
    case 'ctrl+w':
      return deleteWord(s)
    case 'ctrl+u':
      return deleteToStart(s)
    default:
      return null
  }
}
