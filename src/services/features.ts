// Features that other parts of tix bring (sync, escalation, macros, ratings, auto-assignment),
// found at run time: the TUI shows their keys only when the service is really there, so a build
// without them never offers an action that cannot work. The imports are esbuild "glob" imports:
// every file in src/store and src/services is bundled, and a missing one simply is not found.
import type {Desk} from '../store/desk.js'
import type {TicketChange} from './tickets.js'

export interface Features {
  /** `tix sync`: fetch, merge, push. */
  sync?: (desk: Desk) => Promise<unknown>
  /** `tix escalate ID --reason`: the reason is required. */
  escalate?: (desk: Desk, id: string, opts: {reason: string}) => Promise<TicketChange>
  /** `tix macro apply NAME ID`, and the macro names to pick from. */
  macro?: {apply: (desk: Desk, id: string, name: string) => Promise<TicketChange>; list: (desk: Desk) => Promise<string[]>}
  /** `tix rate ID good|neutral|bad`. */
  rate?: (desk: Desk, id: string, opts: {rating: string; comment?: string}) => Promise<TicketChange>
  /** `tix assign ID --auto`: by the department's strategy. */
  autoAssign?: (desk: Desk, id: string) => Promise<TicketChange>
}

export type FeatureName = keyof Features

type Module = Record<string, unknown>

// A missing file makes the bundle's glob lookup throw at once, and plain import() reject: both mean "absent".
async function loadStore(name: string): Promise<Module | null> {
  try {
    return (await import(`../store/${name}.ts`)) as Module
  } catch {
    return null
  }
}
async function loadService(name: string): Promise<Module | null> {
  try {
    return (await import(`../services/${name}.ts`)) as Module
  } catch {
    return null
  }
}

/** The first function among `exports` in the first module that has one. */
async function find(loaders: (() => Promise<Module | null>)[], exports: string[]): Promise<((...args: never[]) => unknown) | undefined> {
  for (const load of loaders) {
    const mod = await load()
    if (!mod) continue
    for (const name of exports) if (typeof mod[name] === 'function') return mod[name] as (...args: never[]) => unknown
  }
  return undefined
}

/** Looks for every optional feature; what is not found stays undefined (and hidden in the TUI). */
export async function detectFeatures(): Promise<Features> {
  const services = ['workflow', 'escalation', 'macros', 'ratings', 'assignment', 'tickets'].map((n) => () => loadService(n))
  const [sync, escalate, applyMacro, listMacros, rate, autoAssign] = await Promise.all([
    find([() => loadStore('sync'), () => loadService('sync')], ['sync', 'syncDesk']),
    find(services, ['escalateTicket', 'escalate']),
    find(services, ['applyMacro']),
    find(services, ['listMacros']),
    find(services, ['rateTicket', 'rate']),
    find(services, ['autoAssignTicket', 'autoAssign']),
  ])
  const features: Features = {}
  if (sync) features.sync = sync as Features['sync']
  if (escalate) features.escalate = escalate as Features['escalate']
  if (applyMacro && listMacros) features.macro = {apply: applyMacro as never, list: listMacros as never}
  if (rate) features.rate = rate as Features['rate']
  if (autoAssign) features.autoAssign = autoAssign as Features['autoAssign']
  return features
}

/** A sync result as one line, whatever its exact shape. */
export function describeSyncResult(result: unknown): string {
  if (typeof result === 'string') return result
  if (typeof result !== 'object' || result === null) return 'Synced.'
  const r = result as Record<string, unknown>
  for (const k of ['summary', 'message']) if (typeof r[k] === 'string' && r[k] !== '') return r[k] as string
  const parts = Object.entries(r)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length < 60))
    .slice(0, 6)
    .map(([k, v]) => `${k} ${v}`)
  return parts.length > 0 ? `Synced: ${parts.join(', ')}.` : 'Synced.'
}
