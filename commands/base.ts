// What every command shares: the --repo and --json flags, the desk, and errors a person can act on.
import {resolve} from 'node:path'
import {format, inspect} from 'node:util'
import {Command, Flags, ux, type Config} from '@oclif/core'
import type {Interfaces} from '@oclif/core'

// oclif's own FlagOutput/ArgOutput (not exported by the package), for the parse() override below.
type FlagOutput = {[name: string]: any} // eslint-disable-line @typescript-eslint/no-explicit-any
type ArgOutput = {[name: string]: any} // eslint-disable-line @typescript-eslint/no-explicit-any
type Input<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput> = Interfaces.Input<F, B, A>
type ParserOutput<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput> = Interfaces.ParserOutput<F, B, A>
import {ExitCode, TixError, usageError} from '../src/errors.js'
import {envelope, jsonBytes, jsonText} from '../src/output/json.js'
import {progressLine} from '../src/output/progress.js'
import {palette, terminalWidth} from '../src/output/style.js'
import {safeLine} from '../src/output/text.js'
import type {Desk, DeskIO} from '../src/store/desk.js'
import {commandContext, type CommandContext, type InStream, type OutStream} from './context.js'

export abstract class TixCommand extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    repo: Flags.string({
      summary: 'Repository that holds the desk (default: the one containing the current folder).',
      env: 'TIX_REPO',
      helpGroup: 'GLOBAL',
      helpValue: 'PATH',
    }),
  }

  private repoFlag?: string
  private parsedArgv?: Promise<unknown>
  /** Streams, environment, folder, clock, desk and exit code (commands/context.ts): never process.* directly. */
  protected readonly ctx: CommandContext

  constructor(argv: string[], config: Config) {
    super(argv, config)
    this.ctx = commandContext()
  }

  /** Remembers the global flags; run() then gets the same parse (argv is parsed once per command). */
  protected override async init(): Promise<void> {
    await super.init()
    const {flags} = await this.parse(this.ctor as never, this.argv)
    // oclif reads the flag's env (TIX_REPO) from process.env; the context's environment is the one that counts
    this.repoFlag = (flags as {repo?: string}).repo ?? this.ctx.env.TIX_REPO
  }

  protected override parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    if ((options === undefined || options === (this.ctor as unknown)) && (argv === undefined || argv === this.argv)) {
      this.parsedArgv ??= super.parse(options, argv)
      return this.parsedArgv as Promise<ParserOutput<F, B, A>>
    }
    return super.parse(options, argv)
  }

  protected io(): DeskIO {
    // never with --json (a terminal's stderr beside JSON on stdout included)
    const progress = this.jsonEnabled() ? undefined : progressLine(this.ctx.stderr, this.ctx.env)
    return {
      cwd: this.ctx.cwd,
      repoPath: this.repoFlag,
      env: this.ctx.env,
      warn: (line) => {
        progress?.(null)
        this.ctx.stderr.write(safeLine(line) + '\n')
      },
      progress,
    }
  }

  /** A path from the command line, from the folder the command was typed in (the context's, not process.cwd()). */
  protected path(p: string): string {
    return resolve(this.ctx.cwd, p)
  }

  protected openDesk(): Promise<Desk> {
    return this.ctx.openDesk(this.io())
  }

  /** `--field key=value` pairs, converted and checked against desk.json's `fields` declarations. */
  protected async customFields(pairs: readonly string[]): Promise<Record<string, string | number | boolean>> {
    const {parseFieldArgs, fieldSpecs} = await import('../src/domain/ticket/fields.js')
    const desk = await this.openDesk()
    return parseFieldArgs(pairs, fieldSpecs((await desk.index()).config))
  }

  protected get color() {
    return palette(this.ctx.stdout, this.ctx.env)
  }

  protected get tty(): boolean {
    return Boolean(this.ctx.stdout.isTTY)
  }

  protected get columns(): number {
    return terminalWidth(this.ctx.stdout, this.ctx.env)
  }

  /** A message about the result that is not the result itself: stderr, so pipes stay clean. */
  protected note(line: string): void {
    if (!this.jsonEnabled()) this.ctx.stderr.write(line + '\n')
  }

  /** oclif's log (console.log), onto the context's stdout. */
  override log(message = '', ...args: unknown[]): void {
    if (this.jsonEnabled()) return
    this.ctx.stdout.write(format(typeof message === 'string' ? message : inspect(message), ...args) + '\n')
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    if (this.jsonEnabled()) return
    this.ctx.stderr.write(format(typeof message === 'string' ? message : inspect(message), ...args) + '\n')
  }

  /**
   * oclif colours JSON by tokenizing it with regular expressions (~50 ms for 1 MB, even in a pipe,
   * where the colours are dropped); outside a terminal the same text is written directly.
   */
  override logJson(json: unknown): void {
    // Pretty on a terminal; one compact line in a pipe (what scripts read; a third less to write).
    // Either way C1 controls (a raw U+009B is a CSI) are written as \u escapes, as JSON.stringify does C0.
    const out = this.ctx.stdout
    if (out.isTTY) {
      out.write(ux.colorizeJson(jsonText(json, 2), {pretty: false, theme: this.config.theme?.json}) + '\n')
      return
    }
    writeJsonLine(json, (chunk) => out.write(jsonBytes(chunk)))
  }

  protected override async catch(err: Error & {oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    if (err.code === 'EEXIT') throw err // this.exit(): not an error
    let exitCode: number = ExitCode.error
    let hint: string | undefined
    let code = 'error'
    let details: unknown
    if (err instanceof TixError) {
      exitCode = err.exitCode
      hint = err.hint
      code = err.code
      details = err.details
    } else if (err.oclif !== undefined) {
      // oclif's own errors are about the command line (unknown flag, bad value, missing argument)
      exitCode = ExitCode.usage
      code = 'usage'
      hint = `See \`tix ${(this.id ?? '').replaceAll(':', ' ')} --help\`.`
    } else if (this.ctx.env.TIX_DEBUG) {
      this.ctx.stderr.write(`${err.stack}\n`)
    }
    const message = err.message.replace(/^Error: /, '').replace(/\s*See more help with --help\s*$/, '').trim()
    if (this.jsonEnabled()) {
      this.logJson(envelope('error', {error: {message, hint: hint ?? null, code, exitCode, ...(details ? {details} : {})}}))
    }
    const c = palette(this.ctx.stderr, this.ctx.env)
    this.ctx.stderr.write(`${c.red('Error:')} ${safeLine(message)}\n${hint ? `${c.dim('Hint:')} ${safeLine(hint)}\n` : ''}`)
    this.ctx.exitCode = exitCode
    return undefined
  }
}

