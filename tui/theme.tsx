// Colours by meaning, resolved in one place: NO_COLOR (without FORCE_COLOR) turns every colour off,
// and what colour said is then carried by text and attributes (labels, bars, bold, inverse).
import {createContext, useContext} from 'react'
import type {Priority, Status} from '../src/domain/ticket/model.js'

export type Tone =
  | 'accent'
  | 'muted'
  | 'error'
  | 'ok'
  | 'warn'
  | 'reply'
  | 'note'
  | 'urgent'
  | 'high'
  | 'low'
  | 'new'
  | 'open'
  | 'pending'
  | 'on-hold'
  | 'done'

const COLORS: Record<Tone, string> = {
  accent: 'cyan',
  muted: 'gray',
  error: 'red',
  ok: 'green',
  warn: 'yellow',
  reply: 'green',
  note: 'yellow',
  urgent: 'red',
  high: 'yellow',
  low: 'gray',
  new: 'cyan',
  open: 'green',
  pending: 'yellow',
  'on-hold': 'magenta',
  done: 'gray',
}

export interface Theme {
  color: boolean
  /** The Ink colour for a tone, or undefined without colour. */
  of: (tone: Tone | undefined) => string | undefined
}

export function makeTheme(env: NodeJS.ProcessEnv): Theme {
  const color = !(env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !env.FORCE_COLOR)
  return {color, of: (tone) => (color && tone ? COLORS[tone] : undefined)}
}

export const ThemeContext = createContext<Theme>(makeTheme({}))
export const useTheme = () => useContext(ThemeContext)

export const priorityTone = (p: Priority): Tone | undefined => (p === 'urgent' ? 'urgent' : p === 'high' ? 'high' : p === 'low' ? 'low' : undefined)
export const statusTone = (s: Status): Tone => (s === 'resolved' || s === 'closed' ? 'done' : s)
