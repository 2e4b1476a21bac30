// Running the TUI's actions (tui/actions.ts): a flow opens a prompt, a list or a question over the
// screen, the new-ticket form or $EDITOR, or just runs; its outcome re-reads the desk and says what
// changed. Keys typed while an action reads or writes the desk wait for it (useKeyHold), so they
// reach the prompt it opens, or the screen again.
import {useCallback, useRef} from 'react'
import type {DeskConfig} from '../../src/domain/config/config.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {safeLine} from '../../src/output/text.js'
import {createTicket, type NewTicketForm} from '../../src/services/queue.js'
import type {Desk} from '../../src/store/desk.js'
import {ACTIONS, errorLine, type Flow, type Outcome} from '../actions.js'
import {editText, inlineTerminal, type Terminal} from '../editor.js'
import type {ActionId} from '../keys.js'
import type {UiAction} from '../state.js'
import {useKeyHold} from './keyRouter.js'

export interface FlowsInput {
  desk: Desk
  me: string
  /** Null until the desk has loaded: actions wait for it. */
  config: DeskConfig | null
  ids: readonly string[]
  tickets: readonly TicketSummary[]
  reload: () => Promise<void>
  dispatch: (a: UiAction) => void
  env: NodeJS.ProcessEnv
  terminal?: Terminal
  /** Draws the whole screen again (after $EDITOR had the terminal). */
  redraw: () => void
}

export interface Flows {
  startAction: (action: ActionId, ticket: TicketSummary | null) => void
  /** Runs the action of the open prompt, list or question with what was answered. */
  runOverlay: (run: () => Promise<Outcome>) => void
  /** Creates the form's ticket; rejects (the form shows why by its field) when refused. */
  submitForm: (form: NewTicketForm) => Promise<void>
  /** The text after $EDITOR (null: left empty); throws when the editor could not run. */
  editInEditor: (text: string, context?: string) => string | null
}

export function useFlows(p: FlowsInput): Flows {
  const hold = useKeyHold()
  const {dispatch, redraw} = p
  // Handlers outlive renders (a flow finishes later): they read the latest desk state from here.
  const latest = useRef(p)
  latest.current = p
  const running = useRef(false)

  // The desk is re-read before the result is shown, so the line saying what changed and the
  // change itself appear in the same frame.
  const afterChange = useCallback(
    async (outcome: Outcome) => {
      await latest.current.reload()
      dispatch({type: 'changed', select: outcome.select, message: outcome.message ? safeLine(outcome.message) : undefined})
    },
    [dispatch],
  )

  const editInEditor = useCallback(
    (text: string, context?: string): string | null => {
      try {
        return editText(text, {env: latest.current.env, terminal: latest.current.terminal ?? inlineTerminal, context})
      } finally {
        redraw()
      }
    },
    [redraw],
  )

  const openFlow = useCallback(
    (flow: Flow): void => {
      switch (flow.kind) {
        case 'form':
          return dispatch({type: 'form', busy: false})
        case 'editor': {
          let text: string | null
          try {
            text = editText('', {env: latest.current.env, terminal: latest.current.terminal ?? inlineTerminal, context: flow.context, name: 'TIX_REPLY.md'})
          } catch (e) {
            redraw()
            return dispatch({type: 'status', status: {text: safeLine((e as Error).message), tone: 'error'}})
          }
          redraw()
          if (text === null) return dispatch({type: 'status', status: {text: 'Nothing written; nothing sent.', tone: 'warn'}})
          return openFlow(flow.compose(text))
        }
        case 'run':
          if (running.current) return // one at a time (a second sync while the first runs)
          running.current = true
          dispatch({type: 'busy', label: flow.title})
          void flow
            .run()
            .then(afterChange, (e: Error) => dispatch({type: 'status', status: {text: errorLine(e), tone: 'error'}}))
            .finally(() => {
              running.current = false
              dispatch({type: 'busy', label: null})
            })
          return
        default:
          return dispatch({type: 'overlay', flow})
      }
    },
    [afterChange, dispatch, redraw],
  )

  const runOverlay = useCallback(
    (run: () => Promise<Outcome>) => {
      dispatch({type: 'overlay-busy'})
      hold(
        run().then(
          async (outcome) => {
            if (!outcome.next) await afterChange(outcome)
            dispatch({type: 'close'})
            if (outcome.next) openFlow(outcome.next)
          },
          (e: Error) => dispatch({type: 'overlay-error', error: errorLine(e)}),
        ),
      )
    },
    [afterChange, openFlow, dispatch, hold],
  )

  const startAction = useCallback(
    (action: ActionId, ticket: TicketSummary | null) => {
      const spec = ACTIONS[action]
      const {desk, me, config, ids, tickets} = latest.current
      if (!spec || !config) return
      if (!spec.global && !ticket) return dispatch({type: 'status', status: {text: 'No ticket selected.', tone: 'warn'}})
      // The prompt opens after start() has read what it needs: the keys typed meanwhile are its.
      hold(
        Promise.resolve()
          .then(() => spec.start({desk, me, config, ids, tickets}, ticket!))
          .then(openFlow, (e: Error) => dispatch({type: 'status', status: {text: errorLine(e), tone: 'error'}})),
      )
    },
    [openFlow, dispatch, hold],
  )

  const submitForm = useCallback(
    async (form: NewTicketForm) => {
      const {desk, me, config, ids} = latest.current
      if (!config) return
      dispatch({type: 'form', busy: true})
      const work = createTicket(desk, form, {me, config}).then(async ({ticket: {ticket}}) => {
        await afterChange({message: `Created ${shortId([...ids, ticket.id].sort(), ticket.id)}: ${ticket.title}`, select: ticket.id})
        dispatch({type: 'close'})
      })
      hold(work)
      try {
        await work
      } catch (e) {
        dispatch({type: 'form', busy: false})
        throw e
      }
    },
    [afterChange, dispatch, hold],
  )

  return {startAction, runOverlay, submitForm, editInEditor}
}
