// A ticket with its thread, for the detail screen and the preview pane.
import {useEffect, useState} from 'react'
import {loadTicket} from '../../src/services/queue.js'
import type {Desk, LoadedTicket} from '../../src/store/desk.js'
import {errorLine} from '../actions.js'

export interface TicketState {
  loaded: LoadedTicket | null
  error: string | null
}

const NOTHING: TicketState = {loaded: null, error: null}

/** Re-read when the desk's commit changes; `delay` debounces fast moves (the preview follows the cursor). */
export function useTicket(desk: Desk, id: string | null, commit: string | undefined, delay: number): TicketState {
  const [state, setState] = useState<TicketState & {id: string | null}>({id: null, loaded: null, error: null})
  useEffect(() => {
    if (!id || !commit) return
    let live = true
    const t = setTimeout(() => {
      loadTicket(desk, id, commit).then(
        (loaded) => live && setState({id, loaded, error: loaded ? null : 'This ticket is no longer on the desk.'}),
        (e: Error) => live && setState({id, loaded: null, error: errorLine(e)}),
      )
    }, delay)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [desk, id, commit, delay])
  // Until the ticket asked for has loaded, nothing rather than the one before it.
  return id !== null && state.id === id ? state : NOTHING
}
