// The new-ticket form: the fields of `tix new`, checked with the same rules, each problem shown
// next to its field. Enter moves on (and creates on the last field), Ctrl-S creates from anywhere.
import {Box, Text} from 'ink'
import {useKeyInput} from '../hooks/keyRouter.js'
import {useRef, useState} from 'react'
import type {DeskConfig} from '../../src/domain/config/config.js'
import {truncate} from '../../src/output/text.js'
import {EMPTY_FORM, FORM_CHOICES, checkNewTicket, type FormErrors, type NewTicketForm} from '../../src/services/queue.js'
import {bindingFor, keyNames} from '../keys.js'
import {useTheme} from '../theme.js'
import {TextInput} from '../components/TextInput.js'

type Field = keyof NewTicketForm

interface FieldSpec {
  field: Field
  label: string
  hint?: string
  choices?: readonly string[]
  multiline?: boolean
}

const FIELDS: FieldSpec[] = [
  {field: 'title', label: 'Title', hint: 'a short description (required)'},
  {field: 'body', label: 'Details', hint: 'optional; Alt-Enter new line, Ctrl-E $EDITOR', multiline: true},
  {field: 'requester', label: 'Requester', hint: '"Name <email>" or an e-mail; empty: you'},
  {field: 'priority', label: 'Priority', choices: FORM_CHOICES.priority},
  {field: 'type', label: 'Type', choices: FORM_CHOICES.type},
  {field: 'channel', label: 'Channel', choices: FORM_CHOICES.channel},
  {field: 'department', label: 'Department', hint: 'optional, e.g. it'},
  {field: 'tags', label: 'Tags', hint: 'optional, comma or space separated'},
  {field: 'assignee', label: 'Assignee', hint: 'optional: an e-mail, or me'},
]

export interface NewTicketFormProps {
  width: number
  height: number
  me: string
  config: DeskConfig
  busy: boolean
  /** Creates the ticket; a rejected promise with `details.field` puts the message on that field. */
  onSubmit: (form: NewTicketForm) => Promise<void>
  onCancel: () => void
  /** Opens $EDITOR on the details: the new text (null: left empty); throws when it cannot run. */
  onEditor: (text: string) => string | null
}

export function NewTicketFormScreen(p: NewTicketFormProps) {
  const theme = useTheme()
  const [form, setForm] = useState<NewTicketForm>(EMPTY_FORM)
  const [active, setActive] = useState(0)
  const [errors, setErrors] = useState<FormErrors>({})
  const [tried, setTried] = useState(false)
  const [bodyVersion, setBodyVersion] = useState<{text: string; version: number} | undefined>(undefined)
  const ref = useRef({form, active, p, tried})
  ref.current = {form, active, p, tried}

  const set = (field: Field, value: string) => {
    const next = {...ref.current.form, [field]: value}
    ref.current.form = next
    setForm(next)
    if (ref.current.tried) setErrors(checkNewTicket(next, {me: p.me, config: p.config}).errors)
  }

  const submit = async () => {
    const f = ref.current.form
    setTried(true)
    const check = checkNewTicket(f, {me: p.me, config: p.config})
    setErrors(check.errors)
    const first = FIELDS.findIndex((x) => check.errors[x.field] !== undefined)
    if (first >= 0) {
      setActive(first)
      return
    }
    try {
      await ref.current.p.onSubmit(f)
    } catch (error) {
      const field = ((error as {details?: {field?: Field}}).details?.field ?? 'title') as Field
      setErrors({[field]: (error as Error).message})
      setActive(Math.max(0, FIELDS.findIndex((x) => x.field === field)))
    }
  }

  const move = (delta: number) => setActive((i) => Math.max(0, Math.min(FIELDS.length - 1, i + delta)))
  const next = () => (ref.current.active === FIELDS.length - 1 ? void submit() : move(1))

  useKeyInput(
    (input, key) => {
      if (ref.current.p.busy) return
      const spec = FIELDS[ref.current.active]!
      for (const name of keyNames(input, key)) {
        const b = bindingFor('form', name)
        // In a text field, Enter and Esc belong to the field (it calls back below).
        if (!spec.choices && (name === 'enter' || name === 'esc' || name === 'space' || name === 'left' || name === 'right')) continue
        if (!spec.choices && (b?.action === 'newline' || b?.action === 'editor')) continue
        switch (b?.action) {
          case 'next-field':
            next()
            return
          case 'prev-field':
            move(-1)
            return
          case 'submit':
            void submit()
            return
          case 'cancel':
            ref.current.p.onCancel()
            return
          case 'choice-next':
          case 'choice-prev': {
            const list = spec.choices!
            const i = list.indexOf(ref.current.form[spec.field])
            set(spec.field, list[(i + (b.action === 'choice-next' ? 1 : list.length - 1)) % list.length]!)
            continue
          }
        }
      }
    },
    {isActive: !p.busy},
  )

  const labelWidth = 12
  const inputWidth = Math.max(10, p.width - labelWidth - 2)
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.of('accent')}>
          New ticket
        </Text>
        <Text dimColor> the same checks as `tix new` · Ctrl-S creates · Esc cancels</Text>
      </Text>
      {FIELDS.map((spec, i) => {
        const on = i === active
        const error = errors[spec.field]
        const label = (
          <Text bold={on} color={on ? theme.of('accent') : undefined}>
            {(on ? '▶ ' : '  ') + spec.label.padEnd(labelWidth - 2)}
          </Text>
        )
        let control
        if (spec.choices) {
          control = (
            <Text wrap="truncate-end">
              {spec.choices.map((c) => {
                const chosen = form[spec.field] === c
                return (
                  <Text key={c} inverse={chosen && on} bold={chosen} dimColor={!chosen}>
                    {chosen ? `[${c}]` : ` ${c} `}
                  </Text>
                )
              })}
            </Text>
          )
        } else if (on) {
          control = (
            <TextInput
              key={spec.field}
              initial={form[spec.field]}
              value={spec.field === 'body' ? bodyVersion : undefined}
              multiline={spec.multiline}
              maxLines={3}
              width={inputWidth}
              prompt="› "
              placeholder={spec.hint}
              isActive={!p.busy}
              onChange={(v) => set(spec.field, v)}
              onSubmit={() => next()}
              onCancel={() => p.onCancel()}
              onEditor={
                spec.field === 'body'
                  ? (text) => {
                      try {
                        const edited = p.onEditor(text)
                        if (edited !== null) {
                          set('body', edited)
                          setBodyVersion({text: edited, version: (bodyVersion?.version ?? 0) + 1})
                        }
                      } catch (e) {
                        setErrors((x) => ({...x, body: (e as Error).message}))
                      }
                    }
                  : undefined
              }
            />
          )
        } else {
          const v = form[spec.field]
          const shown = v.includes('\n') ? `${v.split('\n')[0]} … (${v.split('\n').length} lines)` : v
          control = shown === '' ? <Text dimColor>{'  ' + truncate(spec.hint ?? '', inputWidth - 2)}</Text> : <Text wrap="truncate-end">{'  ' + truncate(shown, inputWidth - 2)}</Text>
        }
        return (
          <Box key={spec.field} flexDirection="column">
            <Box>
              {label}
              <Box width={inputWidth}>{control}</Box>
            </Box>
            {error ? (
              <Text wrap="truncate-end" color={theme.of('error')}>
                {' '.repeat(labelWidth)}✗ {error}
              </Text>
            ) : null}
          </Box>
        )
      })}
    </Box>
  )
}
