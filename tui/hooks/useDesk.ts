// The desk as the TUI sees it: the folded index, re-read when the `tix` ref moves on disk (another
// process, a sync, our own change). The ref is a file: reading it every second costs next to nothing.
import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {loadQueue} from '../../src/services/queue.js'
import {headline} from '../../src/output/sla.js'
import {slaLookup} from '../../src/services/workflow/sla.js'
import {soonestDue, type TicketSla} from '../../src/domain/sla/sla.js'
import type {Desk, DeskIndex} from '../../src/store/desk.js'

export interface DeskState {
  index: DeskIndex | null
  /** Open tickets, and the resolved/closed ones when they were asked for. */
  tickets: TicketSummary[]
  hasDone: boolean
  hasText: boolean
  loading: boolean
  error: Error | null
  /** Re-reads the index now (after our own change). */
  reload: () => Promise<void>
}

/** A load of the index begun before the TUI drew anything, and its result if it came in time. */
export interface FirstLoad {
  index: DeskIndex | null
  pending: Promise<DeskIndex>
}

export function useDesk(desk: Desk, want: {done: boolean; text: boolean}, pollMs = 1000, first?: FirstLoad): DeskState {
  const [index, setIndex] = useState<DeskIndex | null>(first?.index ?? null)
  const [loading, setLoading] = useState(!first?.index)
  const [error, setError] = useState<Error | null>(null)
  const wantRef = useRef(want)
  wantRef.current = want
  const inFlight = useRef<Promise<void> | null>(null)
  const again = useRef(false)
  const mounted = useRef(true)
  const commitRef = useRef<string | null>(first?.index?.commit ?? null)
  const haveRef = useRef({done: first?.index?.done != null, text: first?.index?.text != null})

  const load = useCallback((begun?: Promise<DeskIndex>): Promise<void> => {
    if (inFlight.current) {
      again.current = true
      return inFlight.current
    }
    const run = async () => {
      do {
        again.current = false
        // Once loaded, a part stays loaded: dropping it would make the list jump at the next refresh.
        const w = {done: wantRef.current.done || haveRef.current.done, text: wantRef.current.text || haveRef.current.text}
        setLoading(true)
        try {
          const next = await (begun ?? loadQueue(desk, {done: w.done, text: w.text}))
          begun = undefined
          if (!mounted.current) return
          commitRef.current = next.commit
          haveRef.current = {done: next.done !== null, text: next.text !== null}
          setIndex(next)
          setError(null)
        } catch (e) {
          if (mounted.current) setError(e as Error)
        }
      } while (again.current && mounted.current)
      if (mounted.current) setLoading(false)
    }
    inFlight.current = run().finally(() => {
      inFlight.current = null
    })
    return inFlight.current
  }, [desk])

  const firstRef = useRef(first)
  useEffect(() => {
    mounted.current = true
    // (what was begun before the first frame is awaited, not asked again)
    const f = firstRef.current
    firstRef.current = undefined
    if (!f?.index) void load(f?.pending)
    return () => {
      mounted.current = false
    }
  }, [load])

  // Parts that load only on demand (resolved tickets, search text): fetch once they are wanted.
  useEffect(() => {
    if ((want.done && !haveRef.current.done) || (want.text && !haveRef.current.text)) void load()
  }, [want.done, want.text, load])

  useEffect(() => {
    const timer = setInterval(() => {
      let tip: string | null
      try {
        tip = desk.tip()
      } catch {
        return
      }
      if (tip !== null && tip !== commitRef.current && !inFlight.current) void load()
    }, pollMs)
    timer.unref?.()
    return () => clearInterval(timer)
  }, [desk, load, pollMs])

  // SLA clocks move with time: recompute the states once a minute even when nothing else changed.
  const [minute, setMinute] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setMinute((m) => m + 1), 60_000)
    timer.unref?.()
    return () => clearInterval(timer)
  }, [])

  const tickets = useMemo(() => {
    if (!index) return []
    const slaOf = slaLookup(index.config, desk.now())
    const open = Object.values(index.open).map((t) => {
      const s = slaOf(t)
      return s ? ({...t, sla: {state: s.state, label: slaLabel(s), due: soonestDue(s)}} as TicketSummary) : t
    })
    return index.done ? open.concat(Object.values(index.done)) : open
  }, [index, minute, desk])

  const reload = useCallback(() => load(), [load])
  return {index, tickets, hasDone: index?.done != null, hasText: index?.text != null, loading, error, reload}
}

const span = (minutes: number) =>
  minutes < 60 ? `${Math.max(0, Math.floor(minutes))}m` : minutes < 2880 ? `${Math.floor(minutes / 60)}h` : `${Math.floor(minutes / 1440)}d`

/** "2h" left, "-45m" overdue, "paused", "met": the clock that decides the state (as `tix list`'s SLA column), in a narrow cell. */
export function slaLabel(s: TicketSla): string {
  const h = headline(s)
  if (h && s.state === 'breached') return `-${span(h.m.overdueBy ?? 0)}`
  if (h && (s.state === 'ok' || s.state === 'warning')) return span(h.m.remaining ?? 0)
  return s.state
}
