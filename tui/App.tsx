// The TUI: which screen is showing is a state value here; the screens render from props, their
// state lives in reducer hooks, and their keys come from the binding table (tui/keys.ts).
import {Box, Text, useApp} from 'ink'
import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import {dashboard as computeDashboard} from '../src/domain/reports/dashboard.js'
import {shortId} from '../src/domain/ticket/ids.js'
import type {TicketSummary} from '../src/domain/ticket/model.js'
import {VIEWS} from '../src/domain/queue/views.js'
import {safeLine} from '../src/output/text.js'
import {createTicket, loadTicket, type NewTicketForm} from '../src/services/queue.js'
import type {Desk, LoadedTicket} from '../src/store/desk.js'
import {ACTIONS, type ActionContext, type Flow, type Outcome} from './actions.js'
import {editText, inlineTerminal, type Terminal} from './editor.js'
import {footerLine} from './components/Footer.js'
import {Line, seg, type LineSpec} from './components/Line.js'
import {Picker} from './components/Picker.js'
import {Spinner} from './components/Spinner.js'
import {TextInput} from './components/TextInput.js'
import {useDesk} from './hooks/useDesk.js'
import {KeyRouter, useKeyHold, useKeyInput} from './hooks/keyRouter.js'
import {useKeys, type Handlers} from './hooks/useKeys.js'
import {position, useQueue} from './hooks/useQueue.js'
import {MIN_SIZE, useTerminalSize, type Size} from './hooks/useTerminalSize.js'
import {bindingFor, keyNames, type ActionId, type Binding, type Scope} from './keys.js'
import {DashboardScreen} from './screens/DashboardScreen.js'
import {DetailScreen, maxScroll, useDetailLines} from './screens/DetailScreen.js'
import {HelpScreen, helpLength} from './screens/HelpScreen.js'
import {NewTicketFormScreen} from './screens/NewTicketForm.js'
import {QueueScreen, queueRows} from './screens/QueueScreen.js'
import {ThemeContext, makeTheme, useTheme, type Tone} from './theme.js'

export interface AppProps {
  desk: Desk
  view?: string
  filter?: string
  /** How often the ref is checked for outside changes (ms). */
  pollMs?: number
  /** Fixes the size (tests, benchmarks); otherwise the terminal's. */
  size?: Partial<Size>
  /** Lends the terminal to $EDITOR. */
  terminal?: Terminal
  env?: NodeJS.ProcessEnv
  /** Lines the desk wanted to say (warnings) before the TUI started. */
  notices?: string[]
  /** Subscribes to later warnings from the desk. */
  onNotice?: (listener: (line: string) => void) => () => void
  /** Called once, after the first frame that shows the queue with its tickets. */
  onReady?: () => void
  /** Clears the physical screen (before a full redraw after a resize or $EDITOR). */
  clearScreen?: () => void
}

type Screen = 'queue' | 'detail' | 'dashboard'
type Place = 'list' | 'preview' | 'dashboard'
type Status = {text: string; tone?: Tone} | null
type Overlay = {flow: Flow; error: string | null; busy: boolean; value?: {text: string; version: number}; lines?: number}

/** From this width the queue shows the selected ticket beside the list. */
export const PREVIEW_COLUMNS = 150

export function App(props: AppProps) {
  const env = props.env ?? process.env
  const theme = useMemo(() => makeTheme(env), [env])
  return (
    <ThemeContext.Provider value={theme}>
      <KeyRouter>
        <Main {...props} env={env} />
      </KeyRouter>
    </ThemeContext.Provider>
  )
}

