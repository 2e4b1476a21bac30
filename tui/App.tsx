// The TUI. One state (tui/state.ts, a reducer) says which screen shows and what is open over it;
// the keys (hooks/useAppKeys.ts) and the actions (hooks/useFlows.ts) change it; the desk comes from
// hooks/useDesk.ts; the screens and the two bars render from props.
import {Box, Text} from 'ink'
import {useCallback, useEffect, useMemo, useReducer, useRef, useState} from 'react'
import {dashboard as computeDashboard} from '../src/domain/reports/dashboard.js'
import {safeLine} from '../src/output/text.js'
import type {Desk} from '../src/store/desk.js'
import {errorLine} from './actions.js'
import type {Terminal} from './editor.js'
import {BottomBar, bottomBarHeight} from './components/BottomBar.js'
import {Line, seg} from './components/Line.js'
import {TitleBar} from './components/TitleBar.js'
import {KeyRouter} from './hooks/keyRouter.js'
import {useAppKeys} from './hooks/useAppKeys.js'
import {useDesk, type FirstLoad} from './hooks/useDesk.js'
import {useFlows} from './hooks/useFlows.js'
import {position, useQueueList, useQueueQuery} from './hooks/useQueue.js'
import {MIN_SIZE, useTerminalSize, type Size} from './hooks/useTerminalSize.js'
import {useTicket} from './hooks/useTicket.js'
import {DashboardScreen} from './screens/DashboardScreen.js'
import {DetailScreen, useDetailLines} from './screens/DetailScreen.js'
import {HelpScreen, helpLength} from './screens/HelpScreen.js'
import {NewTicketFormScreen} from './screens/NewTicketForm.js'
import {QueueScreen, queueRows} from './screens/QueueScreen.js'
import {focusOf, initialUi, keyScope, previewScroll, uiReducer} from './state.js'
import {ThemeContext, makeTheme, useTheme} from './theme.js'

export interface AppProps {
  desk: Desk
  /** The queue's load begun before the first frame (runTui), and its result if it came in time. */
  firstLoad?: FirstLoad
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
  const {desk, env} = props
  const theme = useTheme()
  const [ui, dispatch] = useReducer(uiReducer, props, (p) => initialUi({view: p.view, filter: p.filter, notice: p.notices?.length ? safeLine(p.notices.at(-1)!) : undefined}))
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

  // ---------------------------------------------------------------- the desk and the queue
  const query = useQueueQuery(ui.queue, me)
  // The resolved tickets and the search text load only when a view, the dashboard or the filter needs them.
  const data = useDesk(desk, {done: query.needsDone || ui.screen === 'dashboard', text: query.needsText || ui.filtering}, props.pollMs, props.firstLoad)
  const {index} = data
  const ids = index?.ids ?? []
  const list = useQueueList(ui.queue, query, data.tickets, {me, text: index?.text ?? null})

  // Warnings can quote a ticket file (a line that is not JSON): sanitised like any ticket text.
  useEffect(() => props.onNotice?.((line) => dispatch({type: 'status', status: {text: safeLine(line), tone: 'warn'}})), [props.onNotice])

  // The clock moves on (ages in the table); TIX_NOW keeps it still.
  useEffect(() => {
    if (env.TIX_NOW) return
    const t = setInterval(() => setNow(desk.now()), 30_000)
    t.unref?.()
    return () => clearInterval(t)
  }, [desk, env.TIX_NOW])

  // ---------------------------------------------------------------- layout
  const {columns, rows} = size
  const tooSmall = columns < MIN_SIZE.columns || rows < MIN_SIZE.rows
  const frame = rows - 1 // the last row stays empty, so the terminal never scrolls
  const wide = columns >= PREVIEW_COLUMNS && ui.screen === 'queue'
  const listWidth = wide ? Math.floor(columns * 0.55) : columns
  const paneWidth = columns - listWidth - 2
  const barHeight = bottomBarHeight(ui, rows)
  const contentHeight = Math.max(3, frame - 2 - barHeight)
  const listRows = queueRows(contentHeight)
  const pos = position(ui.queue, list, listRows)
  const selected = list[pos.cursor] ?? null

  // ---------------------------------------------------------------- tickets shown in full
  const preview = useTicket(desk, wide ? (selected?.id ?? null) : null, index?.commit, 80)
  const detailId = ui.screen === 'detail' ? (ui.detail?.id ?? null) : null
  const detail = useTicket(desk, detailId, index?.commit, 0)
  const detailLines = useDetailLines(detail.loaded, ids, columns, now, index?.config)
  const previewLines = useDetailLines(preview.loaded, ids, paneWidth, now, index?.config)
  const stats = useMemo(
    () => (ui.screen === 'dashboard' && index ? computeDashboard(data.tickets, {now, timeZone: index.config.timezone, complete: data.hasDone, oldest: 50}) : null),
    [ui.screen, index, data.tickets, data.hasDone, now],
  )
  const unanswered = stats?.unanswered ?? []
  const dashRow = Math.min(ui.dashRow, Math.max(0, unanswered.length - 1))

