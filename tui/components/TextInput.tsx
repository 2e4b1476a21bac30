// A text field: one line (filter, resolution, tags, an e-mail) or a few lines (a reply, a note).
// Typed and pasted text goes in as text; the keys that do something (send, new line, $EDITOR,
// cancel) come from the binding table's "input" scope.
import {Box, Text, type Key} from 'ink'
import {useKeyInput} from '../hooks/keyRouter.js'
import {useEffect, useRef, useState} from 'react'
import {truncate, width as cells} from '../../src/output/text.js'
import {bindingFor, keyNames, type ActionId} from '../keys.js'
import {cleanTyped, editKey, editState, insert, type EditState} from '../text-edit.js'
import {useTheme} from '../theme.js'

export interface TextInputProps {
  initial?: string
  multiline?: boolean
  /** Lines to show at most (multi-line). */
  maxLines?: number
  width: number
  prompt?: string
  placeholder?: string
  isActive: boolean
  onChange?: (text: string) => void
  onSubmit: (text: string) => void
  onCancel: () => void
  /** Ctrl-E: continue in $EDITOR (absent: the key does nothing here). */
  onEditor?: (text: string) => void
  /** Which bindings apply (default: 'input' for many lines, 'line' for one). */
  scope?: 'input' | 'line' | 'filter'
  /** Replaces the text from outside (e.g. back from $EDITOR); bump `version` to apply. */
  value?: {text: string; version: number}
}

const isTextEvent = (input: string, key: Key) =>
  input.length > 0 &&
  !key.ctrl &&
  !key.meta &&
  !key.escape &&
  !key.tab &&
  !key.backspace &&
  !key.delete &&
  !key.return &&
  !key.upArrow &&
  !key.downArrow &&
  !key.leftArrow &&
  !key.rightArrow

export function TextInput(props: TextInputProps) {
  const theme = useTheme()
  const [s, setS] = useState<EditState>(() => editState(props.initial ?? ''))
  const ref = useRef({s, props})
  ref.current = {s, props}
  useEffect(() => {
    if (props.value) setS(editState(props.value.text))
  }, [props.value?.version])

  const update = (next: EditState) => {
    const prev = ref.current.s
    ref.current.s = next
    setS(next)
    if (next.value !== prev.value) ref.current.props.onChange?.(next.value)
  }

  useKeyInput(
    (input, key) => {
      const {s: cur, props: p} = ref.current
      if (!p.isActive) return
      if (isTextEvent(input, key)) {
        // Typing, or a paste (which may hold newlines: kept in a multi-line field).
        update(insert(cur, cleanTyped(input, Boolean(p.multiline))))
        return
      }
      for (const name of keyNames(input, key)) {
        const b = bindingFor(p.scope ?? (p.multiline ? 'input' : 'line'), name)
        const act: ActionId | undefined = b?.action
        if (act === 'submit') return p.onSubmit(ref.current.s.value)
        if (act === 'cancel') return p.onCancel()
        if (act === 'newline') {
          if (p.multiline) update(insert(ref.current.s, '\n'))
          continue
        }
        if (act === 'editor') {
          p.onEditor?.(ref.current.s.value)
          return
        }
        const edited = editKey(ref.current.s, name)
        if (edited) update(edited)
      }
    },
    {isActive: props.isActive, text: true},
  )

  const prompt = props.prompt ?? ''
  const avail = Math.max(4, props.width - cells(prompt) - 1)
  if (!props.multiline) {
    const {before, at, after} = window1(s, avail)
    const empty = s.value === '' && props.placeholder
    return (
      <Text wrap="truncate-end">
        <Text color={theme.of('accent')} bold>
          {prompt}
        </Text>
        <Text>{before}</Text>
        <Text inverse>{at}</Text>
        {empty ? <Text dimColor>{truncate(props.placeholder!, avail - 1)}</Text> : <Text>{after}</Text>}
      </Text>
    )
  }
  const lines = s.value.split('\n')
  let offset = 0
  let row = 0
  for (let i = 0; i < lines.length; i++) {
    if (s.cursor <= offset + lines[i]!.length) {
      row = i
      break
    }
    offset += lines[i]!.length + 1
  }
  const col = s.cursor - offset
  const max = props.maxLines ?? 5
  const first = Math.max(0, Math.min(row - max + 1, lines.length - max))
  const shown = lines.slice(first, first + max)
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => {
        const r = first + i
        const lead = r === 0 ? prompt : ' '.repeat(cells(prompt))
        if (r !== row) {
          return (
            <Text key={r} wrap="truncate-end">
              <Text color={theme.of('accent')} bold>
                {lead}
              </Text>
              {truncate(line, avail)}
            </Text>
          )
        }
        const {before, at, after} = window1({value: line, cursor: col}, avail)
        const empty = s.value === '' && props.placeholder
        return (
          <Text key={r} wrap="truncate-end">
            <Text color={theme.of('accent')} bold>
              {lead}
            </Text>
            <Text>{before}</Text>
            <Text inverse>{at}</Text>
            {empty ? <Text dimColor>{truncate(props.placeholder!, avail - 1)}</Text> : <Text>{after}</Text>}
          </Text>
        )
      })}
      {lines.length > max ? <Text dimColor>{`  (${lines.length} lines)`}</Text> : null}
    </Box>
  )
}

/** The part of a line around the cursor that fits in `avail` cells. */
function window1(s: EditState, avail: number): {before: string; at: string; after: string} {
  const chars = [...s.value]
  let ci = [...s.value.slice(0, s.cursor)].length
  let start = 0
  let w = 0
  for (let i = ci - 1; i >= 0; i--) {
    w += cells(chars[i]!)
    if (w > avail - 2) {
      start = i + 1
      break
    }
  }
  const before = chars.slice(start, ci).join('')
  const at = chars[ci] ?? ' '
  ci++
  const after = truncate(chars.slice(ci).join(''), Math.max(0, avail - cells(before) - 1))
  return {before, at, after}
}