function Main(props: AppProps & {env: NodeJS.ProcessEnv}) {
  const hold = useKeyHold()
  const {desk} = props
  const {exit} = useApp()
  const theme = useTheme()
  const [blank, setBlank] = useState(false)
  const redraw = useCallback(() => {
    // A frame that differs from every real one, then the real one: Ink writes it all again.
    props.clearScreen?.()
    setBlank(true)
    setTimeout(() => setBlank(false), 60)
  }, [props.clearScreen])
  const size = useTerminalSize(props.size, props.size ? undefined : redraw)
  const me = useMemo(() => desk.actor().id, [desk])
  const [now, setNow] = useState(() => desk.now())
  const [screen, setScreen] = useState<Screen>('queue')
  const [place, setPlace] = useState<Place>('list')
  const [detailId, setDetailId] = useState<string | null>(null)
  const [detailFrom, setDetailFrom] = useState<Screen>('queue')
  const [detailScroll, setDetailScroll] = useState(0)
  const [previewScroll, setPreviewScroll] = useState(0)
  const [dashSel, setDashSel] = useState(0)
  const [help, setHelp] = useState<{scroll: number} | null>(null)
  const [filtering, setFiltering] = useState(false)
  const [overlay, setOverlay] = useState<Overlay | null>(null)
  const [form, setForm] = useState<{busy: boolean} | null>(null)
  const [status, setStatus] = useState<Status>(props.notices?.length ? {text: safeLine(props.notices.at(-1)!), tone: 'warn'} : null)
  const [busy, setBusy] = useState<string | null>(null)
  const busyRef = useRef(false)

  // ---------------------------------------------------------------- data
  const wantDashboard = screen === 'dashboard'
  const [wantDone, setWantDone] = useState(false)
  const [wantText, setWantText] = useState(false)
  const data = useDesk(desk, {done: wantDone || wantDashboard, text: wantText}, props.pollMs)
  const index = data.index
  const ids = index?.ids ?? []
  const queue = useQueue(data.tickets, {me, text: index?.text ?? null}, {view: props.view, filter: props.filter})
  useEffect(() => setWantDone((w) => w || queue.needsDone), [queue.needsDone])
  useEffect(() => setWantText((w) => w || queue.needsText), [queue.needsText])

  // Warnings can quote a ticket file (a line that is not JSON): sanitised like any ticket text.
  useEffect(() => props.onNotice?.((line) => setStatus({text: safeLine(line), tone: 'warn'})), [props.onNotice])

  // The clock moves on (ages in the table); TIX_NOW keeps it still.
  useEffect(() => {
    if (props.env.TIX_NOW) return
    const t = setInterval(() => setNow(desk.now()), 30_000)
    t.unref?.()
    return () => clearInterval(t)
  }, [desk, props.env.TIX_NOW])

  // ---------------------------------------------------------------- layout
  const {columns, rows} = size
  const tooSmall = columns < MIN_SIZE.columns || rows < MIN_SIZE.rows
  const frame = rows - 1 // the last row stays empty, so the terminal never scrolls
  const wide = columns >= PREVIEW_COLUMNS && screen === 'queue'
  const listWidth = wide ? Math.floor(columns * 0.55) : columns
  const paneWidth = columns - listWidth - 2
  const bottomHeight = overlayHeight(overlay, filtering, rows)
  const contentHeight = Math.max(3, frame - 2 - bottomHeight)
  const tableRows = queueRows(contentHeight)
  const pos = position(queue.state, queue.list, tableRows)
  const selected: TicketSummary | null = queue.list[pos.cursor] ?? null

  // ---------------------------------------------------------------- tickets shown in full
  const preview = useTicket(desk, wide ? (selected?.id ?? null) : null, index?.commit, 80)
  const detail = useTicket(desk, screen === 'detail' ? detailId : null, index?.commit, 0)
  // Until the ticket just opened has loaded, show nothing rather than the one before it.
  const detailLoaded = detail.loaded?.ticket.id === detailId ? detail.loaded : null
  const detailLines = useDetailLines(detailLoaded, ids, columns, now, index?.config)
  const previewLines = useDetailLines(preview.loaded, ids, paneWidth, now, index?.config)
  useEffect(() => setPreviewScroll(0), [selected?.id])

  const stats = useMemo(
    () => (screen === 'dashboard' && index ? computeDashboard(data.tickets, {now, timeZone: index.config.timezone, complete: data.hasDone, oldest: 50}) : null),
    [screen, index, data.tickets, data.hasDone, now],
  )

  // First full frame: tell whoever waits (benchmarks, `npm start`).
  const readyRef = useRef(false)
  useEffect(() => {
    if (!readyRef.current && index && !tooSmall) {
      readyRef.current = true
      props.onReady?.()
    }
  }, [index, tooSmall, props.onReady])

  // ---------------------------------------------------------------- doing things
  const ctx: ActionContext | null = index ? {desk, me, config: index.config, ids, tickets: data.tickets} : null

  // The desk is re-read before the result is shown, so the line saying what changed and the
  // change itself appear in the same frame.
  const afterChange = useCallback(
    async (outcome: Outcome) => {
      await data.reload()
      if (outcome.select) queue.dispatch({type: 'select', id: outcome.select})
      // In a ticket, what was just added is at the end of the thread: show it.
      setDetailScroll(Number.MAX_SAFE_INTEGER)
      setPreviewScroll(Number.MAX_SAFE_INTEGER)
      if (outcome.message) setStatus({text: safeLine(outcome.message), tone: 'ok'})
    },
    [data.reload, queue.dispatch],
  )

  const openFlow = useCallback(
    (flow: Flow) => {
      if (flow.kind === 'form') {
        setForm({busy: false})
        return
      }
      if (flow.kind === 'editor') {
        try {
          const text = editText('', {env: props.env, terminal: props.terminal ?? inlineTerminal, context: flow.context, name: 'TIX_REPLY.md'})
          redraw()
          if (text === null) setStatus({text: 'Nothing written; nothing sent.', tone: 'warn'})
          else setOverlay({flow: flow.compose(text), error: null, busy: false})
        } catch (e) {
          redraw()
          setStatus({text: safeLine((e as Error).message), tone: 'error'})
        }
        return
      }
      if (flow.kind === 'run') {
        if (busyRef.current) return // one at a time (a second sync while the first runs)
        busyRef.current = true
        setBusy(flow.title)
        flow
          .run()
          .then(afterChange, (e: Error) => setStatus({text: errorText(e), tone: 'error'}))
          .finally(() => {
            busyRef.current = false
            setBusy(null)
          })
        return
      }
      setOverlay({flow, error: null, busy: false})
    },
    [afterChange, props.env, props.terminal, redraw],
  )

  const runOverlay = useCallback(
    (run: () => Promise<Outcome>) => {
      setOverlay((o) => (o ? {...o, busy: true, error: null} : o))
      // keys typed meanwhile belong to what comes next (the next prompt, or the screen again)
      hold(run().then(
        async (outcome) => {
          if (!outcome.next) await afterChange(outcome)
          setOverlay(null)
          if (outcome.next) openFlow(outcome.next)
        },
        (e: Error) => setOverlay((o) => (o ? {...o, busy: false, error: errorText(e)} : o)),
      ))
    },
    [afterChange, openFlow, hold],
  )

  const startAction = useCallback(
    (action: ActionId, ticket: TicketSummary | null) => {
      const spec = ACTIONS[action]
      if (!spec || !ctx) return
      if (!spec.global && !ticket) {
        setStatus({text: 'No ticket selected.', tone: 'warn'})
        return
      }
      // The prompt opens after start() has read what it needs: the keys typed meanwhile are its.
      hold(
        Promise.resolve()
          .then(() => spec.start(ctx, ticket!))
          .then(openFlow, (e: Error) => setStatus({text: errorText(e), tone: 'error'})),
      )
    },
    [ctx, openFlow, hold],
  )

  /** The text after $EDITOR (null: left empty); throws when the editor could not run. */
  const editInEditor = useCallback(
    (text: string, context?: string): string | null => {
      try {
        return editText(text, {env: props.env, terminal: props.terminal ?? inlineTerminal, context})
      } finally {
        redraw()
      }
    },
    [props.env, props.terminal, redraw],
  )

  const submitForm = useCallback(
    async (f: NewTicketForm) => {
      if (!index) return
      setForm({busy: true})
      try {
        const res = await createTicket(desk, f, {me, config: index.config})
        setForm(null)
        const all = [...ids, res.ticket.ticket.id].sort()
        await afterChange({message: `Created ${shortId(all, res.ticket.ticket.id)}: ${res.ticket.ticket.title}`, select: res.ticket.ticket.id})
      } catch (e) {
        setForm({busy: false})
        throw e
      }
    },
    [desk, me, index, ids, afterChange],
  )

  // ---------------------------------------------------------------- keys
  const places: Place[] = wide ? ['list', 'preview', 'dashboard'] : ['list', 'dashboard']
  const goPlace = (delta: number) => {
    const here: Place = screen === 'dashboard' ? 'dashboard' : wide && place === 'preview' ? 'preview' : 'list'
    const next = places[(places.indexOf(here) + delta + places.length) % places.length]!
    if (next === 'dashboard') setScreen('dashboard')
    else {
      setScreen('queue')
      setPlace(next)
    }
  }
  const chooseView = (_b: Binding, key: string) => {
    queue.dispatch({type: 'view', viewId: key})
    setScreen('queue')
    setPlace('list')
    const v = VIEWS.find((x) => x.key === key)
    if (v) setStatus({text: `${v.label}: ${v.description}.`})
  }
  const ticketActions = (ticket: () => TicketSummary | null): Handlers => {
    const h: Handlers = {}
    for (const a of Object.keys(ACTIONS) as ActionId[]) h[a] = () => startAction(a, ticket())
    h.help = () => setHelp({scroll: 0})
    h.view = chooseView
    h['next-place'] = () => goPlace(1)
    h['prev-place'] = () => goPlace(-1)
    return h
  }
  const nav = {list: queue.list, height: tableRows}
  const noOverlay = !overlay && !help && !filtering && !form && !tooSmall

  useKeys(
    'queue',
    {
      ...ticketActions(() => selected),
      down: () => queue.dispatch({type: 'move', delta: 1, ...nav}),
      up: () => queue.dispatch({type: 'move', delta: -1, ...nav}),
      top: () => queue.dispatch({type: 'jump', to: 'top', ...nav}),
      bottom: () => queue.dispatch({type: 'jump', to: 'bottom', ...nav}),
      'page-down': () => queue.dispatch({type: 'page', dir: 1, ...nav}),
      'page-up': () => queue.dispatch({type: 'page', dir: -1, ...nav}),
      open: () => {
        if (!selected) return
        setDetailId(selected.id)
        setDetailScroll(0)
        setDetailFrom('queue')
        setScreen('detail')
      },
      filter: () => {
        setFiltering(true)
        // Words match the whole thread: load the search text now, before the first word is typed.
        setWantText(true)
      },
      'clear-filter': () => {
        if (queue.state.filterText !== '') {
          queue.dispatch({type: 'filter', text: ''})
          setStatus({text: 'Filter cleared.'})
        } else exit()
      },
      sort: () => {
        queue.dispatch({type: 'sort'})
      },
      quit: () => exit(),
    },
    {isActive: noOverlay && screen === 'queue' && place === 'list'}
  )

  const scrollBy = (set: (f: (n: number) => number) => void, lines: number, height: number) => {
    const max = maxScroll(lines, height)
    return {
      down: () => set((s) => Math.min(max, s + 1)),
      up: () => set((s) => Math.max(0, Math.min(max, s) - 1)),
      top: () => set(() => 0),
      bottom: () => set(() => max),
      'page-down': () => set((s) => Math.min(max, s + Math.max(1, height - 4))),
      'page-up': () => set((s) => Math.max(0, Math.min(max, s) - Math.max(1, height - 4))),
    }
  }

  useKeys(
    'detail',
    {
      ...ticketActions(() => detailLoaded?.ticket ?? null),
      ...scrollBy(setDetailScroll, detailLines.length, contentHeight),
      back: () => setScreen(detailFrom),
    },
    {isActive: noOverlay && screen === 'detail'}
  )

  useKeys(
    'detail',
    {
      ...ticketActions(() => selected),
      ...scrollBy(setPreviewScroll, previewLines.length, contentHeight),
      back: () => setPlace('list'),
    },
    {isActive: noOverlay && screen === 'queue' && wide && place === 'preview'}
  )

  const unanswered = stats?.unanswered ?? []
  useKeys(
    'dashboard',
    {
      ...ticketActions(() => unanswered[dashSel] ?? null),
      down: () => setDashSel((i) => Math.min(unanswered.length - 1, i + 1)),
      up: () => setDashSel((i) => Math.max(0, i - 1)),
      top: () => setDashSel(0),
      bottom: () => setDashSel(Math.max(0, unanswered.length - 1)),
      'page-down': () => setDashSel((i) => Math.min(unanswered.length - 1, i + contentHeight)),
      'page-up': () => setDashSel((i) => Math.max(0, i - contentHeight)),
      open: () => {
        const t = unanswered[dashSel]
        if (!t) return
        setDetailId(t.id)
        setDetailScroll(0)
        setDetailFrom('dashboard')
        setScreen('detail')
      },
      back: () => setScreen('queue'),
    },
    {isActive: noOverlay && screen === 'dashboard'}
  )

  const helpMax = Math.max(0, helpLength(columns) - contentHeight + 1)
  useKeys(
    'help',
    {
      down: () => setHelp((h) => h && {scroll: Math.min(helpMax, h.scroll + 1)}),
      up: () => setHelp((h) => h && {scroll: Math.max(0, h.scroll - 1)}),
      'page-down': () => setHelp((h) => h && {scroll: Math.min(helpMax, h.scroll + contentHeight - 2)}),
      'page-up': () => setHelp((h) => h && {scroll: Math.max(0, h.scroll - contentHeight + 2)}),
      top: () => setHelp({scroll: 0}),
      bottom: () => setHelp({scroll: helpMax}),
      back: () => setHelp(null),
      help: () => setHelp(null),
    },
    {isActive: Boolean(help) && !overlay && !form}
  )

  // Keys that work everywhere, whatever has the focus.
  useKeyInput((input, key) => {
    for (const name of keyNames(input, key)) {
      const b = bindingFor('global', name)
      if (b?.action === 'quit' && name === 'ctrl+c') return exit()
      if (b?.action === 'redraw') {
        setNow(desk.now())
        void data.reload()
        redraw()
      }
    }
  })

  // ---------------------------------------------------------------- drawing
  // (A key of its own: Ink keeps a style like display:none on a reused Box even when the prop goes.)
  if (tooSmall) {
    return (
      <Box key="too-small" flexDirection="column">
        <Text wrap="wrap" color={theme.of('warn')}>
          The terminal is {columns}x{rows}; tix needs at least {MIN_SIZE.columns}x{MIN_SIZE.rows}.
        </Text>
        <Text wrap="wrap" dimColor>
          Make it larger, or press Ctrl-C to quit.
        </Text>
      </Box>
    )
  }

  const overlayScope: Scope = overlay?.flow.kind === 'picker' ? 'picker' : overlay?.flow.kind === 'confirm' ? 'confirm' : overlay?.flow.kind === 'prompt' && overlay.flow.multiline ? 'input' : 'line'
  const scope: Scope = form ? 'form' : overlay ? overlayScope : filtering ? 'filter' : help ? 'help' : screen === 'detail' || (wide && place === 'preview') ? 'detail' : screen
  const configName = index?.config.name ?? ''
  let content
  if (form && index) {
    content = (
      <NewTicketFormScreen
        width={columns}
        height={contentHeight + bottomHeight}
        me={me}
        config={index.config}
        busy={form.busy}
        onSubmit={submitForm}
        onCancel={() => {
          setForm(null)
          setStatus({text: 'No ticket created.'})
        }}
        onEditor={(text) => editInEditor(text)}
      />
    )
  } else if (help) {
    content = <HelpScreen width={columns} height={contentHeight} scroll={help.scroll} />
  } else if (screen === 'detail') {
    content = <DetailScreen loaded={detailLoaded} error={detail.error} ids={ids} width={columns} height={contentHeight} scroll={detailScroll} now={now} focused config={index?.config} />
  } else if (screen === 'dashboard') {
    content = <DashboardScreen stats={stats} width={columns} height={contentHeight} ids={ids} now={now} sel={Math.min(dashSel, Math.max(0, unanswered.length - 1))} focused />
  } else {
    const table = (
      <QueueScreen
        list={queue.list}
        all={data.tickets}
        cursor={pos.cursor}
        top={pos.top}
        height={contentHeight}
        width={listWidth}
        ids={ids}
        now={now}
        me={me}
        view={queue.view}
        sort={queue.state.sort}
        loading={data.loading && !index}
        focused={place === 'list' || !wide}
        filterActive={queue.state.filterText.trim() !== ''}
      />
    )
    content = wide ? (
      <Box flexDirection="row" height={contentHeight}>
        {table}
        <Box width={2} height={contentHeight} flexDirection="column">
          {Array.from({length: contentHeight}, (_, i) => (
            <Line key={i} segs={[seg('│ ', {dim: place !== 'preview', tone: place === 'preview' ? 'accent' : undefined})]} />
          ))}
        </Box>
        {selected ? (
          <DetailScreen loaded={preview.loaded?.ticket.id === selected.id ? preview.loaded : null} error={preview.error} ids={ids} width={paneWidth} height={contentHeight} scroll={previewScroll} now={now} focused={place === 'preview'} config={index?.config} />
        ) : (
          <Box width={paneWidth} />
        )}
      </Box>
    ) : (
      table
    )
  }

  // While `blank`, the tree stays mounted (drafts and scroll positions survive) but draws nothing.
  return (
    <Box key="screen" flexDirection="column" width={columns} height={frame} display={blank ? 'none' : 'flex'}>
      <Line segs={titleLine({name: configName, screen, width: columns, filter: queue.state.filterText, me, problems: data.index ? Object.keys(data.index.problems).length : 0})} />
      <Box height={form ? contentHeight + bottomHeight : contentHeight} flexDirection="column">
        {content}
      </Box>
      {form ? null : bottom()}
      <Line segs={footerLine(scope, columns)} />
    </Box>
  )

  function bottom() {
    if (overlay) {
      const f = overlay.flow
      const title: LineSpec = [seg(` ${f.kind === 'form' || f.kind === 'editor' || f.kind === 'run' ? '' : f.title} `, {inverse: true, bold: true, tone: 'accent'})]
      // While saving, the field stays (so a refused text is still there to fix) but takes no keys.
      const err = overlay.busy ? <Spinner label="Saving…" /> : overlay.error ? <Line segs={[seg(overlay.error, {tone: 'error'})]} /> : null
      const live = !overlay.busy
      if (f.kind === 'prompt') {
        return (
          <Box flexDirection="column" height={bottomHeight}>
            <Line segs={title} />
            <TextInput
              key={f.title}
              initial={f.initial}
              value={overlay.value}
              multiline={f.multiline}
              maxLines={f.multiline ? promptLines(rows) : 1}
              width={columns}
              prompt="› "
              placeholder={f.placeholder}
              isActive={live}
              onChange={(text) => {
                const lines = text.split('\n').length
                setOverlay((o) => (o && o.lines !== lines ? {...o, lines} : o))
              }}
              onSubmit={(text) => runOverlay(() => f.run(text))}
              onCancel={() => {
                setOverlay(null)
                setStatus({text: 'Cancelled; nothing changed.'})
              }}
              onEditor={
                f.editor
                  ? (text) => {
                      try {
                        const edited = editInEditor(text, f.context)
                        if (edited !== null) setOverlay((o) => (o ? {...o, error: null, value: {text: edited, version: (o.value?.version ?? 0) + 1}} : o))
                      } catch (e) {
                        setOverlay((o) => (o ? {...o, error: errorText(e as Error)} : o))
                      }
                    }
                  : undefined
              }
            />
            {err}
          </Box>
        )
      }
      if (f.kind === 'picker') {
        return (
          <Box flexDirection="column" height={bottomHeight}>
            <Line segs={title} />
            <Picker
              key={f.title}
              options={f.options}
              custom={f.custom}
              initialValue={f.initialValue}
              width={columns}
              maxRows={bottomHeight - 2 - (overlay.error || overlay.busy ? 1 : 0)}
              isActive={live}
              onPick={(value) => runOverlay(() => f.run(value))}
              onCancel={() => {
                setOverlay(null)
                setStatus({text: 'Cancelled; nothing changed.'})
              }}
            />
            {err}
          </Box>
        )
      }
      if (f.kind === 'confirm') {
        return (
          <Box flexDirection="column" height={bottomHeight}>
            <Line segs={title} />
            <Confirm
              isActive={live}
              onYes={() => runOverlay(f.run)}
              onNo={() => {
                setOverlay(null)
                setStatus({text: 'Cancelled; nothing changed.'})
              }}
            />
            {err}
          </Box>
        )
      }
    }
    if (filtering) {
      const problem = queue.filter.problems[0]
      return (
        <Box flexDirection="column" height={bottomHeight}>
          <Line segs={[problem ? seg(problem, {tone: 'warn'}) : seg('words, or terms: status: assignee:me dept: tag: priority: channel: type: from: id:  -term excludes', {dim: true})]} />
          <TextInput
            initial={queue.state.filterText}
            width={columns}
            prompt="/ "
            placeholder="type words or terms"
            scope="filter"
            isActive
            onChange={(text) => queue.dispatch({type: 'filter', text})}
            onSubmit={(text) => {
              setFiltering(false)
              queue.dispatch({type: 'filter', text})
            }}
            onCancel={() => {
              setFiltering(false)
              queue.dispatch({type: 'filter', text: ''})
            }}
          />
        </Box>
      )
    }
    if (busy) return <Spinner label={busy} />
    if (data.error) return <Line segs={[seg(errorText(data.error), {tone: 'error'})]} />
    if (!index) return <Line segs={[seg('Loading the desk…', {dim: true})]} />
    if (status) return <Line segs={[seg(status.text, {tone: status.tone})]} />
    if (queue.state.filterText && screen === 'queue') return <Line segs={[seg('filter: ', {dim: true}), seg(queue.state.filterText, {tone: 'accent'}), seg('  (/ edits, Esc clears)', {dim: true})]} />
    return <Line segs={[seg(`${ids.length.toLocaleString('en-US')} ${ids.length === 1 ? 'ticket' : 'tickets'} on the desk · you are ${safeLine(me)} · ? shows every key`, {dim: true})]} />
  }
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

/** How many lines of a reply show while typing it. */
const promptLines = (rows: number) => Math.min(5, Math.max(1, rows - 16))

function overlayHeight(o: Overlay | null, filtering: boolean, rows: number): number {
  if (o) {
    const err = o.error || o.busy ? 1 : 0
    if (o.flow.kind === 'prompt') {
      const max = promptLines(rows)
      const lines = o.flow.multiline ? Math.max(1, o.lines ?? (o.value?.text ?? o.flow.initial ?? '').split('\n').length) : 1
      return 1 + Math.min(max, lines) + (lines > max ? 1 : 0) + err
    }
    if (o.flow.kind === 'picker') return 2 + Math.min(o.flow.options.length + 1, Math.max(3, Math.min(8, rows - 14))) + err
    if (o.flow.kind === 'confirm') return 2 + err
  }
  return filtering ? 2 : 1
}

function titleLine(p: {name: string; screen: Screen; width: number; filter: string; me: string; problems: number}): LineSpec {
  const tab = (label: string, on: boolean) => seg(` ${label} `, {inverse: on, bold: on, dim: !on})
  const left: LineSpec = [seg(' tix ', {bold: true, tone: 'accent'}), seg(safeLine(p.name) + '  ', {bold: true}), tab('Queue', p.screen !== 'dashboard'), tab('Dashboard', p.screen === 'dashboard')]
  const used = left.reduce((n, s) => n + s.text.length, 0)
  const right = p.problems > 0 ? `${p.problems} ticket file${p.problems === 1 ? '' : 's'} with skipped lines` : ''
  return right && used + right.length + 2 < p.width ? [...left, seg(' '.repeat(p.width - used - right.length - 1)), seg(right, {tone: 'warn'})] : left
}

const errorText = (e: Error) => {
  const hint = (e as {hint?: string}).hint
  return safeLine(`${e.message}${hint && !/^tix /.test(hint) ? ` ${hint}` : ''}`)
}

/** A ticket with its thread, re-read when the desk's commit changes; `delay` debounces fast moves. */
function useTicket(desk: Desk, id: string | null, commit: string | undefined, delay: number): {loaded: LoadedTicket | null; error: string | null} {
  const [state, setState] = useState<{loaded: LoadedTicket | null; error: string | null}>({loaded: null, error: null})
  useEffect(() => {
    if (!id || !commit) return
    let live = true
    const t = setTimeout(() => {
      loadTicket(desk, id, commit).then(
        (loaded) => live && setState({loaded, error: loaded ? null : 'This ticket is no longer on the desk.'}),
        (e: Error) => live && setState({loaded: null, error: errorText(e)}),
      )
    }, delay)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [desk, id, commit, delay])
  return id ? state : {loaded: null, error: null}
}

