// `tix report` and `tix report backlog-age`: choose the periods, load the facts (cached at the
// tip, or folded again for --as-of), and compute the figures.
import {usageError} from '../errors.js'
import {BusinessClock} from '../domain/sla/business-clock.js'
import {parseDateInput} from '../domain/common/dates.js'
import {parseConfig, type DeskConfig} from '../domain/config/config.js'
import {buildPeriods, localDate, nextPeriodLd, parseLocalDate, periodStartLd, startOfLocalDay, type Period, type PeriodUnit} from '../domain/reports/periods.js'
import {computeBacklogAge, computeReport, DEFAULT_METRICS, type BacklogAgeRow, type GroupBy, type ReportMetric, type ReportRow} from '../domain/reports/report.js'
import {reportSetup} from '../domain/reports/report-sla.js'
import type {Desk} from '../store/desk.js'
import type {FactsTable} from '../domain/reports/facts-table.js'
import {FactsCache, factsAsOf, type LoadedFacts} from '../store/report-facts.js'

/** How many periods a series shows when --period is given without --from. */
export const DEFAULT_SPAN: Record<PeriodUnit, number> = {day: 30, week: 12, month: 12, year: 3}

export interface ReportOptions {
  by?: GroupBy
  period?: PeriodUnit
  /** Local dates YYYY-MM-DD, inclusive. */
  from?: string
  to?: string
  metrics?: ReportMetric[]
  /** A date (end of that day in the desk's time zone) or an ISO time. */
  asOf?: string
}

export interface ReportOutput {
  timezone: string
  period: PeriodUnit | null
  from: string
  to: string
  /** The instant the report describes: --as-of, or now. */
  asOf: string
  asOfGiven: boolean
  by: GroupBy | null
  metrics: ReportMetric[]
  slaConfigured: boolean
  groups: string[]
  periods: Period[]
  rows: ReportRow[]
  totals: ReportRow[]
  problems: string[]
}

/** "2026-09-30" = the end of that day in `tz`; anything else must be an ISO time. */
export function parseAsOfInput(value: string, tz: string): number {
  // A date means the end of that day in the desk's time zone; a time names its own zone.
  const d = parseDateInput(value, '--as-of')
  return d.kind === 'day' ? startOfLocalDay(tz, d.ld + 86_400_000) - 1 : d.ms
}

async function tipConfig(desk: Desk): Promise<DeskConfig> {
  return parseConfig((await desk.readFile('desk.json', desk.requireTip()))?.toString('utf8') ?? null)
}

/** The facts and config the report runs on, and the instant it describes. */
async function loadFacts(desk: Desk, asOfInput: string | undefined): Promise<{loaded: LoadedFacts; asOf: number}> {
  const setupFor = (config: DeskConfig) => reportSetup(config)
  if (asOfInput === undefined) {
    const now = desk.now().getTime()
    const loaded = await new FactsCache(desk).load(setupFor, now)
    return {loaded, asOf: now}
  }
  // A date means the end of that day where the desk is; if the zone was different then, read it again.
  let tz = (await tipConfig(desk)).timezone
  let asOf = parseAsOfInput(asOfInput, tz)
  let loaded = await factsAsOf(desk, new Date(asOf).toISOString(), setupFor)
  if (loaded.config.timezone !== tz) {
    tz = loaded.config.timezone
    asOf = parseAsOfInput(asOfInput, tz)
    loaded = await factsAsOf(desk, new Date(asOf).toISOString(), setupFor)
  }
  return {loaded, asOf}
}

function clocksFor(config: DeskConfig, facts: FactsTable, asOf: number): BusinessClock[] {
  const first = facts.firstCreated(asOf)
  return reportSetup(config).calendars.map((cal) => new BusinessClock(cal, first, asOf + 1))
}

export async function runReport(desk: Desk, opts: ReportOptions): Promise<ReportOutput> {
  const {loaded, asOf} = await loadFacts(desk, opts.asOf)
  const config = loaded.config
  const setup = reportSetup(config)
  const tz = setup.timezone
  const today = parseLocalDate(localDate(tz, asOf), 'as-of')
  const ranged = opts.from !== undefined || opts.to !== undefined
  const unit: PeriodUnit | null = opts.period ?? (ranged ? null : 'month')
  const toLd = opts.to === undefined ? today : Math.min(parseLocalDate(opts.to, '--to'), today)
  let fromLd: number
  if (opts.from !== undefined) fromLd = parseLocalDate(opts.from, '--from')
  else if (opts.period !== undefined) fromLd = nextPeriodLd(opts.period, periodStartLd(opts.period, toLd), -(DEFAULT_SPAN[opts.period] - 1))
  else fromLd = periodStartLd('month', toLd)
  if (fromLd > today) {
    throw usageError(`--from ${opts.from} is after ${opts.asOf ? 'the --as-of date' : 'today'} (${localDate(tz, asOf)}): there is nothing to report yet.`)
  }
  const periods = buildPeriods(tz, unit, fromLd, toLd)
  const metrics = opts.metrics && opts.metrics.length > 0 ? [...new Set(opts.metrics)] : DEFAULT_METRICS
  const result = computeReport({
    // in full only the tickets that can count in these periods (or be unresolved at the as-of
    // time, when it comes first); of the others one per group
    facts: loaded.facts.since(Math.min(periods[0]!.start, asOf + 1), opts.by ?? null),
    periods,
    by: opts.by ?? null,
    metrics,
    asOf,
    clocks: clocksFor(config, loaded.facts, asOf),
    knownGroups: opts.by ? setup.knownGroups(opts.by) : [],
  })
  return {
    timezone: tz,
    period: unit,
    from: periods[0]!.firstDay,
    to: periods[periods.length - 1]!.lastDay,
    asOf: new Date(asOf).toISOString(),
    asOfGiven: opts.asOf !== undefined,
    by: opts.by ?? null,
    metrics,
    slaConfigured: setup.slaConfigured,
    groups: result.groups,
    periods,
    rows: result.rows,
    totals: result.totals,
    problems: loaded.problems,
  }
}

export interface BacklogAgeOutput {
  timezone: string
  asOf: string
  asOfGiven: boolean
  by: GroupBy | null
  rows: BacklogAgeRow[]
  total: BacklogAgeRow
  problems: string[]
}

export async function runBacklogAge(desk: Desk, opts: {by?: GroupBy; asOf?: string}): Promise<BacklogAgeOutput> {
  const {loaded, asOf} = await loadFacts(desk, opts.asOf)
  const setup = reportSetup(loaded.config)
  // in full only the tickets that can be unresolved at the as-of time; of the others one per group
  const res = computeBacklogAge({facts: loaded.facts.since(asOf + 1, opts.by ?? null), by: opts.by ?? null, asOf, knownGroups: opts.by ? setup.knownGroups(opts.by) : []})
  return {
    timezone: setup.timezone,
    asOf: new Date(asOf).toISOString(),
    asOfGiven: opts.asOf !== undefined,
    by: opts.by ?? null,
    rows: res.rows,
    total: res.total,
    problems: loaded.problems,
  }
}
