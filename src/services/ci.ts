// `tix ci`: one command per pipeline step. A failed run creates the job's ticket (or records one
// more occurrence on it, reopening it when it had been resolved); a green run resolves it. With
// --sync it fetches the desk first and publishes after, so a fresh CI checkout files in one step.
import {readFileSync} from 'node:fs'
import {basename} from 'node:path'
import {TixError, usageError} from '../errors.js'
import {maxAttachmentBytes} from '../domain/ticket/attachments.js'
import {defaultKey, defaultTitle, detectProvider, detectRun, failureBody, maskSecrets, runFields, stripAnsi, tailLines, type CiRun, type Provider} from '../domain/ci/ci.js'
import {cleanDedupeKey, type KeyedAction, type OnRepeat} from '../domain/ticket/dedupe.js'
import {isUnresolved} from '../domain/ticket/model.js'
import {changeStatus, note} from '../domain/ticket/ticket-ops.js'
import {Desk, type DeskIO, type LoadedTicket} from '../store/desk.js'
import type {SyncResult} from '../store/sync.js'
import type {AttachmentInput} from './attachments.js'
import {fileKeyed, keyedTicket, dedupeId, deskKey} from './dedupe.js'
import {updateTicket} from './tickets.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'

export interface CiOptions {
  /** The run passed: resolve the key's open ticket. */
  passed?: boolean
  log?: string
  /** Lines of the log in the body (default 100). */
  tail?: number
  key?: string
  title?: string
  /** Values that win over what the environment says. */
  overrides?: Partial<Omit<CiRun, 'provider'>> & {provider?: Provider}
  onRepeat?: OnRepeat
  sync?: boolean
  remote?: string
  dryRun?: boolean
  priority?: string
  type?: string
  tags?: string[]
  department?: string
  assignee?: string
}

export interface CiLog {
  name: string
  /** Lines in the body, and in the whole log. */
  lines: number
  total: number
  masked: number
  /** Bytes dropped from the start of the attached copy to keep it under the desk's limit. */
  droppedBytes: number
}

export interface CiResult {
  run: CiRun
  key: string
  id: string
  action: KeyedAction | 'resolved' | 'none'
  deduped: boolean
  occurrences: number
  ticket: LoadedTicket | null
  commit: string | null
  dryRun: boolean
  log: CiLog | null
  syncIn: SyncResult | null
  syncOut: SyncResult | null
  messages: string[]
  /** The desk it worked on (its index is warm: reuse it). */
  desk: Desk
}

/** What the environment (and flags) say about the run. */
export function ciRun(env: NodeJS.ProcessEnv, overrides: CiOptions['overrides'] = {}): CiRun {
  const provider = overrides.provider ?? detectProvider(env)
  const run = detectRun(env, provider)
  for (const [k, val] of Object.entries(overrides)) if (val !== undefined && val !== '') (run as unknown as Record<string, unknown>)[k] = val
  return run
}

