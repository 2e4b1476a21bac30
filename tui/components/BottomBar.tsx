// The bottom of the screen: what is open over it (a prompt, a list to pick from, a yes/no question,
// the filter line) or else the status line, and below it the keys that work here, from the binding
// table (never written by hand).
import {Box} from 'ink'
import {safeLine} from '../../src/output/text.js'
import {errorLine, type Outcome} from '../actions.js'
import {bindingFor, keyNames, type Scope} from '../keys.js'
import {useKeyInput} from '../hooks/keyRouter.js'
import type {UiAction, UiState} from '../state.js'
import {footerLine} from './Footer.js'
import {Line, seg, type LineSpec} from './Line.js'
import {Picker} from './Picker.js'
import {Spinner} from './Spinner.js'
import {TextInput} from './TextInput.js'

export interface BottomBarProps {
  ui: Pick<UiState, 'overlay' | 'filtering' | 'busy' | 'status' | 'form' | 'screen'>
  dispatch: (a: UiAction) => void
  /** The bindings in force, for the key hints. */
  scope: Scope
  width: number
  /** The terminal's rows (a reply shows more lines on a tall one). */
  rows: number
  /** The queue's filter, and the first problem with it. */
  filter: {text: string; problem?: string}
  /** The desk, for the line shown when nothing else is. */
  desk: {loaded: boolean; error: string | null; tickets: number; me: string}
  runOverlay: (run: () => Promise<Outcome>) => void
  editInEditor: (text: string, context?: string) => string | null
}

export function BottomBar(p: BottomBarProps) {
  return (
    <>
      {p.ui.form ? null : (
        <Box flexDirection="column" height={bottomBarHeight(p.ui, p.rows)}>
          <Above {...p} />
        </Box>
      )}
      <Line segs={footerLine(p.scope, p.width)} />
    </>
  )
}

/** The rows the bar takes above the key hints. */
export function bottomBarHeight(ui: Pick<UiState, 'overlay' | 'filtering'>, rows: number): number {
  const o = ui.overlay
  if (o) {
    const err = o.error || o.busy ? 1 : 0
    if (o.flow.kind === 'prompt') {
      const max = promptLines(rows)
      const lines = o.flow.multiline ? Math.max(1, o.lines ?? (o.value?.text ?? o.flow.initial ?? '').split('\n').length) : 1
      return 1 + Math.min(max, lines) + (lines > max ? 1 : 0) + err
    }
    if (o.flow.kind === 'picker') return 2 + pickerRows(o.flow.options.length, rows) + err
    return 2 + err
  }
  return ui.filtering ? 2 : 1
}

/** How many lines of a reply show while typing it. */
const promptLines = (rows: number) => Math.min(5, Math.max(1, rows - 16))
const pickerRows = (options: number, rows: number) => Math.min(options + 1, Math.max(3, Math.min(8, rows - 14)))

function Above(p: BottomBarProps) {
  const {ui, dispatch, width} = p
  const cancel = () => dispatch({type: 'close', status: {text: 'Cancelled; nothing changed.'}})
  if (ui.overlay) {
    const o = ui.overlay
    const f = o.flow
    const title: LineSpec = [seg(` ${f.title} `, {inverse: true, bold: true, tone: 'accent'})]
    // While saving, the field stays (so a refused text is still there to fix) but takes no keys.
    const below = o.busy ? <Spinner label="Saving…" /> : o.error ? <Line segs={[seg(o.error, {tone: 'error'})]} /> : null
    let field
    if (f.kind === 'prompt') {
      field = (
        <TextInput
          key={f.title}
          initial={f.initial}
          value={o.value}
          multiline={f.multiline}
          maxLines={f.multiline ? promptLines(p.rows) : 1}
          width={width}
          prompt="› "
          placeholder={f.placeholder}
          isActive={!o.busy}
          onChange={(text) => dispatch({type: 'overlay-lines', lines: text.split('\n').length})}
          onSubmit={(text) => p.runOverlay(() => f.run(text))}
          onCancel={cancel}
          onEditor={
            f.editor
              ? (text) => {
                  try {
                    const edited = p.editInEditor(text, f.context)
                    if (edited !== null) dispatch({type: 'overlay-value', text: edited})
                  } catch (e) {
                    dispatch({type: 'overlay-error', error: errorLine(e as Error)})
                  }
                }
              : undefined
          }
        />
      )
    } else if (f.kind === 'picker') {
      field = (
        <Picker
          key={f.title}
          options={f.options}
          custom={f.custom}
          initialValue={f.initialValue}
          width={width}
          maxRows={pickerRows(f.options.length, p.rows)}
          isActive={!o.busy}
          onPick={(value) => p.runOverlay(() => f.run(value))}
          onCancel={cancel}
        />
      )
    } else {
      field = <Confirm isActive={!o.busy} onYes={() => p.runOverlay(f.run)} onNo={cancel} />
    }
    return (
      <>
        <Line segs={title} />
        {field}
        {below}
      </>
    )
  }
  if (ui.filtering) {
    return (
      <>
        <Line segs={[p.filter.problem ? seg(p.filter.problem, {tone: 'warn'}) : seg('words, or terms: status: assignee:me dept: tag: priority: channel: type: from: id:  -term excludes', {dim: true})]} />
        <TextInput
          initial={p.filter.text}
          width={width}
          prompt="/ "
          placeholder="type words or terms"
          scope="filter"
          isActive
          onChange={(text) => dispatch({type: 'queue', action: {type: 'filter', text}})}
          onSubmit={(text) => {
            dispatch({type: 'queue', action: {type: 'filter', text}})
            dispatch({type: 'filter', open: false, keep: true})
          }}
          onCancel={() => dispatch({type: 'filter', open: false})}
        />
      </>
    )
  }
  if (ui.busy) return <Spinner label={ui.busy} />
  const {desk} = p
  if (desk.error) return <Line segs={[seg(desk.error, {tone: 'error'})]} />
  if (!desk.loaded) return <Line segs={[seg('Loading the desk…', {dim: true})]} />
  if (ui.status) return <Line segs={[seg(ui.status.text, {tone: ui.status.tone})]} />
  if (p.filter.text && ui.screen === 'queue') return <Line segs={[seg('filter: ', {dim: true}), seg(p.filter.text, {tone: 'accent'}), seg('  (/ edits, Esc clears)', {dim: true})]} />
  return <Line segs={[seg(`${desk.tickets.toLocaleString('en-US')} ${desk.tickets === 1 ? 'ticket' : 'tickets'} on the desk · you are ${safeLine(desk.me)} · ? shows every key`, {dim: true})]} />
}

function Confirm({onYes, onNo, isActive}: {onYes: () => void; onNo: () => void; isActive: boolean}) {
  useKeyInput(
    (input, key) => {
      for (const name of keyNames(input, key)) {
        const action = bindingFor('confirm', name)?.action
        if (action === 'yes') return onYes()
        if (action === 'no') return onNo()
      }
    },
    {isActive},
  )
  return <Line segs={[seg('y', {bold: true, tone: 'accent'}), seg(' yes   '), seg('n', {bold: true, tone: 'accent'}), seg(' no')]} />
}