  // First full frame: tell whoever waits (benchmarks, `npm start`).
  const readyRef = useRef(false)
  useEffect(() => {
    if (!readyRef.current && index && !tooSmall) {
      readyRef.current = true
      props.onReady?.()
    }
  }, [index, tooSmall, props.onReady])

  // ---------------------------------------------------------------- actions and keys
  const flows = useFlows({desk, me, config: index?.config ?? null, ids, tickets: data.tickets, reload: data.reload, dispatch, env, terminal: props.terminal, redraw})
  const helpLines = ui.help ? helpLength(columns) : 0
  useAppKeys({
    focus: tooSmall ? null : focusOf(ui, wide),
    wide,
    dispatch,
    startAction: flows.startAction,
    list,
    listRows,
    selected,
    // A ticket just opened acts as its summary until its thread has loaded.
    detailTicket: detail.loaded?.ticket ?? (detailId ? (index?.open[detailId] ?? index?.done?.[detailId] ?? null) : null),
    dashTicket: unanswered[dashRow] ?? null,
    dashCount: unanswered.length,
    filterText: ui.queue.filterText,
    height: contentHeight,
    lines: {detail: detailLines.length, preview: previewLines.length, help: helpLines},
    refresh: () => {
      setNow(desk.now())
      void data.reload()
      redraw()
    },
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

  let content
  if (ui.form && index) {
    content = (
      <NewTicketFormScreen
        width={columns}
        height={contentHeight + barHeight}
        me={me}
        config={index.config}
        busy={ui.form.busy}
        onSubmit={flows.submitForm}
        onCancel={() => dispatch({type: 'close', status: {text: 'No ticket created.'}})}
        onEditor={(text) => flows.editInEditor(text)}
      />
    )
  } else if (ui.help) {
    content = <HelpScreen width={columns} height={contentHeight} scroll={ui.help.scroll} />
  } else if (ui.screen === 'detail') {
    content = <DetailScreen loaded={detail.loaded} error={detail.error} ids={ids} width={columns} height={contentHeight} scroll={ui.detail?.scroll ?? 0} now={now} focused config={index?.config} />
  } else if (ui.screen === 'dashboard') {
    content = <DashboardScreen stats={stats} width={columns} height={contentHeight} ids={ids} now={now} sel={dashRow} focused />
  } else {
    const table = (
      <QueueScreen
        list={list}
        all={data.tickets}
        cursor={pos.cursor}
        top={pos.top}
        height={contentHeight}
        width={listWidth}
        ids={ids}
        now={now}
        me={me}
        view={query.view}
        sort={ui.queue.sort}
        loading={data.loading && !index}
        focused={ui.pane === 'list' || !wide}
        filterActive={ui.queue.filterText.trim() !== ''}
      />
    )
    const previewFocused = ui.pane === 'preview'
    content = wide ? (
      <Box flexDirection="row" height={contentHeight}>
        {table}
        <Box width={2} height={contentHeight} flexDirection="column">
          {Array.from({length: contentHeight}, (_, i) => (
            <Line key={i} segs={[seg('│ ', {dim: !previewFocused, tone: previewFocused ? 'accent' : undefined})]} />
          ))}
        </Box>
        {selected ? (
          <DetailScreen loaded={preview.loaded} error={preview.error} ids={ids} width={paneWidth} height={contentHeight} scroll={previewScroll(ui, selected.id)} now={now} focused={previewFocused} config={index?.config} />
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
      <TitleBar name={index?.config.name ?? ''} dashboard={ui.screen === 'dashboard'} width={columns} problems={index ? Object.keys(index.problems).length : 0} />
      <Box height={ui.form ? contentHeight + barHeight : contentHeight} flexDirection="column">
        {content}
      </Box>
      <BottomBar
        ui={ui}
        dispatch={dispatch}
        scope={keyScope(ui, wide)}
        width={columns}
        rows={rows}
        filter={{text: ui.queue.filterText, problem: query.filter.problems[0]}}
        desk={{loaded: index !== null, error: data.error ? errorLine(data.error) : null, tickets: ids.length, me}}
        runOverlay={flows.runOverlay}
        editInEditor={flows.editInEditor}
      />
    </Box>
  )
}