/** The log made fit for a ticket: body tail and the whole (masked) text to attach, cut to `maxBytes` from the end. */
export function prepareLog(path: string, opts: {tail: number; env: NodeJS.ProcessEnv; maxBytes: number}): {log: CiLog; tail: string; attachment: AttachmentInput} {
  let raw: Buffer
  try {
    raw = readFileSync(path === '-' ? 0 : path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(code === 'ENOENT' ? `--log ${path}: no such file.` : `--log ${path}: cannot read it (${code ?? (error as Error).message}).`, 'Save the step\'s output first: npm test 2>&1 | tee build.log')
  }
  const {text, masked} = maskSecrets(stripAnsi(raw.toString('utf8')), opts.env)
  const tail = tailLines(text, opts.tail)
  let bytes = Buffer.from(text, 'utf8')
  let droppedBytes = 0
  if (bytes.length > opts.maxBytes) {
    // keep the end (where failures are), from a line start, with a first line saying what was cut
    const budget = opts.maxBytes - 200
    let start = bytes.length - Math.max(0, budget)
    const nl = bytes.indexOf(10, start)
    start = nl >= 0 && nl < bytes.length - 1 ? nl + 1 : start
    droppedBytes = start
    bytes = Buffer.concat([Buffer.from(`[tix: the first ${droppedBytes} bytes of this log were dropped to stay under the desk's attachment limit]\n`), bytes.subarray(start)])
  }
  const name = path === '-' ? 'ci.log' : basename(path)
  return {
    log: {name, lines: Math.min(opts.tail, tail.total), total: tail.total, masked, droppedBytes},
    tail: tail.text,
    attachment: {name, bytes, mediaType: 'text/plain'},
  }
}

export async function runCi(io: DeskIO, opts: CiOptions = {}): Promise<CiResult> {
  const run = ciRun(io.env, opts.overrides)
  const key = cleanDedupeKey(opts.key ?? defaultKey(run))
  if (opts.passed && opts.log) throw usageError('--passed records a green run: it takes no --log.', 'tix ci --passed --sync')
  const tail = opts.tail ?? 100
  if (!Number.isInteger(tail) || tail < 0) throw usageError(`--tail ${tail} is not a number of lines.`)

  const syncDesk = opts.sync && !opts.dryRun ? (await import('./sync.js')).syncDesk : null
  const syncIn = syncDesk ? (await syncDesk(io, {remote: opts.remote, push: false})).result : null
  const desk = await Desk.open(io)
  const index = await desk.index()
  let result: Omit<CiResult, 'syncIn' | 'syncOut' | 'desk'>

  if (opts.passed) {
    const current = await keyedTicket(desk, key)
    const id = current?.ticket.id ?? (await dedupeId(await deskKey(desk, index.config), key))
    const base = {run, key, id, deduped: current !== null, occurrences: current?.ticket.occurrences?.count ?? 0, dryRun: Boolean(opts.dryRun), log: null, messages: []}
    if (!current || !isUnresolved(current.ticket.status)) {
      result = {...base, action: 'none', ticket: current, commit: null}
    } else if (opts.dryRun) {
      result = {...base, action: 'resolved', ticket: current, commit: null}
    } else {
      const link = run.runUrl ? `: ${run.runUrl}` : '.'
      const res = await updateTicket(desk, id, (t, ctx) => [
        ...note(t, `Passed again${link}${run.commit ? `\nCommit: ${run.commit}` : ''}${run.branch ? `\nBranch: ${run.branch}` : ''}`, ctx),
        ...changeStatus(t, 'resolved', {resolution: `The job passed again${run.runUrl ? ` (${run.runUrl})` : ''}.`}, ctx),
      ])
      result = {...base, action: 'resolved', ticket: res.ticket, commit: res.commit, messages: res.messages ?? []}
    }
  } else {
    const prepared = opts.log ? prepareLog(opts.log, {tail, env: io.env, maxBytes: maxAttachmentBytes(index.config)}) : null
    const res = await fileKeyed(
      desk,
      {
        title: opts.title ?? defaultTitle(run),
        body: failureBody(run, prepared ? {...prepared.log, tail: prepared.tail} : null),
        channel: 'ci',
        type: opts.type ?? 'incident',
        priority: opts.priority,
        tags: opts.tags && opts.tags.length > 0 ? opts.tags : ['ci'],
        department: opts.department,
        assignee: opts.assignee,
        fields: runFields(run),
      },
      {key, onRepeat: opts.onRepeat ?? 'reopen', run: run.runUrl, attachments: prepared ? [prepared.attachment] : [], dryRun: opts.dryRun},
    )
    result = {run, key, id: res.id, action: res.action, deduped: res.deduped, occurrences: res.occurrences, ticket: res.ticket, commit: res.commit, dryRun: Boolean(opts.dryRun), log: prepared?.log ?? null, messages: res.messages}
  }

  let syncOut: SyncResult | null = null
  if (syncDesk) {
    try {
      syncOut = (await syncDesk(io, {remote: opts.remote})).result
    } catch (error) {
      if (error instanceof TixError && result.commit) {
        throw new TixError(`${result.action === 'resolved' ? 'Resolved' : 'Filed'} ${shortIdPrefix(result.id)} here, but could not publish it: ${error.message}`, {exitCode: error.exitCode, hint: error.hint, code: error.code, details: error.details})
      }
      throw error
    }
  }
  return {...result, syncIn, syncOut, desk: syncOut ? Desk.locate(io) : desk}
}