/** All of standard input as text (a stream: a pipe may be non-blocking, where readFileSync(0) fails with EAGAIN). */
async function readAllStdin(stdin: InStream = commandContext().stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/** Ticket ids from the command line: several ids, or "-" for ids read from standard input. */
export async function expandIds(tokens: readonly string[], readStdin: () => Promise<string> = () => readAllStdin(), stdinIsTTY = Boolean(commandContext().stdin.isTTY)): Promise<{ids: string[]; many: boolean}> {
  const ids: string[] = []
  let fromStdin = false
  for (const tok of tokens) {
    if (tok === '-') {
      if (fromStdin) continue
      if (stdinIsTTY) throw usageError('"-" reads ticket ids from standard input, but that is a terminal.', 'Pipe the ids in: tix list -q | tix status - pending')
      fromStdin = true
      ids.push(...(await readStdin()).split(/\s+/).filter((w) => w !== ''))
      continue
    }
    if (/^--?[A-Za-z]/.test(tok)) throw usageError(`Unknown flag ${tok}.`)
    ids.push(tok)
  }
  if (ids.length === 0) throw usageError(fromStdin ? 'No ticket ids came on standard input; nothing was changed.' : 'Give at least one ticket id.', 'tix status 7K3F9 2MT0E pending, or: tix list -q | tix status - pending')
  return {ids, many: fromStdin || ids.length > 1}
}

/** Commands that change one ticket: resolve the id, apply the rule, print one line saying what changed. */
export abstract class TicketMutation extends TixCommand {
  /**
   * Several tickets in one commit (all or nothing). One id given on the command line keeps the
   * one-ticket output (kind `ticket`); several, or "-", give kind `ticket-batch`.
   */
  protected async mutateIds(tokens: readonly string[], single: (id: string) => Promise<object>, batch: import('../src/services/bulk.js').BatchOp, opts: {dryRun?: boolean} = {}) {
    const {ids, many} = await expandIds(tokens, () => readAllStdin(this.ctx.stdin), Boolean(this.ctx.stdin.isTTY))
    if (!many) return single(ids[0]!)
    const {updateTickets} = await import('../src/services/bulk.js')
    const {describeEvent} = await import('../src/domain/ticket/describe.js')
    const {ticketJson} = await import('../src/output/json.js')
    const desk = await this.openDesk()
    const res = await updateTickets(desk, ids, batch, opts)
    const changed = res.items.filter((i) => i.events.length > 0)
    for (const item of res.items) {
      const what = item.events.length === 0 ? 'nothing changed' : item.events.map((e) => safeLine(describeEvent(e as never))).join('; ')
      this.log(`${item.shortId}: ${opts.dryRun && item.events.length > 0 ? 'would be ' : ''}${what}.`)
      for (const m of item.messages) this.note(`${item.shortId}: ${safeLine(m)}`)
    }
    if (opts.dryRun) this.note(`Dry run: ${changed.length} of ${res.items.length} tickets would change; nothing was written.`)
    else this.note(res.commit ? `${changed.length} of ${res.items.length} tickets changed in one commit (${res.commit.slice(0, 10)}).` : `None of the ${res.items.length} tickets changed.`)
    return envelope('ticket-batch', {
      count: res.items.length,
      changed: changed.length,
      dryRun: Boolean(opts.dryRun),
      commit: res.commit,
      tickets: res.items.map((i) => ({...ticketJson(i.ticket.ticket, desk.sortedIds(res.index)), changed: i.events.length > 0, events: i.events, messages: i.messages})),
    })
  }

  protected async mutate(idInput: string, op: Parameters<typeof import('../src/services/tickets.js').updateTicket>[2]) {
    const {updateTicket} = await import('../src/services/tickets.js')
    const {describeEvent} = await import('../src/domain/ticket/describe.js')
    const {ticketJson} = await import('../src/output/json.js')
    const desk = await this.openDesk()
    const res = await updateTicket(desk, idInput, op)
    const ids = desk.sortedIds(await desk.index())
    const {shortId} = await import('../src/domain/ticket/ids.js')
    const sid = shortId(ids, res.ticket.ticket.id)
    if (res.events.length === 0) this.log(`${sid}: nothing changed.`)
    else this.log(`${sid}: ${res.events.map((e) => safeLine(describeEvent(e as never))).join('; ')}.`)
    for (const m of res.messages ?? []) this.note(`${sid}: ${safeLine(m)}`)
    return envelope('ticket', {ticket: ticketJson(res.ticket.ticket, ids), changed: res.events.length > 0, commit: res.commit, events: res.events})
  }
}

/** Writes a piece of a long output to stdout, waiting while the pipe is full; a reader that went away (`| head`) ends the wait. */
export function writeChunk(chunk: string | Buffer, out: OutStream = commandContext().stdout): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(chunk)) return resolve()
    const done = () => {
      out.off('drain', done)
      out.off('error', done)
      resolve()
    }
    out.once('drain', done)
    out.once('error', done)
  })
}

/**
 * Writes `value` as one line of compact JSON, exactly as JSON.stringify would, but a large array at
 * the top level (10,000 tickets) goes out in pieces of about 1 MB: no 10 MB string, no 10 MB copy.
 */
export function writeJsonLine(value: unknown, write: (chunk: string) => void): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    write(JSON.stringify(value) + '\n')
    return
  }
  let out = '{'
  let first = true
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue
    out += `${first ? '' : ','}${JSON.stringify(k)}:`
    first = false
    if (Array.isArray(v) && v.length > 256) {
      out += '['
      for (let i = 0; i < v.length; i++) {
        out += (i === 0 ? '' : ',') + (JSON.stringify(v[i]) ?? 'null')
        if (out.length > 1 << 20) {
          write(out)
          out = ''
        }
      }
      out += ']'
    } else out += JSON.stringify(v)
  }
  write(out + '}\n')
}
