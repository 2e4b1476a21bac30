// What reports take from the desk's configuration: the calendars business-time metrics use, each
// ticket's SLA targets, and the groups that exist even when empty. This is the one place that
// knows the workflow's configuration (departments, agents, tiers, SLA policies); report math
// (report.ts) only sees calendar indexes and SLA targets.
import {calendarHours, type Calendar} from './calendar.js'
import type {DeskConfig} from './config.js'
import type {GroupBy} from './report.js'
import type {FactsContext} from './report-facts.js'

export interface ReportSetup {
  timezone: string
  /** Index 0 is calendar time in the desk's zone; others come from the SLA calendars. */
  calendars: Calendar[]
  facts: FactsContext
  /** Whether the desk defines SLA policies at all (else SLA compliance shows as n/a). */
  slaConfigured: boolean
  knownGroups: (by: GroupBy) => string[]
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** Names from a section that is either {name: {...}} or [{id|name|email: ...}] or ["name"]. */
function names(section: unknown, keys: string[]): string[] {
  if (isObj(section)) return Object.keys(section)
  if (!Array.isArray(section)) return []
  const out: string[] = []
  for (const item of section) {
    if (typeof item === 'string') out.push(item)
    else if (isObj(item)) {
      const k = keys.find((key) => typeof item[key] === 'string')
      if (k) out.push(item[k] as string)
    }
  }
  return out
}

export function reportSetup(config: DeskConfig): ReportSetup {
  const timezone = config.timezone
  const tiers = names(config.tiers, ['tier', 'id', 'name'])
    .map((t) => String(t).replace(/^[lL]/, ''))
    .filter((t) => /^\d+$/.test(t))
  return {
    timezone,
    calendars: [calendarHours(timezone)],
    facts: {
      calendarOf: () => 0,
      // Adapter until the workflow's SLA engine (src/domain/sla.ts) is merged: no targets.
      slaTargets: () => [],
    },
    slaConfigured: false,
    knownGroups: (by) => {
      if (by === 'department') return names(config.departments, ['id', 'name'])
      if (by === 'agent') return names(config.agents, ['email', 'id'])
      if (by === 'tier') return tiers.length > 0 ? tiers : ['1']
      return []
    },
  }
}
