// A list to choose from (a status, a priority, an agent); typing narrows it, and when free text is
// allowed (an agent's e-mail) what was typed becomes the first choice.
import {Box, Text} from 'ink'
import {useKeyInput} from '../hooks/keyRouter.js'
import {useMemo, useRef, useState} from 'react'
import {safeLine, truncate, width as cells} from '../../src/output/text.js'
import {bindingFor, keyNames} from '../keys.js'
import {cleanTyped, editKey, editState, insert, type EditState} from '../text-edit.js'
import {useTheme} from '../theme.js'

export interface PickOption {
  value: string
  label: string
  hint?: string
}

export interface PickerProps {
  options: PickOption[]
  /** An option made of the typed text, when free text is allowed. */
  custom?: (typed: string) => PickOption | null
  initialValue?: string
  width: number
  maxRows: number
  isActive: boolean
  onPick: (value: string) => void
  onCancel: () => void
}

export function Picker(props: PickerProps) {
  const theme = useTheme()
  const [query, setQueryState] = useState<EditState>(editState(''))
  const [index, setIndexState] = useState(() => Math.max(0, props.options.findIndex((o) => o.value === props.initialValue)))
  const shown = useMemo(() => shownFor(query.value, props.options, props.custom), [query.value, props.options, props.custom])
  // The handler reads and writes this at once, not at the next render: keys typed faster than React
  // draws ("me" then Enter, Up then Enter) must each see what the one before did.
  const ref = useRef({index, query, props})
  ref.current.props = props
  const setQuery = (q: EditState) => {
    ref.current.query = q
    setQueryState(q)
  }
  const setIndex = (i: number) => {
    ref.current.index = i
    setIndexState(i)
  }

  useKeyInput(
    (input, key) => {
      const cur = ref.current
      if (!cur.props.isActive) return
      const plain = input.length > 0 && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete
      if (plain && !key.upArrow && !key.downArrow) {
        setQuery(insert(cur.query, cleanTyped(input, false)))
        setIndex(0)
        return
      }
      for (const name of keyNames(input, key)) {
        const b = bindingFor('picker', name)
        const list = shownFor(cur.query.value, cur.props.options, cur.props.custom)
        switch (b?.action) {
          case 'submit': {
            const o = list[Math.min(cur.index, list.length - 1)]
            if (o) cur.props.onPick(o.value)
            return
          }
          case 'cancel':
            return cur.props.onCancel()
          case 'down':
            setIndex(Math.min(cur.index + 1, Math.max(0, list.length - 1)))
            continue
          case 'up':
            setIndex(Math.max(0, cur.index - 1))
            continue
        }
        const edited = editKey(cur.query, name)
        if (edited) {
          setQuery(edited)
          setIndex(0)
        }
      }
    },
    {isActive: props.isActive, text: true},
  )

  const sel = Math.min(index, Math.max(0, shown.length - 1))
  const rows = Math.max(1, props.maxRows)
  const first = Math.max(0, Math.min(sel - rows + 1, shown.length - rows))
  const w = props.width
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={theme.of('accent')} bold>
          {'› '}
        </Text>
        {query.value === '' ? <Text dimColor>type to narrow{props.custom ? ', or type a new value' : ''}</Text> : <Text>{truncate(query.value, w - 3)}</Text>}
      </Text>
      {shown.length === 0 ? <Text dimColor>  (nothing matches)</Text> : null}
      {shown.slice(first, first + rows).map((o, i) => {
        const selected = first + i === sel
        const label = truncate(safeLine(o.label), Math.max(10, w - 4 - (o.hint ? Math.min(30, o.hint.length + 2) : 0)))
        const hintRoom = Math.max(0, w - 6 - cells(label))
        return (
          <Text key={o.value + i} wrap="truncate-end" inverse={selected}>
            <Text color={theme.of('accent')} bold>
              {selected ? '▶ ' : '  '}
            </Text>
            {label}
            {o.hint && hintRoom > 4 ? <Text dimColor>{'  ' + truncate(safeLine(o.hint), hintRoom)}</Text> : null}
          </Text>
        )
      })}
    </Box>
  )
}

/** The options the typed text leaves, the typed value first when free text is allowed. */
function shownFor(typed: string, options: PickOption[], custom: PickerProps['custom']): PickOption[] {
  const q = typed.trim().toLowerCase()
  const hits = q === '' ? options : options.filter((o) => o.label.toLowerCase().includes(q) || o.value.toLowerCase().includes(q))
  const own = q === '' ? null : custom?.(typed.trim())
  return own && !hits.some((h) => h.value.toLowerCase() === own.value.toLowerCase()) ? [own, ...hits] : hits
}
